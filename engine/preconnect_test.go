package engine_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/rotplay/rotplay/engine"
	"github.com/rotplay/rotplay/transport"
)

// dialLog wraps a dialer: it records when each host was dialed, can fail
// a host's first dial, and counts the connections not closed yet.
type dialLog struct {
	transport.Dialer
	failFirst string

	mu     sync.Mutex
	at     map[string][]time.Time
	open   int
	failed bool
}

func (d *dialLog) Dial(ctx context.Context, t transport.Target) (transport.Conn, error) {
	d.mu.Lock()
	if d.at == nil {
		d.at = map[string][]time.Time{}
	}
	d.at[t.Name] = append(d.at[t.Name], time.Now())
	fail := t.Name == d.failFirst && !d.failed
	d.failed = d.failed || fail
	d.mu.Unlock()
	if fail {
		return nil, errors.Join(transport.ErrUnreachable, errors.New("first dial fails"))
	}
	c, err := d.Dialer.Dial(ctx, t)
	if err != nil {
		return nil, err
	}
	d.mu.Lock()
	d.open++
	d.mu.Unlock()
	return &closeCount{Conn: c, d: d}, nil
}

type closeCount struct {
	transport.Conn
	d    *dialLog
	once sync.Once
}

func (c *closeCount) Close() error {
	c.once.Do(func() {
		c.d.mu.Lock()
		c.d.open--
		c.d.mu.Unlock()
	})
	return c.Conn.Close()
}

// threePhases is the rotation's shape: the controller, then the
// ActiveGates, each running probe, then the OneAgents.
func threePhases(probe string) string {
	return `
phases:
  - name: start
    hosts: controller
    tasks:
      - probe: {}
  - name: ActiveGates
    hosts: activegates
    tasks:
      - probe: ` + probe + `
  - name: OneAgents
    hosts: oneagents
    tasks:
      - probe: {}
`
}

// TestPreconnect: the OneAgents are connected while the ActiveGates still
// run (from the second phase on), once each, and still touched only after
// the barrier; every connection is closed when the run ends.
func TestPreconnect(t *testing.T) {
	t.Parallel()
	s := newSetup(t)
	d := &dialLog{Dialer: s.net}
	s.runner.Dialers = map[string]transport.Dialer{"fake": d, "local": d}
	if _, err := s.run(context.Background(), threePhases("{sleep: 150ms}")); err != nil {
		t.Fatal(err)
	}
	var agEnd, oaStart time.Time
	for _, sp := range s.rec.all() {
		if sp.host[:2] == "ag" && sp.end.After(agEnd) {
			agEnd = sp.end
		}
		if sp.host[:2] == "oa" && (oaStart.IsZero() || sp.start.Before(oaStart)) {
			oaStart = sp.start
		}
	}
	for _, h := range []string{"oa1", "oa2"} {
		if at := d.at[h]; len(at) != 1 || !at[0].Before(agEnd) {
			t.Errorf("%s dialed at %v, want once, before the ActiveGates ended (%v)", h, at, agEnd)
		}
	}
	if !oaStart.After(agEnd) {
		t.Errorf("a OneAgent task started at %v, before the barrier (%v)", oaStart, agEnd)
	}
	if d.open != 0 {
		t.Errorf("%d connections left open", d.open)
	}
}

// TestPreconnectFailureRedials: a host whose connection failed ahead is
// dialed again when its phase starts, as if nothing had been tried.
func TestPreconnectFailureRedials(t *testing.T) {
	t.Parallel()
	s := newSetup(t)
	d := &dialLog{Dialer: s.net, failFirst: "oa1"}
	s.runner.Dialers = map[string]transport.Dialer{"fake": d, "local": d}
	if _, err := s.run(context.Background(), threePhases("{sleep: 150ms}")); err != nil {
		t.Fatalf("the run failed: %v", err)
	}
	if n := len(d.at["oa1"]); n != 2 {
		t.Errorf("oa1 dialed %d times, want 2 (ahead, failed; then at its phase)", n)
	}
}

// TestPreconnectStoppedRunClosesAll: a run that stops at the barrier
// closes the connections opened ahead for hosts it never ran.
func TestPreconnectStoppedRunClosesAll(t *testing.T) {
	t.Parallel()
	s := newSetup(t)
	d := &dialLog{Dialer: s.net}
	s.runner.Dialers = map[string]transport.Dialer{"fake": d, "local": d}
	_, err := s.run(context.Background(), threePhases("{sleep: 100ms, fail: true}"))
	if err == nil {
		t.Fatal("the run should stop at the barrier")
	}
	for _, sp := range s.rec.all() {
		if sp.host[:2] == "oa" {
			t.Errorf("%s ran although the run stopped at the barrier", sp.host)
		}
	}
	if len(d.at["oa1"]) != 1 || d.open != 0 {
		t.Errorf("oa1 dialed %d times, %d connections left open; want 1 and 0", len(d.at["oa1"]), d.open)
	}
}

// openAt records, at each phase's start, how many connections are open.
type openAt struct {
	engine.Observer
	d  *dialLog
	mu sync.Mutex
	at map[string]int
}

func (o *openAt) Event(e engine.Event) {
	if e.Kind == engine.PhaseStarted {
		o.d.mu.Lock()
		n := o.d.open
		o.d.mu.Unlock()
		o.mu.Lock()
		o.at[e.Phase.Name] = n
		o.mu.Unlock()
	}
	o.Observer.Event(e)
}

// TestConnectionClosedAfterLastPhase: a host's connection is closed once
// the last phase it is in is done, not when the run ends, so that a big
// fleet does not hold a connection (descriptors, goroutines) per host.
func TestConnectionClosedAfterLastPhase(t *testing.T) {
	t.Parallel()
	s := newSetup(t)
	d := &dialLog{Dialer: s.net}
	s.runner.Dialers = map[string]transport.Dialer{"fake": d, "local": d}
	obs := &openAt{Observer: s.runner.Observer, d: d, at: map[string]int{}}
	s.runner.Observer = obs
	if _, err := s.run(context.Background(), threePhases("{sleep: 150ms}")+`
  - name: finish
    hosts: controller
    tasks:
      - probe: {}
`); err != nil {
		t.Fatal(err)
	}
	// At "finish" only the controller's connection is left; the OneAgents
	// were connected ahead, so at "OneAgents" the ActiveGates' are gone.
	if n := obs.at["finish"]; n != 1 {
		t.Errorf("%d connections open when the last phase started, want 1 (the controller's)", n)
	}
	if n := obs.at["OneAgents"]; n != 3 {
		t.Errorf("%d connections open when the OneAgents' phase started, want 3 (controller, oa1, oa2)", n)
	}
	if d.open != 0 {
		t.Errorf("%d connections left open", d.open)
	}
}
