package dtsim

import (
	"context"
	"fmt"
	"time"
)

// ops the fault injectors accept.
var faultOps = map[string]bool{"start": true, "finish": true, "cancel": true, "connectioninfo": true, "oneagents": true, "activegates": true}

// faults are the failures queued for one operation.
type faults struct {
	failStatus int
	failN      int
	delays     []time.Duration
	drops      int
}

// fault is what happens to one request.
type fault struct {
	wait   time.Duration
	status int  // answer with this status instead of acting
	drop   bool // act, then close the connection without answering
}

// delay waits f.wait, or until the client has gone: a server that stalls
// still goes on to act.
func (f fault) delay(ctx context.Context) {
	if f.wait <= 0 {
		return
	}
	t := time.NewTimer(f.wait)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}

// FailNext makes the next n requests for op answer status (with the
// documented error body) without acting. op is "start", "finish", "cancel",
// "connectioninfo", "oneagents" or "activegates"; any other panics, as a
// mistake in a test.
func (s *Simulator) FailNext(op string, status, n int) {
	s.withFaults(op, func(f *faults) { f.failStatus, f.failN = status, n })
}

// DelayNext makes the next request for op wait d before it is handled (or
// until the client gives up); it is then handled normally, so a client that
// timed out does not know the outcome.
func (s *Simulator) DelayNext(op string, d time.Duration) {
	s.withFaults(op, func(f *faults) { f.delays = append(f.delays, d) })
}

// DropResponse makes the next request for op take effect and then lose its
// answer: the connection is closed without a response, as when a start's
// response is lost in the network.
func (s *Simulator) DropResponse(op string) {
	s.withFaults(op, func(f *faults) { f.drops++ })
}

func (s *Simulator) withFaults(op string, change func(*faults)) {
	if !faultOps[op] {
		panic(fmt.Sprintf("dtsim: no operation %q to inject a fault into (have start, finish, cancel, connectioninfo, oneagents, activegates)", op))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.faults[op] == nil {
		s.faults[op] = &faults{}
	}
	change(s.faults[op])
}

// takeFault counts a request for op and consumes the faults queued for it.
func (s *Simulator) takeFault(op string) fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests[op]++
	q := s.faults[op]
	if q == nil {
		return fault{}
	}
	var f fault
	if len(q.delays) > 0 {
		f.wait, q.delays = q.delays[0], q.delays[1:]
	}
	if q.failN > 0 {
		f.status = q.failStatus
		q.failN--
	} else if q.drops > 0 {
		f.drop = true
		q.drops--
	}
	return f
}
