// Package command owns the command module: it runs one command line on a
// host and registers its exit code and output, so that later tasks can
// test them (`changed_when`, `failed_when`, `when: svc.stdout == "active"`).
//
// Unlike Ansible's command module, the line always goes through the host's
// shell (transport.Conn.Run runs a POSIX sh command line), so pipes and
// redirections work. To pass values that come from variables, prefer argv:
// each element is quoted after templates are rendered, so a value holding
// blanks, quotes or $ stays one argument and is never interpreted by sh.
package command

import (
	"go.yaml.in/yaml/v3"

	"github.com/rotplay/rotplay/diag"
	"github.com/rotplay/rotplay/modules"
	"github.com/rotplay/rotplay/modules/args"
)

const moduleName = "command"

// New returns the command module.
//
// Arguments are either a command line (free form):
//
//	command: systemctl is-active dynatraceautoupdater
//
// or a mapping:
//
//	cmd:     a POSIX sh command line, or
//	argv:    a list of arguments, each quoted for sh (exactly one of the two)
//	chdir:   directory to run in (default: the login directory)
//	stdin:   text fed to the command as is (no newline is added)
//	creates: absolute path; when it exists the command is skipped
//	removes: absolute path; when it does not exist the command is skipped
//
// creates and removes are checked with Conn.Stat, without glob patterns.
func New() modules.Module { return module{} }

type module struct{}

var _ modules.Module = module{}

func (module) Info() modules.Info {
	return modules.Info{
		Name:    moduleName,
		Summary: "Run a command line on the host and register its exit code and output",
	}
}

// Decode accepts a command line or a mapping of arguments and reports every
// problem at once, each at its node. creates and removes holding templates
// are checked only once rendered, at the run-time Decode.
func (module) Decode(file string, n *yaml.Node) (modules.Action, error) {
	n = args.Unwrap(n)
	var errs diag.List
	switch {
	case n == nil || n.Tag == "!!null":
		errs.Addf(diag.At(file, n), "%s: no command given", moduleName).WithHint(commandHint)
	case n.Kind == yaml.ScalarNode:
		return decodeFreeForm(file, n)
	case n.Kind == yaml.MappingNode:
		return decodeMapping(file, n)
	default:
		errs.Addf(diag.At(file, n), "%s: arguments must be a command line or a mapping, got a list", moduleName).
			WithHint("to give a list of arguments, write it below argv:")
	}
	return nil, errs.Err()
}

// commandHint says how to give the command, for every error about it.
const commandHint = `write "command: <line>", or give cmd (a shell command line) ` +
	`or argv (a list of arguments) below command:`
