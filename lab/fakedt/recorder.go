package fakedt

import (
	"context"
	"sync"
)

// Event is one report a Recorder received. Kind is "connect" or "stop";
// Token and Accepted are set for connects only.
type Event struct {
	Kind      string
	Host      string
	Component string
	Token     string
	Accepted  bool
}

// Recorder is an in-memory Reporter for tests: it records every report and
// accepts a token when Accept says so (all tokens when Accept is nil). Safe
// for concurrent use; the zero value is ready.
type Recorder struct {
	// Accept decides connects; set it before the first report.
	Accept func(host, component, token string) (ok bool, reason string)

	mu     sync.Mutex
	events []Event
}

var _ Reporter = (*Recorder)(nil)

// Connect records the attempt and returns Accept's verdict.
func (r *Recorder) Connect(_ context.Context, host, component, token string) (bool, string, error) {
	ok, reason := true, ""
	if r.Accept != nil {
		ok, reason = r.Accept(host, component, token)
	}
	r.add(Event{Kind: "connect", Host: host, Component: component, Token: token, Accepted: ok})
	return ok, reason, nil
}

// Stop records the stop.
func (r *Recorder) Stop(_ context.Context, host, component string) error {
	r.add(Event{Kind: "stop", Host: host, Component: component})
	return nil
}

// Events returns a copy of the reports received so far, in order.
func (r *Recorder) Events() []Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Event(nil), r.events...)
}

func (r *Recorder) add(e Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, e)
}
