package engine

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/rotplay/rotplay/tmpl"
	"github.com/rotplay/rotplay/transport"
)

// hostState is one host's state across the run. Only the goroutine running
// the host in the current phase touches it; phases are sequential.
type hostState struct {
	host   *Host
	conn   transport.Conn
	regs   map[string]any // registered by this host's tasks
	recap  *HostRecap
	dead   bool // failed or unreachable: dropped from later phases
	notRun bool // not started in the current phase (interrupted)
	// completed holds the phases (by index) whose every task this host
	// finished without failure.
	completed map[int]bool
	// ahead delivers the connection opened ahead of the host's first
	// phase (see preconnect); nil when none was or once it is taken.
	ahead chan dialResult
	// lastPhase is the index of the last phase of the plan the host is in:
	// its connection is closed once that phase is done with it.
	lastPhase int
}

// runHost runs p's tasks on one host, in order, stopping at the first
// failure that is not ignored.
func (rn *run) runHost(ctx context.Context, p *Phase, hs *hostState) {
	if err := rn.connect(ctx, hs); err != nil {
		status := StatusUnreachable
		if ctx.Err() != nil {
			status = StatusFailed
		}
		rn.fail(p, hs, nil, status, err.Error())
		return
	}
	env, err := rn.hostEnv(p, hs)
	if err != nil {
		rn.fail(p, hs, nil, StatusFailed, err.Error())
		return
	}
	for _, t := range p.Tasks {
		if ctx.Err() != nil {
			rn.fail(p, hs, t, StatusFailed, "interrupted before this task")
			return
		}
		out := rn.runTask(ctx, p, hs, env, t)
		if t.Register != "" {
			rn.register(p, hs, env, t.Register, out.registered)
		}
		if out.status == StatusFailed || out.status == StatusUnreachable {
			rn.fail(p, hs, t, out.status, out.msg)
			return
		}
	}
	if hs.completed == nil {
		hs.completed = map[int]bool{}
	}
	hs.completed[p.Index] = true
}

// connect gives the host its connection, once per run: the one opened
// ahead (see preconnect) if that worked, else a new one. Later phases
// reuse it.
func (rn *run) connect(ctx context.Context, hs *hostState) error {
	if hs.conn != nil {
		return nil
	}
	if hs.ahead != nil {
		var r dialResult
		select {
		case r = <-hs.ahead:
		case <-ctx.Done():
			return fmt.Errorf("connect: %w", ctx.Err())
		}
		hs.ahead = nil
		if r.err == nil {
			hs.conn = r.conn
			return nil
		}
		// Dialed long before, maybe: try again now, as without preconnect.
	}
	conn, err := rn.dial(ctx, hs.host)
	if err != nil {
		return err
	}
	hs.conn = conn
	return nil
}

// dial connects to h, at most ConnectLimit hosts at once.
func (rn *run) dial(ctx context.Context, h *Host) (transport.Conn, error) {
	if err := rn.dialSlot(ctx); err != nil {
		return nil, err
	}
	defer func() { <-rn.dials }()
	return rn.dialTaken(ctx, h)
}

// dialSlot waits for one of the ConnectLimit slots; give it back with
// <-rn.dials.
func (rn *run) dialSlot(ctx context.Context) error {
	select {
	case rn.dials <- struct{}{}:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("connect: %w", ctx.Err())
	}
}

// dialTaken connects to h once the caller holds a slot.
func (rn *run) dialTaken(ctx context.Context, h *Host) (transport.Conn, error) {
	d, ok := rn.Dialers[h.Connection]
	if !ok {
		return nil, fmt.Errorf("no %s transport in this build", h.Connection)
	}
	// The timeout starts once the host may connect: waiting for a slot is
	// not the host's fault.
	if rn.ConnectTimeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, rn.ConnectTimeout)
		defer cancel()
	}
	conn, err := d.Dial(ctx, h.Target)
	if err != nil {
		return nil, fmt.Errorf("connect: %w", err)
	}
	for _, note := range conn.Facts().Notes {
		rn.emit(Event{Kind: HostNote, Host: h.Name, Msg: note})
	}
	if rn.TraceCommands {
		conn = &tracingConn{Conn: conn}
	}
	return conn, nil
}

