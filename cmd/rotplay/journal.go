package main

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"time"

	"github.com/rotplay/rotplay/engine"
	"github.com/rotplay/rotplay/secret"
	"github.com/rotplay/rotplay/state"
	"github.com/rotplay/rotplay/tmpl"
)

// journalObserver writes a run's progress to the state directory's
// journal, so that a later run of the same rotation (and rotplay status)
// knows which hosts this one verified.
//
// Which rotation a record belongs to is the fingerprint of the open
// rotation's active token, read from the state directory (see
// openRotation): at the start of the run and again after every controller
// task, since api_rotate's start may open one and finish or cancel closes
// it. Once known it is kept until another open rotation is found, so the
// records after finish still carry it.
//
// A failing journal never stops the run: the first failure is reported on
// stderr, later ones are dropped.
type journalObserver struct {
	j       *state.Journal
	dir     *state.Dir
	hint    string // the run's environment, when the plan says it
	mode    string // state.ModeRollback or ""
	runID   string
	secrets *secret.Redactor // redacts again, in case
	stderr  io.Writer

	rotation state.Rotation
	reported bool
	failed   map[string]bool // hosts already recorded as failed
}

func (o *journalObserver) Event(e engine.Event) {
	switch e.Kind {
	case engine.RunStarted:
		o.refresh()
		o.append(state.Record{Kind: state.KindRunStarted, Time: e.Time})
	case engine.TaskFinished:
		if e.Host == engine.ControllerHost {
			o.refresh()
		}
		o.append(o.hostRecord(e, state.KindTask))
		if e.Status == engine.StatusFailed || e.Status == engine.StatusUnreachable {
			o.hostFailed(e)
		}
	case engine.HostUnreachable:
		o.hostFailed(e)
	case engine.PhaseFinished:
		// One write and one fsync for the whole phase, not one per host.
		rs := make([]state.Record, len(e.Summary.Completed))
		for i, h := range e.Summary.Completed {
			rs[i] = state.Record{Kind: state.KindHostPhaseDone, Time: e.Time, Phase: e.Phase.Name, Host: h}
		}
		o.append(rs...)
	case engine.RunFinished:
		status, msg := outcome(e.Recap)
		o.append(state.Record{Kind: state.KindRunFinished, Time: e.Time, Status: status, Msg: msg})
	}
}

func (o *journalObserver) hostRecord(e engine.Event, kind string) state.Record {
	r := state.Record{Kind: kind, Time: e.Time, Phase: e.Phase.Name, Host: e.Host, Status: string(e.Status), Msg: e.Msg}
	if e.Task != nil {
		r.Task = e.Task.Title()
	}
	return r
}

func (o *journalObserver) hostFailed(e engine.Event) {
	if o.failed[e.Host] {
		return
	}
	if o.failed == nil {
		o.failed = map[string]bool{}
	}
	o.failed[e.Host] = true
	r := o.hostRecord(e, state.KindHostFailed)
	r.Task = ""
	if r.Status == "" {
		r.Status = string(engine.StatusUnreachable)
	}
	o.append(r)
}

// append fills in what every record shares and writes them.
func (o *journalObserver) append(rs ...state.Record) {
	env, rotation := o.rotation.Environment, ""
	if env == "" {
		env = o.hint
	}
	if o.rotation.Active != "" {
		rotation = secret.Fingerprint(o.rotation.Active)
	}
	for i := range rs {
		r := &rs[i]
		r.RunID, r.Mode, r.Environment, r.Rotation = o.runID, o.mode, env, rotation
		r.Msg = o.secrets.Redact(r.Msg)
	}
	if err := o.j.Append(rs...); err != nil && !o.reported {
		o.reported = true
		fmt.Fprintf(o.stderr, "rotplay: WARNING: the run goes on, but its progress is not journaled (%v); "+
			"a later --limit run cannot count this run's hosts as done, run without --limit then\n", err)
	}
}

func (o *journalObserver) refresh() {
	if r, ok := openRotation(o.dir, o.hint); ok {
		o.rotation = r
	}
}

// openRotation picks the rotation a run is about from the state
// directory: the one of the environment the plan names (hint), else the
// only one open. Several open and no hint is "unknown": nothing is
// counted as done then, which only makes the finish gate stricter.
func openRotation(d *state.Dir, hint string) (state.Rotation, bool) {
	if hint != "" {
		r, err := d.LoadRotation(hint)
		return r, err == nil
	}
	open, err := d.OpenRotations()
	if err != nil || len(open) != 1 {
		return state.Rotation{}, false
	}
	return open[0], true
}

// environmentHint is dt_environment_url as the plan sets it (-e or the
// inventory's all vars), when it is a plain value; "" otherwise.
func environmentHint(plan *engine.Plan) string {
	v, _ := plan.ControllerVar("dt_environment_url")
	s, _ := v.(string)
	if tmpl.IsTemplate(s) {
		return ""
	}
	return s
}

// runMode is state.ModeRollback for a run with the rollback var set
// (rotplay rollback): it moves hosts back to the old token.
func runMode(plan *engine.Plan) string {
	if v, _ := plan.ControllerVar("rollback"); v == true {
		return state.ModeRollback
	}
	return ""
}

// outcome is how a run ended, for the journal.
func outcome(r *engine.Recap) (status, msg string) {
	if r == nil {
		return "unknown", ""
	}
	err := &engine.RunError{Recap: r}
	switch {
	case r.Interrupted:
		return "interrupted", err.Error()
	case len(r.Failed()) > 0:
		return string(engine.StatusFailed), err.Error()
	case len(r.Unreachable()) > 0:
		return string(engine.StatusUnreachable), err.Error()
	}
	return "ok", ""
}

func newRunID() string {
	b := make([]byte, 6)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// journalRun prepares journaling for a run of plan that holds the lock of
// d: it fills r.PreviouslyDone from what earlier runs of the open rotation
// recorded and returns the observer that records this run, and how to
// close it. Problems are warnings on stderr: the run goes on without.
func journalRun(e *env, d *state.Dir, plan *engine.Plan, r *engine.Runner) (engine.Observer, func()) {
	hint, mode := environmentHint(plan), runMode(plan)
	if mode == "" { // what earlier runs verified is the new token: no help to a rollback
		previouslyDone(e, d, hint, r)
	}
	j, err := d.Journal()
	if err != nil {
		fmt.Fprintf(e.stderr, "rotplay: WARNING: the run goes on, but its progress is not journaled: %v\n", err)
		return nil, func() {}
	}
	o := &journalObserver{j: j, dir: d, hint: hint, mode: mode, runID: newRunID(),
		secrets: r.Secrets, stderr: e.stderr}
	return o, func() { j.Close() }
}

// previouslyDone fills r.PreviouslyDone with what the journal says
// earlier runs of the open rotation verified.
func previouslyDone(e *env, d *state.Dir, hint string, r *engine.Runner) {
	rot, ok := openRotation(d, hint)
	if !ok {
		return
	}
	records, err := d.ReadJournal()
	if err != nil {
		fmt.Fprintf(e.stderr, "rotplay: WARNING: %v; hosts verified by earlier runs are not counted as done\n", err)
		return
	}
	r.PreviouslyDone = map[string]map[string]bool{}
	r.PreviouslyDoneAt = map[string]time.Time{}
	for host, p := range state.Progress(records, secret.Fingerprint(rot.Active)) {
		if len(p.Done) > 0 {
			r.PreviouslyDone[host], r.PreviouslyDoneAt[host] = p.Done, p.DoneAt
		}
	}
}
