// Package report owns rotplay's machine-readable run output: the JSON
// report of a whole run (--report), the event stream as JSON lines
// (--output jsonl) and the JUnit XML report for CI systems (--junit).
// Each is an engine.Observer; like the text output, they only turn events
// into bytes. Events arrive redacted; the file reports redact again at
// write time, with the run's redactor, in case a secret was registered
// after an event that carries it.
package report

import (
	"regexp"
	"time"

	"github.com/rotplay/rotplay/engine"
	"github.com/rotplay/rotplay/secret"
)

// Outcomes of a run, most serious first.
const (
	OutcomeInterrupted = "interrupted"
	OutcomeStopped     = "stopped" // the failure policy stopped the run at a barrier
	OutcomeFailed      = "failed"
	OutcomeUnreachable = "unreachable"
	OutcomeOK          = "ok"
)

// Outcome is how a run ended, as one word (see the Outcome constants).
func Outcome(r *engine.Recap) string {
	switch {
	case r == nil || r.Interrupted:
		return OutcomeInterrupted
	case r.StoppedAt != nil:
		return OutcomeStopped
	case len(r.Failed()) > 0:
		return OutcomeFailed
	case len(r.Unreachable()) > 0:
		return OutcomeUnreachable
	}
	return OutcomeOK
}

// connectTask is the name under which a host-level failure (no task: the
// connection, a crash) appears among a phase's tasks.
const connectTask = "(host)"

// fileReport is what the file reports share: it records every event and,
// on the run's last, encodes the report and writes it atomically.
type fileReport struct {
	file    string
	plan    *engine.Plan
	secrets *secret.Redactor
	rec     record
	encode  func() ([]byte, error)
	err     error
}

// Event implements engine.Observer.
func (f *fileReport) Event(e engine.Event) {
	f.rec.add(e)
	if e.Kind != engine.RunFinished {
		return
	}
	b, err := f.encode()
	if err == nil {
		err = writeFileAtomic(f.file, b)
	}
	f.err = err
}

// Err is why the report could not be written; nil before the run ends.
func (f *fileReport) Err() error { return f.err }

// record is a run as the file reports need it: events grouped by phase,
// host and task, in the order they happened.
type record struct {
	started, finished time.Time
	phases            []*phaseRecord
	byIndex           map[int]*phaseRecord
	recap             *engine.Recap
	fingerprint       string
}

type phaseRecord struct {
	phase    *engine.Phase
	started  time.Time
	duration time.Duration
	hosts    []string // in the order they first reported
	results  map[string][]taskResult
	dropped  map[string]string // host → why it did not run
}

type taskResult struct {
	task     *engine.Task // nil for a host-level failure
	status   engine.Status
	msg      string
	duration time.Duration
}

func (t taskResult) title() string {
	if t.task == nil {
		return connectTask
	}
	return t.task.Title()
}

// fingerprintInMsg finds a token fingerprint in api_rotate's messages: the
// token itself is a secret, so it reaches events as secret.Mask, "***"
// and the fingerprint.
var fingerprintInMsg = regexp.MustCompile(`(?:new|active) token \*\*\*([0-9a-f]{8})\b`)

// add records one event.
func (r *record) add(e engine.Event) {
	switch e.Kind {
	case engine.RunStarted:
		r.started = e.Time
	case engine.PhaseStarted:
		r.phaseOf(e.Phase).started = e.Time
	case engine.TaskFinished, engine.HostUnreachable:
		p := r.phaseOf(e.Phase)
		p.addHost(e.Host)
		p.results[e.Host] = append(p.results[e.Host], taskResult{task: e.Task, status: e.Status, msg: e.Msg, duration: e.Duration})
		if e.Host == engine.ControllerHost && e.Task != nil && e.Task.ModuleName == "api_rotate" {
			if m := fingerprintInMsg.FindStringSubmatch(e.Msg); m != nil {
				r.fingerprint = m[1]
			}
		}
	case engine.HostDropped:
		p := r.phaseOf(e.Phase)
		p.addHost(e.Host)
		p.dropped[e.Host] = e.Msg
	case engine.PhaseFinished:
		r.phaseOf(e.Phase).duration = e.Duration
	case engine.RunFinished:
		r.finished, r.recap = e.Time, e.Recap
	}
}

func (r *record) phaseOf(p *engine.Phase) *phaseRecord {
	if r.byIndex == nil {
		r.byIndex = map[int]*phaseRecord{}
	}
	if pr, ok := r.byIndex[p.Index]; ok {
		return pr
	}
	pr := &phaseRecord{phase: p, results: map[string][]taskResult{}, dropped: map[string]string{}}
	r.byIndex[p.Index] = pr
	r.phases = append(r.phases, pr)
	return pr
}

func (p *phaseRecord) addHost(h string) {
	if _, ok := p.results[h]; ok {
		return
	}
	if _, ok := p.dropped[h]; ok {
		return
	}
	p.hosts = append(p.hosts, h)
	p.results[h] = nil
}

func ms(d time.Duration) int64 { return d.Milliseconds() }
