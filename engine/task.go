package engine

import (
	"context"
	"errors"
	"fmt"
	"time"

	udiff "github.com/aymanbagabas/go-udiff"

	"github.com/rotplay/rotplay/modules"
	"github.com/rotplay/rotplay/tmpl"
)

type taskOutcome struct {
	status     Status
	msg        string
	registered map[string]any
}

// runTask runs one task on one host, with its when condition, retries and
// timeout, and reports it.
func (rn *run) runTask(ctx context.Context, p *Phase, hs *hostState, env tmpl.Env, t *Task) taskOutcome {
	start := time.Now()
	rn.emit(Event{Kind: TaskStarted, Phase: p, Host: hs.host.Name, Task: t})
	res, out := rn.attempts(ctx, p, hs, env, t)
	out.registered = registered(res, out)
	ev := Event{Kind: TaskFinished, Phase: p, Host: hs.host.Name, Task: t, Status: out.status,
		Msg: out.msg, Duration: time.Since(start)}
	if t.NoLog {
		ev.Msg = "(output hidden by no_log)"
	} else if rn.Diff {
		ev.Diff = renderDiffs(res.Diffs)
	}
	hs.recap.Counts[out.status]++
	rn.emit(ev)
	return out
}

// attempts evaluates when, renders and decodes the arguments, and runs the
// module until it succeeds or its retries are used up.
func (rn *run) attempts(ctx context.Context, p *Phase, hs *hostState, env tmpl.Env, t *Task) (modules.Result, taskOutcome) {
	if t.When != nil {
		ok, err := t.When.EvalBool(env)
		if err != nil {
			return modules.Result{}, taskOutcome{status: StatusFailed, msg: "when: " + err.Error()}
		}
		if !ok {
			return modules.Result{Skipped: true}, taskOutcome{status: StatusSkipped, msg: "when is false"}
		}
	}
	action, err := rn.prepare(t, env)
	if err != nil {
		return modules.Result{}, taskOutcome{status: StatusFailed, msg: err.Error()}
	}
	host := modules.Host{Name: hs.host.Name, Conn: hs.conn, Vars: env}
	if hs.host.Controller {
		host.Fleet = rn.fleet(p)
	}
	for attempt := 1; ; attempt++ {
		res, out := rn.once(ctx, action, host, env, t)
		if out.status != StatusFailed || attempt > t.Retries || ctx.Err() != nil {
			if out.status == StatusFailed && t.IgnoreErrors {
				out.status = StatusIgnored
			}
			return res, out
		}
		rn.emit(Event{Kind: TaskRetrying, Phase: p, Host: hs.host.Name, Task: t, Attempt: attempt,
			Msg: fmt.Sprintf("attempt %d of %d failed: %s; retrying in %s", attempt, t.Retries+1, out.msg, t.Delay)})
		if !sleep(ctx, t.Delay) {
			return res, out
		}
	}
}

// prepare renders the task's arguments for this host and decodes them.
func (rn *run) prepare(t *Task, env tmpl.Env) (modules.Action, error) {
	var args = t.argsNode()
	if t.args != nil {
		var err error
		if args, err = t.args.renderNode(env); err != nil {
			return nil, fmt.Errorf("arguments: %w", err)
		}
	}
	action, err := t.Module.Decode(t.file, args)
	if err != nil {
		return nil, fmt.Errorf("arguments: %w", err)
	}
	return action, nil
}

// once runs the module one time with the task's timeout and judges the
// result with changed_when and failed_when.
func (rn *run) once(ctx context.Context, a modules.Action, h modules.Host, env tmpl.Env, t *Task) (modules.Result, taskOutcome) {
	actx, cancel := ctx, context.CancelFunc(func() {})
	if t.Timeout > 0 {
		actx, cancel = context.WithTimeout(ctx, t.Timeout)
	}
	defer cancel()
	check := rn.Check
	if t.CheckMode != nil {
		check = *t.CheckMode
	}
	run := a.Apply
	if check {
		run = a.Check
	}
	res, err := run(actx, h)
	rn.Secrets.Add(res.Secrets...)
	rn.flushTrace(h)
	if err != nil {
		return res, rn.errorOutcome(ctx, actx, t, err)
	}
	if err := judge(&res, env, t); err != nil {
		return res, taskOutcome{status: StatusFailed, msg: err.Error()}
	}
	return res, taskOutcome{status: statusOf(res), msg: res.Msg}
}

func (rn *run) errorOutcome(ctx, actx context.Context, t *Task, err error) taskOutcome {
	switch {
	case isUnreachable(err):
		return taskOutcome{status: StatusUnreachable, msg: err.Error()}
	case ctx.Err() != nil:
		return taskOutcome{status: StatusFailed, msg: "interrupted: " + err.Error()}
	case errors.Is(actx.Err(), context.DeadlineExceeded):
		return taskOutcome{status: StatusFailed, msg: fmt.Sprintf("timed out after %s (task timeout)", t.Timeout)}
	}
	return taskOutcome{status: StatusFailed, msg: err.Error()}
}

// judge applies changed_when and failed_when, which see the result as
// `result` (and under the register name). A skipped result is not judged.
func judge(res *modules.Result, env tmpl.Env, t *Task) error {
	if res.Skipped || (t.ChangedWhen == nil && t.FailedWhen == nil) {
		return nil
	}
	reg := registered(*res, taskOutcome{status: statusOf(*res), msg: res.Msg})
	local := tmpl.Env{}
	for k, v := range env {
		local[k] = v
	}
	local["result"] = reg
	if t.Register != "" {
		local[t.Register] = reg
	}
	for _, c := range []struct {
		e   *tmpl.Expr
		set *bool
		kw  string
	}{{t.ChangedWhen, &res.Changed, "changed_when"}, {t.FailedWhen, &res.Failed, "failed_when"}} {
		if c.e == nil {
			continue
		}
		b, err := c.e.EvalBool(local)
		if err != nil {
			return fmt.Errorf("%s: %w", c.kw, err)
		}
		*c.set = b
	}
	return nil
}

func statusOf(res modules.Result) Status {
	switch {
	case res.Failed:
		return StatusFailed
	case res.Skipped:
		return StatusSkipped
	case res.Changed:
		return StatusChanged
	}
	return StatusOK
}

// registered is what `register` stores: the module's values plus the
// outcome fields, which take precedence.
func registered(res modules.Result, out taskOutcome) map[string]any {
	m := make(map[string]any, len(res.Values)+4)
	for k, v := range res.Values {
		m[k] = v
	}
	m["changed"] = res.Changed && out.status != StatusFailed
	m["failed"] = out.status == StatusFailed || out.status == StatusIgnored || out.status == StatusUnreachable
	m["skipped"] = out.status == StatusSkipped
	m["msg"] = out.msg
	return m
}

func renderDiffs(diffs []modules.Diff) string {
	var out string
	for _, d := range diffs {
		if d.Before == d.After {
			continue
		}
		out += udiff.Unified(d.Path+" (before)", d.Path+" (after)", d.Before, d.After)
	}
	return out
}

// sleep waits d or until ctx ends; it reports whether d passed.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	tm := time.NewTimer(d)
	defer tm.Stop()
	select {
	case <-tm.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// flushTrace shows what the task did on the host (-vv), now that its
// secrets are registered.
func (rn *run) flushTrace(h modules.Host) {
	tc, ok := h.Conn.(*tracingConn)
	if !ok {
		return
	}
	for _, t := range tc.take() {
		rn.emit(Event{Kind: CommandRan, Host: h.Name, Msg: t.msg, Diff: t.output})
	}
}
