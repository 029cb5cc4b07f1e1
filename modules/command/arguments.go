package command

import (
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/rotplay/rotplay/diag"
	"github.com/rotplay/rotplay/modules"
	"github.com/rotplay/rotplay/modules/args"
	"github.com/rotplay/rotplay/tmpl"
)

// arguments are the command module's mapping form, as args.Decode fills it.
type arguments struct {
	Cmd     string   `yaml:"cmd"`
	Argv    []string `yaml:"argv"`
	Chdir   string   `yaml:"chdir"`
	Stdin   *string  `yaml:"stdin"` // nil: empty stdin
	Creates string   `yaml:"creates"`
	Removes string   `yaml:"removes"`
}

// decodeFreeForm and decodeMapping return modules.Action, not *action: a
// nil *action would be a non-nil Action.
func decodeFreeForm(file string, n *yaml.Node) (modules.Action, error) {
	if strings.TrimSpace(n.Value) == "" {
		var errs diag.List
		errs.Addf(diag.At(file, n), "%s: the command line is empty", moduleName).WithHint(commandHint)
		return nil, errs.Err()
	}
	return &action{line: n.Value}, nil
}

func decodeMapping(file string, n *yaml.Node) (modules.Action, error) {
	var a arguments
	var errs diag.List
	errs.Add(diag.At(file, n), args.Decode(file, moduleName, n, &a))
	cmd, argv := valueNode(n, "cmd"), valueNode(n, "argv")
	switch {
	case cmd != nil && argv != nil:
		errs.Addf(diag.At(file, n), "%s: both cmd and argv given", moduleName).WithHint(commandHint)
	case cmd == nil && argv == nil:
		errs.Addf(diag.At(file, n), "%s: neither cmd nor argv given", moduleName).WithHint(commandHint)
	// Only scalars and lists: other kinds were reported by args.Decode.
	case cmd != nil && cmd.Kind == yaml.ScalarNode && strings.TrimSpace(a.Cmd) == "":
		errs.Addf(diag.At(file, cmd), "%s: cmd is empty", moduleName).WithHint(commandHint)
	case argv != nil && argv.Kind == yaml.SequenceNode && len(argv.Content) == 0:
		errs.Addf(diag.At(file, argv), "%s: argv is empty", moduleName).
			WithHint("list the program and its arguments, e.g. argv: [systemctl, restart, oneagent]")
	}
	checkPath(&errs, file, n, "creates", a.Creates)
	checkPath(&errs, file, n, "removes", a.Removes)
	if err := errs.Err(); err != nil {
		return nil, err
	}
	act := &action{line: a.Cmd, dir: a.Chdir, stdin: a.Stdin, creates: a.Creates, removes: a.Removes}
	if argv != nil {
		act.line, act.argv = quoteArgv(a.Argv), true
	}
	return act, nil
}

// checkPath requires creates and removes to be absolute: a relative path
// would be looked up from wherever the transport happens to start, which
// differs between transports (and is not chdir).
func checkPath(errs *diag.List, file string, n *yaml.Node, name, p string) {
	if p == "" || tmpl.IsTemplate(p) || isAbs(p) {
		return
	}
	errs.Addf(diag.At(file, valueNode(n, name)), "%s: %s must be an absolute path, got %q", moduleName, name, p).
		WithHint("write the full path: a relative one would depend on where the connection starts")
}

// isAbs reports whether p is absolute on a POSIX or a Windows host.
func isAbs(p string) bool {
	switch {
	case strings.HasPrefix(p, "/"), strings.HasPrefix(p, `\\`):
		return true
	case len(p) >= 3 && p[1] == ':' && (p[2] == '\\' || p[2] == '/'):
		c := p[0] | 0x20 // lower case
		return 'a' <= c && c <= 'z'
	}
	return false
}

// valueNode returns the value of key in mapping n (the first, if given
// twice), or nil.
func valueNode(n *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}