// fail marks the host failed or unreachable in p, records why, and drops
// its connection if the host was lost.
func (rn *run) fail(p *Phase, hs *hostState, t *Task, status Status, msg string) {
	hs.dead = true
	hs.recap.Result = status
	hs.recap.Reason = rn.Secrets.Redact(msg)
	hs.recap.Phase = p.Name
	if t == nil {
		hs.recap.Counts[status]++
		kind := TaskFinished
		if status == StatusUnreachable {
			kind = HostUnreachable
		}
		rn.emit(Event{Kind: kind, Phase: p, Host: hs.host.Name, Status: status, Msg: msg})
	}
	if status == StatusUnreachable && hs.conn != nil {
		hs.conn.Close()
		hs.conn = nil
	}
}

// register stores a task's result under name. On the controller it becomes
// visible to every host from the next phase on.
func (rn *run) register(p *Phase, hs *hostState, env tmpl.Env, name string, val map[string]any) {
	if _, isExtra := rn.plan.extra[name]; isExtra {
		return // extra vars always win
	}
	env[name] = val
	hs.regs[name] = val
	if hs.host.Controller {
		rn.globals[name] = val
	}
}

// hostEnv builds what the host's expressions see in phase p. Precedence,
// lowest first: playbook defaults, inventory vars, playbook vars, phase
// vars, results registered on the controller, results registered on this
// host, extra vars. Vars are rendered with everything else already visible,
// then the higher layers are laid over them again.
func (rn *run) hostEnv(p *Phase, hs *hostState) (tmpl.Env, error) {
	env := tmpl.Env{}
	for k, v := range hs.host.Vars {
		env[k] = v
	}
	higher := []map[string]any{rn.globals, hs.regs, rn.plan.extra}
	overlay(env, higher...)
	rn.addBuiltins(env, hs, p)
	if err := rn.defineDefaults(env, hs); err != nil {
		return nil, err
	}
	for _, vs := range [][]*value{rn.plan.vars, p.vars} {
		if err := rn.defineVars(env, vs); err != nil {
			return nil, err
		}
	}
	overlay(env, higher...)
	return env, nil
}

func overlay(env tmpl.Env, layers ...map[string]any) {
	for _, m := range layers {
		for k, v := range m {
			env[k] = v
		}
	}
}

// defineDefaults renders the playbook's defaults that nothing above them
// (inventory, registered results, extra vars) defines for this host.
func (rn *run) defineDefaults(env tmpl.Env, hs *hostState) error {
	for _, v := range rn.plan.defaults {
		if _, set := env[v.name]; set {
			continue
		}
		val, err := v.render(env)
		if err != nil {
			return fmt.Errorf("default %s (%s): %w", v.name, v.pos, err)
		}
		env[v.name] = val
	}
	return nil
}

func (rn *run) defineVars(env tmpl.Env, vs []*value) error {
	for _, v := range vs {
		if _, isExtra := rn.plan.extra[v.name]; isExtra {
			continue
		}
		val, err := v.render(env)
		if err != nil {
			return fmt.Errorf("variable %s (%s): %w", v.name, v.pos, err)
		}
		env[v.name] = val
	}
	return nil
}

func (rn *run) addBuiltins(env tmpl.Env, hs *hostState, p *Phase) {
	h := hs.host
	facts := transport.Facts{}
	if hs.conn != nil {
		facts = hs.conn.Facts()
	}
	groups := make([]any, len(h.Groups))
	for i, g := range h.Groups {
		groups[i] = g
	}
	env[CheckModeVar] = rn.Check
	env["host"] = map[string]any{
		"name": h.Name, "address": h.Target.Address, "groups": groups,
		"connection": h.Connection, "os": osOf(h, facts), "arch": facts.Arch, "hostname": facts.Hostname,
		// Whether an earlier run of the same open rotation completed this
		// phase on this host (from the journal): false after a run that
		// died or failed midway, so a playbook redoes what may be half done
		// (a restart after an edit).
		"phase_done_before": rn.PreviouslyDone[h.Name][p.Name],
	}
	for k, v := range tmpl.Funcs(env, func(s string) { rn.Secrets.Add(s) }) {
		env[k] = v
	}
}

// osOf is the host's OS: the inventory's `os` var when set (so a playbook
// can be planned before connecting), else what the transport found.
func osOf(h *Host, f transport.Facts) string {
	if v, ok := h.Vars["os"].(string); ok && v != "" {
		return strings.ToLower(v)
	}
	return f.OS
}

// isUnreachable reports whether err means the host was lost.
func isUnreachable(err error) bool { return errors.Is(err, transport.ErrUnreachable) }
