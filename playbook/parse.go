package playbook

import (
	"fmt"
	"os"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/rotplay/rotplay/diag"
	"github.com/rotplay/rotplay/tmpl"
)

// Load reads and parses the playbook at path.
func Load(path string) (*Playbook, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read playbook: %w", err)
	}
	return Parse(path, data)
}

// Parse parses playbook YAML. file names it in diagnostics. All structural
// problems are reported at once as a diag.List. Unless the YAML itself is
// invalid, the playbook is returned with the error, holding what could be
// parsed, so the caller can report meaning errors in the same pass.
func Parse(file string, data []byte) (*Playbook, error) {
	root, err := parseYAML(file, data)
	if err != nil {
		return nil, err
	}
	p := &parser{file: file}
	pb := p.playbook(root)
	return pb, p.errs.Err()
}

type parser struct {
	file string
	errs diag.List
}

func (p *parser) at(n *yaml.Node) diag.Pos { return diag.At(p.file, n) }

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// parseYAML decodes data into a node tree, turning YAML syntax errors into
// positioned diagnostics.
func parseYAML(file string, data []byte) (*yaml.Node, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		msg, line := err.Error(), 0
		if m := yamlLine.FindStringSubmatch(msg); m != nil {
			fmt.Sscan(m[1], &line)
			msg = m[2]
		}
		return nil, diag.List{diag.Errorf(diag.Pos{File: file, Line: line}, "invalid YAML: %s", msg).
			WithHint("fix the YAML syntax; check indentation and quoting")}
	}
	if len(doc.Content) == 0 {
		return nil, diag.List{diag.Errorf(diag.Pos{File: file}, "playbook is empty").
			WithHint("a playbook is a mapping with name, vars and phases; see docs/playbook.md")}
	}
	resolveAliases(&doc, map[*yaml.Node]bool{})
	return doc.Content[0], nil
}

// resolveAliases replaces every alias (*name) below n by the node it refers
// to, so that the rest of the parser, the engine and the modules never see
// an alias: a task may reuse another's arguments with YAML anchors.
func resolveAliases(n *yaml.Node, seen map[*yaml.Node]bool) {
	if seen[n] {
		return
	}
	seen[n] = true
	for i, ch := range n.Content {
		for ch.Kind == yaml.AliasNode && ch.Alias != nil {
			ch = ch.Alias
		}
		n.Content[i] = ch
		resolveAliases(ch, seen)
	}
}

// pairs iterates a mapping node's key/value pairs, reporting a node of the
// wrong kind.
func (p *parser) mapping(n *yaml.Node, what string) [][2]*yaml.Node {
	if n.Kind != yaml.MappingNode {
		p.errs.Addf(p.at(n), "%s must be a mapping of key: value", what)
		return nil
	}
	out := make([][2]*yaml.Node, 0, len(n.Content)/2)
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if seen[k.Value] {
			p.errs.Addf(p.at(k), "%s: key %q given twice", what, k.Value).WithHint("remove one of them")
			continue
		}
		seen[k.Value] = true
		out = append(out, [2]*yaml.Node{k, n.Content[i+1]})
	}
	return out
}

func (p *parser) unknownKey(k *yaml.Node, what string, known []string) {
	e := p.errs.Addf(p.at(k), "unknown key %q in %s", k.Value, what)
	if s := diag.Suggest(k.Value, known); s != "" {
		e.WithHint("did you mean %q?", s)
	} else {
		e.WithHint("%s takes: %s", what, strings.Join(known, ", "))
	}
}

var playbookKeys = []string{"name", "inventory", "defaults", "vars", "phases"}

func (p *parser) playbook(root *yaml.Node) *Playbook {
	pb := &Playbook{File: p.file}
	if root.Kind == yaml.SequenceNode {
		p.errs.Addf(p.at(root), "a playbook is a mapping, not a list").
			WithHint("put the plays under `phases:`; rotplay has one playbook per file, see docs/playbook.md")
		return pb
	}
	var phases *yaml.Node
	for _, kv := range p.mapping(root, "playbook") {
		k, v := kv[0], kv[1]
		switch k.Value {
		case "name":
			pb.Name = p.str(v, "name")
		case "inventory":
			pb.Inventory, pb.InvPos = p.str(v, "inventory"), p.at(v)
		case "defaults":
			pb.Defaults = p.vars(v, "playbook defaults")
		case "vars":
			pb.Vars = p.vars(v, "playbook vars")
		case "phases":
			phases = v
		default:
			p.unknownKey(k, "the playbook", playbookKeys)
		}
	}
	if phases == nil {
		p.errs.Addf(p.at(root), "playbook has no phases").WithHint("add `phases:` with at least one phase")
		return pb
	}
	pb.Phases = p.phases(phases)
	return pb
}

func (p *parser) phases(n *yaml.Node) []*Phase {
	if n.Kind != yaml.SequenceNode || len(n.Content) == 0 {
		p.errs.Addf(p.at(n), "phases must be a non-empty list").WithHint("write each phase as a `- name: ...` item")
		return nil
	}
	out := make([]*Phase, 0, len(n.Content))
	for _, item := range n.Content {
		out = append(out, p.phase(item))
	}
	return out
}

var nameRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

func (p *parser) vars(n *yaml.Node, what string) []Var {
	var out []Var
	for _, kv := range p.mapping(n, what) {
		k, v := kv[0], kv[1]
		if !p.checkName(k.Value, p.at(k), "variable name") {
			continue
		}
		out = append(out, Var{Name: k.Value, Value: v, Pos: p.at(k)})
	}
	return out
}

// checkName reports a variable or register name that expressions could not
// refer to.
func (p *parser) checkName(name string, pos diag.Pos, what string) bool {
	switch {
	case !nameRE.MatchString(name):
		p.errs.Addf(pos, "%s %q is not valid", what, name).
			WithHint("use letters, digits and _, not starting with a digit, so expressions can name it")
	case tmpl.Reserved(name):
		p.errs.Addf(pos, "%s %q is reserved: expressions use it as a built-in", what, name).
			WithHint("choose another name, e.g. %s_result", name)
	default:
		return true
	}
	return false
}
