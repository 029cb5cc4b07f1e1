package service

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/syntax"

	"github.com/rotplay/rotplay/transport"
	"github.com/rotplay/rotplay/transport/fake"
)

// initHost emulates a host's init system as systemctl and service show
// it: systemctl is-active prints one word (exit 0 for active, 3 else),
// start/stop/restart need root, status prints a report, and each command
// is refused when the host lacks it. A unit can take some polls to come
// up, or never come up.
type initHost struct {
	hasSystemctl bool // systemctl is installed
	booted       bool // systemd is PID 1 (false: a container)
	root         bool
	noService    bool // the service command is missing too

	mu    sync.Mutex
	units map[string]*unit
}

type unit struct {
	active  bool
	slow    int  // is-active says activating this many times after a start
	never   bool // a start leaves it activating for ever
	crash   bool // a start leaves it failed
	pending int
}

// runFunc is the fake host's shell. Command lines are split into words by
// mvdan.cc/sh, so quoting is judged as sh judges it.
func (ih *initHost) runFunc() fake.RunFunc {
	return func(_ context.Context, _ *fake.Host, cmd transport.Command, _ []byte) (transport.Result, error) {
		argv, err := words(cmd.Line)
		if err != nil {
			return result(2, "", "sh: "+err.Error()), nil
		}
		ih.mu.Lock()
		defer ih.mu.Unlock()
		switch argv[0] {
		case "systemctl":
			return ih.systemctl(argv[1:]), nil
		case "service":
			if ih.noService {
				break
			}
			return ih.service(argv[1:]), nil
		}
		return result(127, "", "sh: 1: "+argv[0]+": not found"), nil
	}
}

// words splits a simple command line into its arguments, as sh would.
func words(line string) ([]string, error) {
	f, err := syntax.NewParser(syntax.Variant(syntax.LangPOSIX)).Parse(strings.NewReader(line), "")
	if err != nil {
		return nil, err
	}
	if len(f.Stmts) != 1 {
		return nil, fmt.Errorf("want one simple command, got %d statements", len(f.Stmts))
	}
	call, ok := f.Stmts[0].Cmd.(*syntax.CallExpr)
	if !ok || len(call.Assigns) != 0 || len(f.Stmts[0].Redirs) != 0 {
		return nil, fmt.Errorf("want a simple command")
	}
	return expand.Fields(&expand.Config{}, call.Args...)
}

func result(code int, stdout, stderr string) transport.Result {
	return transport.Result{ExitCode: code, Stdout: []byte(stdout), Stderr: []byte(stderr)}
}

func (ih *initHost) systemctl(args []string) transport.Result {
	switch {
	case !ih.hasSystemctl:
		return result(127, "", "sh: 1: systemctl: not found\n")
	case !ih.booted:
		return result(1, "", "System has not been booted with systemd as init system (PID 1). Can't operate.\nFailed to connect to bus: Host is down\n")
	case len(args) == 2 && args[0] == "is-active":
		word := ih.word(args[1])
		return result(map[bool]int{true: 0, false: 3}[word == "active"], word+"\n", "")
	case len(args) == 5 && args[0] == "status" && args[2] == "--no-pager" && args[3] == "-n" && args[4] == "20":
		return ih.status(args[1])
	case len(args) == 2 && (args[0] == "start" || args[0] == "stop" || args[0] == "restart"):
		return ih.control(args[0], args[1])
	}
	return result(1, "", fmt.Sprintf("Unknown command verb %s.\n", args[0]))
}

func (ih *initHost) word(name string) string {
	u := ih.units[name]
	switch {
	case u == nil || !u.active:
		return "inactive"
	case u.never:
		return "activating"
	case u.crash:
		return "failed"
	case u.pending > 0:
		u.pending--
		return "activating"
	}
	return "active"
}

func (ih *initHost) status(name string) transport.Result {
	u := ih.units[name]
	if u == nil {
		return result(4, "", fmt.Sprintf("Unit %s.service could not be found.\n", name))
	}
	word := map[bool]string{true: "activating (start)", false: "inactive (dead)"}[u.active]
	out := fmt.Sprintf("● %s.service - %s\n     Loaded: loaded (/etc/systemd/system/%s.service; enabled)\n"+
		"     Active: %s since Tue 2025-03-04 05:06:07 UTC; 1min ago\n\nMar 04 05:06:07 ag1 %s[4242]: waiting for the cluster\n",
		name, name, name, word, name)
	return result(3, out, "")
}

func (ih *initHost) control(verb, name string) transport.Result {
	u := ih.units[name]
	switch {
	case !ih.root:
		return result(1, "", fmt.Sprintf("Failed to %s %s.service: Interactive authentication required.\n"+
			"See system logs and 'systemctl status %s.service' for details.\n", verb, name, name))
	case u == nil:
		return result(5, "", fmt.Sprintf("Failed to %s %s.service: Unit %s.service not found.\n", verb, name, name))
	}
	u.active = verb != "stop"
	u.pending = u.slow
	return result(0, "", "")
}

// service is SysV's: `service NAME status|start|stop|restart`.
func (ih *initHost) service(args []string) transport.Result {
	if len(args) != 2 {
		return result(1, "", "Usage: service < option > | --status-all | [ service_name [ command | --full-restart ] ]\n")
	}
	name, verb := args[0], args[1]
	u := ih.units[name]
	switch {
	case u == nil:
		return result(1, "", name+": unrecognized service\n")
	case verb == "status" && ih.word(name) == "active":
		return result(0, name+" is running\n", "")
	case verb == "status":
		return result(3, name+" is not running\n", "")
	case !ih.root:
		return result(4, "", "start-stop-daemon: unable to open pidfile: Permission denied\n")
	case verb == "start" || verb == "stop" || verb == "restart":
		u.active = verb != "stop"
		u.pending = u.slow
		return result(0, "Starting "+name+"...\n", "")
	}
	return result(1, "", "Usage: /etc/init.d/"+name+" {start|stop|restart|status}\n")
}

// active reports whether the unit runs.
func (ih *initHost) active(name string) bool {
	ih.mu.Lock()
	defer ih.mu.Unlock()
	u := ih.units[name]
	return u != nil && u.active
}
