package apirotate

import (
	"cmp"
	"time"

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
	// VerifyAPI makes finish first poll the OneAgent and ActiveGate lists
	// until every done host is seen online after the rotation started.
	VerifyAPI     bool   `yaml:"verify_api"`
	VerifyTimeout string `yaml:"verify_timeout"` // "": defaultVerifyTimeout

	verifyTimeout time.Duration // VerifyTimeout parsed
}

// defaultVerifyTimeout bounds verify_api's polling.
const defaultVerifyTimeout = 5 * time.Minute

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
	if a.VerifyAPI && a.Action != "" && !tmpl.IsTemplate(a.Action) && a.Action != "finish" {
		errs.Addf(valuePos(file, n, "verify_api"), "api_rotate: verify_api applies to action finish only, not %s", a.Action).
			WithHint("remove verify_api from this task, or put it on the finish task")
	}
	a.verifyTimeout = defaultVerifyTimeout
	if a.VerifyTimeout != "" && !tmpl.IsTemplate(a.VerifyTimeout) {
		d, err := args.PositiveDuration(a.VerifyTimeout)
		if err != nil {
			errs.Addf(valuePos(file, n, "verify_timeout"), "api_rotate: verify_timeout: %v", err).
				WithHint("write a duration such as 90s or 5m, or a number of seconds")
		}
		a.verifyTimeout = cmp.Or(d, defaultVerifyTimeout)
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
