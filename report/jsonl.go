package report

import (
	"encoding/json"
	"io"
	"time"

	"github.com/rotplay/rotplay/engine"
)

// line is one event of --output jsonl.
type line struct {
	Kind       engine.EventKind `json:"kind"`
	Time       time.Time        `json:"time"`
	Phase      string           `json:"phase,omitempty"`
	PhaseIndex int              `json:"phase_index,omitempty"`
	Host       string           `json:"host,omitempty"`
	Task       string           `json:"task,omitempty"`
	TaskIndex  int              `json:"task_index,omitempty"`
	Status     engine.Status    `json:"status,omitempty"`
	Msg        string           `json:"msg,omitempty"`
	Diff       string           `json:"diff,omitempty"`
	DurationMS *int64           `json:"duration_ms,omitempty"`
	Attempt    int              `json:"attempt,omitempty"`
	Summary    *summary         `json:"summary,omitempty"`
	Recap      *recap           `json:"recap,omitempty"`
}

type summary struct {
	Hosts       int      `json:"hosts"`
	Completed   []string `json:"completed"`
	Failed      []string `json:"failed"`
	Unreachable []string `json:"unreachable"`
	NotRun      []string `json:"not_run"`
	Stopped     bool     `json:"stopped"`
	Reason      string   `json:"reason,omitempty"`
}

type recap struct {
	Outcome    string      `json:"outcome"`
	StoppedAt  *PhaseRef   `json:"stopped_at,omitempty"`
	DurationMS int64       `json:"duration_ms"`
	Hosts      []recapHost `json:"hosts"`
}

type recapHost struct {
	Name   string                `json:"name"`
	Result engine.Status         `json:"result"`
	Counts map[engine.Status]int `json:"counts"`
	Reason string                `json:"reason,omitempty"`
	Phase  string                `json:"phase,omitempty"`
}

// JSONLines streams a run's events as one JSON object per line; the
// recap, in the run_finished object, is the last.
type JSONLines struct {
	w   io.Writer
	err error
}

var _ engine.Observer = (*JSONLines)(nil)

// NewJSONLines returns an observer that writes each event to w as one
// line, in one Write call, and flushes w after it if w has a Flush method
// (a bufio.Writer), so that a reader sees every event as it happens.
func NewJSONLines(w io.Writer) *JSONLines { return &JSONLines{w: w} }

// Err is the first write error; the events after it are dropped.
func (j *JSONLines) Err() error { return j.err }

// Event implements engine.Observer.
func (j *JSONLines) Event(e engine.Event) {
	if j.err != nil {
		return
	}
	b, err := json.Marshal(toLine(e))
	if err == nil {
		_, err = j.w.Write(append(b, '\n'))
	}
	if f, ok := j.w.(interface{ Flush() error }); ok && err == nil {
		err = f.Flush()
	}
	j.err = err
}

func toLine(e engine.Event) line {
	l := line{Kind: e.Kind, Time: e.Time, Host: e.Host, Status: e.Status, Msg: e.Msg, Diff: e.Diff, Attempt: e.Attempt}
	if e.Phase != nil {
		l.Phase, l.PhaseIndex = e.Phase.Name, e.Phase.Index
	}
	if e.Task != nil {
		l.Task, l.TaskIndex = e.Task.Title(), e.Task.Index
	}
	switch e.Kind {
	case engine.TaskFinished, engine.PhaseFinished, engine.RunFinished:
		d := ms(e.Duration)
		l.DurationMS = &d
	}
	if s := e.Summary; s != nil {
		l.Summary = &summary{Hosts: s.Hosts, Completed: nonNil(s.Completed), Failed: nonNil(s.Failed),
			Unreachable: nonNil(s.Unreachable), NotRun: nonNil(s.NotRun), Stopped: s.Stopped, Reason: s.Reason}
	}
	if r := e.Recap; r != nil {
		l.Recap = toRecap(r)
	}
	return l
}

func toRecap(r *engine.Recap) *recap {
	out := &recap{Outcome: Outcome(r), DurationMS: ms(r.Duration), Hosts: []recapHost{}}
	if p := r.StoppedAt; p != nil {
		out.StoppedAt = &PhaseRef{Index: p.Index, Name: p.Name}
	}
	for _, h := range r.Hosts {
		out.Hosts = append(out.Hosts, recapHost{Name: h.Name, Result: h.Result, Counts: h.Counts, Reason: h.Reason, Phase: h.Phase})
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
