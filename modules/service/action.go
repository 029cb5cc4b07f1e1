package service

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/rotplay/rotplay/modules"
	"github.com/rotplay/rotplay/transport"
)

// action is one decoded service task.
type action struct {
	args    arguments
	timeout time.Duration
	poll    time.Duration
}

var _ modules.Action = (*action)(nil)

// failure is the service manager saying no: the task fails with msg, a
// result rather than an error of the module.
type failure struct {
	msg       string
	status    string // the manager's status output, when there is one
	noSystemd bool   // systemctl is missing or systemd is not running
}

func (f *failure) Error() string { return f.msg }

// Check asks the service's state and reports whether Apply would change
// it (restarted always would). It never starts, stops or restarts.
func (a *action) Check(ctx context.Context, h modules.Host) (modules.Result, error) {
	if hostOS(h) == "windows" {
		return a.windows(ctx, h, true)
	}
	m, st, err := a.detect(ctx, h)
	if err != nil {
		return a.fail(m, st, err)
	}
	if a.reached(st) && a.args.State != restarted {
		return a.result(m, st, false, "already "+a.goal()+" ("+m.kind()+")"), nil
	}
	return a.result(m, st, true, "would "+verbs[a.args.State]+" ("+m.kind()+")"), nil
}

// Apply starts, stops or restarts the service unless it already is in
// the state asked for, then waits until it is, up to the timeout.
func (a *action) Apply(ctx context.Context, h modules.Host) (modules.Result, error) {
	if hostOS(h) == "windows" {
		return a.windows(ctx, h, false)
	}
	m, st, err := a.detect(ctx, h)
	if err != nil {
		return a.fail(m, st, err)
	}
	if a.reached(st) && a.args.State != restarted {
		return a.result(m, st, false, "already "+a.goal()+" ("+m.kind()+")"), nil
	}
	if err := a.act(ctx, m); err != nil {
		return a.fail(m, st, err)
	}
	if st, err = a.wait(ctx, m); err != nil {
		return a.fail(m, st, err)
	}
	return a.result(m, st, true, a.args.State+" ("+m.kind()+")"), nil
}

// verbs are the manager verbs of each state asked for.
var verbs = map[string]string{started: "start", stopped: "stop", restarted: "restart"}

// goal is the state word the service is waited for in.
func (a *action) goal() string {
	if a.args.State == stopped {
		return "stopped"
	}
	return "active"
}

// reached reports whether a service in st is in the state asked for.
func (a *action) reached(st svcState) bool {
	if a.args.State == stopped {
		return !st.up && st.settled
	}
	return st.up
}

// detect picks the manager and asks it the service's state. auto tries
// systemd first and falls back to sysv when systemd is not usable.
func (a *action) detect(ctx context.Context, h modules.Host) (manager, svcState, error) {
	var m manager = systemd{c: h.Conn, name: a.args.Name}
	if a.args.Manager == managerSysV {
		m = sysv{c: h.Conn, name: a.args.Name}
	}
	st, err := m.state(ctx)
	var f *failure
	if a.args.Manager == managerAuto && errors.As(err, &f) && f.noSystemd {
		m = sysv{c: h.Conn, name: a.args.Name}
		st, err = m.state(ctx)
	}
	return m, st, err
}

// act runs the manager's start, stop or restart command.
func (a *action) act(ctx context.Context, m manager) error {
	line := m.line(verbs[a.args.State])
	out, err := m.conn().Run(ctx, transport.Command{Line: line})
	switch {
	case err != nil:
		return fmt.Errorf("run %s: %w", line, err)
	case out.ExitCode == 0:
		return nil
	case m.conn().Facts().User != "root" && needsRoot(string(out.Stderr)+string(out.Stdout)):
		return &failure{msg: line + " needs root: set ansible_become: true for this host (" + detail(out) + ")", status: m.status(ctx)}
	}
	return &failure{msg: fmt.Sprintf("%s: exit code %d: %s", line, out.ExitCode, detail(out)), status: m.status(ctx)}
}

// needsRoot judges whether a failure came from running without root.
func needsRoot(text string) bool {
	lower := strings.ToLower(text)
	for _, w := range []string{"access denied", "authentication required", "permission denied", "not permitted", "must be root", "privilege"} {
		if strings.Contains(lower, w) {
			return true
		}
	}
	return false
}

// result is the task's Result, with what register sees.
func (a *action) result(m manager, st svcState, changed bool, msg string) modules.Result {
	return modules.Result{Changed: changed, Msg: msg, Values: a.values(m, st)}
}

// values: state is what the service was found in (Check) or left in
// (Apply): started when it runs, stopped otherwise.
func (a *action) values(m manager, st svcState) map[string]any {
	v := map[string]any{"name": a.args.Name, "state": "stopped", "manager": ""}
	if st.up {
		v["state"] = "started"
	}
	if m != nil {
		v["manager"] = m.kind()
	}
	return v
}

// fail turns err into the task's outcome: a *failure is a Failed result,
// with the status output in Values; anything else (the host was lost,
// ctx ended) stays an error.
func (a *action) fail(m manager, st svcState, err error) (modules.Result, error) {
	var f *failure
	if !errors.As(err, &f) {
		return modules.Result{}, err
	}
	res := modules.Result{Failed: true, Msg: f.msg, Values: a.values(m, st)}
	if f.status != "" {
		res.Msg += "; status: " + summarize(f.status)
		res.Values["status"] = f.status
	}
	return res, nil
}

// summarize joins the first lines of a status output into one line; the
// whole text is registered as status.
func summarize(status string) string {
	var lines []string
	for l := range strings.SplitSeq(status, "\n") {
		if l = strings.TrimSpace(l); l != "" && len(lines) < 3 {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, " | ")
}

// hostOS is the host's OS as the engine sees it: the inventory var os
// when set, else what the transport found.
func hostOS(h modules.Host) string {
	if v, ok := h.Vars["os"].(string); ok && v != "" {
		return strings.ToLower(v)
	}
	return h.Conn.Facts().OS
}
