// Package service owns the service module: it starts, stops or restarts a
// service on a POSIX host through systemd (systemctl) or SysV init
// (service), and waits until the service is really up or down, so that a
// phase's barrier means "every ActiveGate is running again", not "every
// start command returned".
package service

import (
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/rotplay/rotplay/modules"
	"github.com/rotplay/rotplay/modules/args"
)

const moduleName = "service"

// pollInterval is how often the state is asked while waiting.
const pollInterval = 500 * time.Millisecond

// New returns the service module. Its arguments:
//
//	name     the service (systemd unit or init script name), required
//	state    started, stopped or restarted, required
//	timeout  how long to wait for the service to become active (started,
//	         restarted) or inactive (stopped): a Go duration or a number of
//	         seconds; default 60s
//	manager  auto (default), systemd or sysv. auto uses systemctl, and
//	         falls back to `service` when systemctl is missing or systemd
//	         is not running.
//
// started and stopped change nothing when the service is already so;
// restarted always restarts. A service that does not reach the state in
// time fails the task with its status output. Windows hosts are not
// supported yet.
//
// Registered: name, manager (systemd or sysv, as used), state (started
// when the service runs after Apply, or now under Check; else stopped),
// and on failure status (the manager's full status output).
func New() modules.Module { return &module{poll: pollInterval} }

type module struct {
	poll time.Duration // a short one in tests
}

var _ modules.Module = (*module)(nil)

func (m *module) Info() modules.Info {
	return modules.Info{
		Name:    moduleName,
		Summary: "Start, stop or restart a service (systemd or SysV) and wait until it is up or down",
	}
}

// Decode checks the arguments and reports every problem at once, each at
// its argument's position. Templates are checked by the run-time Decode.
func (m *module) Decode(file string, n *yaml.Node) (modules.Action, error) {
	var a arguments
	n, errs, ok := args.Begin(file, moduleName, n, &a)
	if !ok {
		return nil, errs.Err()
	}
	timeout := newChecker(file, n, &errs).check(a)
	if err := errs.Err(); err != nil {
		return nil, err
	}
	if a.Manager == "" {
		a.Manager = managerAuto
	}
	return &action{args: a, timeout: timeout, poll: m.poll}, nil
}
