// Package oneagentctl owns the oneagentctl module: it sets a OneAgent's
// tenant token (and optionally its tenant and server) with the agent's own
// tool, oneagentctl, then reads the token back to prove it took.
//
// Keeping the token secret. The token is never part of a command line
// rotplay runs: it is fed on stdin to a small POSIX sh wrapper,
//
//	IFS= read -r t || { ...; exit 2; }; exec '/opt/.../oneagentctl' --set-tenant-token="$t" ...
//
// so it stays out of rotplay's process arguments, its logs and events, and
// the SSH exec request. It does appear in the remote oneagentctl's own
// argv for as long as that process runs (about as long as the restart it
// is asked for), visible to `ps` on the host: oneagentctl only takes the
// token as an argument, so this is unavoidable. Every token the module
// reads or sets is returned in Result.Secrets, so the engine redacts it
// everywhere; messages and Values hold only fingerprints
// (secret.Fingerprint).
package oneagentctl

import (
	"go.yaml.in/yaml/v3"

	"github.com/rotplay/rotplay/modules"
	"github.com/rotplay/rotplay/modules/args"
)

const moduleName = "oneagentctl"

// New returns the oneagentctl module. Its arguments:
//
//	tenant_token  the token to set (required unless get_only)
//	tenant        the environment ID to set too (--set-tenant); compared
//	              with --get-tenant
//	server        the server endpoints to set too (--set-server); compared
//	              with --get-server, ignoring the * marking the endpoint in
//	              use
//	restart       restart OneAgent with the change (--restart-service);
//	              default true
//	path          oneagentctl to run; default the host var oneagentctl_path,
//	              else /opt/dynatrace/oneagent/agent/tools/oneagentctl
//	get_only      only read the current token (Values, Secrets); default false
//
// The task is changed only when the token, or a given tenant or server,
// differs from what oneagentctl reports. Windows hosts are not supported
// yet. oneagentctl needs root: use ansible_become.
//
// Registered: token_fingerprint (of the token the agent has after Apply,
// or has now under Check), previous_token_fingerprint (before the task;
// empty under force_restart, which does not read first),
// restarted (whether OneAgent was restarted). Never a token.
func New() modules.Module { return module{} }

type module struct{}

var _ modules.Module = module{}

func (module) Info() modules.Info {
	return modules.Info{
		Name:    moduleName,
		Summary: "Set a OneAgent's tenant token with oneagentctl (token passed on stdin, read back)",
	}
}

// Decode checks the arguments and reports every problem at once, each at
// its argument's position. No message ever quotes tenant_token.
func (module) Decode(file string, n *yaml.Node) (modules.Action, error) {
	var a arguments
	n, errs, ok := args.Begin(file, moduleName, n, &a)
	if !ok {
		return nil, errs.Err()
	}
	newChecker(file, n, &errs).check(a)
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return &action{args: a, restart: a.Restart == nil || *a.Restart}, nil
}
