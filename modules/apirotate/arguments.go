package apirotate

import (
	"go.yaml.in/yaml/v3"

	"github.com/rotplay/rotplay/diag"
	"github.com/rotplay/rotplay/modules/args"
	"github.com/rotplay/rotplay/tmpl"
)

// DefaultTokenEnv is the environment variable the API token is read from.
const DefaultTokenEnv = "DT_API_TOKEN"

// arguments are api_rotate's task arguments. There is deliberately no
// argument for the API token itself: a token written in a playbook ends up
// in version control.
type arguments struct {
	Action       string `yaml:"action" args:"required"`
	Environment  string `yaml:"environment" args:"required"`
	APITokenFile string `yaml:"api_token_file"`
	APITokenEnv  string `yaml:"api_token_env"`
	CAFile       string `yaml:"ca_file"`
	// ResumeOnly makes start only resume a rotation saved in the state
	// directory, never open a new one (used to roll back).
	ResumeOnly bool `yaml:"resume_only"`
}

var actions = []string{"start", "finish", "cancel"}

func decode(file string, n *yaml.Node) (arguments, error) {
	var a arguments
	if err := args.Decode(file, "api_rotate", n, &a); err != nil {
		return a, err
	}
	if a.APITokenEnv == "" {
		a.APITokenEnv = DefaultTokenEnv
	}
	var errs diag.List
	if a.Action != "" && !tmpl.IsTemplate(a.Action) && !validAction(a.Action) {
		errs.Addf(valuePos(file, n, "action"), "api_rotate: action must be start, finish or cancel, got %q", a.Action).
			WithHint("start opens a rotation, finish closes it once every host has the new token, cancel abandons it")
	}
	return a, errs.Err()
}

func validAction(s string) bool {
	for _, a := range actions {
		if a == s {
			return true
		}
	}
	return false
}

// valuePos finds the position of key's value in the mapping n.
func valuePos(file string, n *yaml.Node, key string) diag.Pos {
	if n != nil && n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == key {
				return diag.At(file, n.Content[i+1])
			}
		}
	}
	return diag.At(file, n)
}
