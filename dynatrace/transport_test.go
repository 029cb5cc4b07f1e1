package dynatrace

import (
	"context"
	"errors"
	"net"
	"slices"
	"testing"
	"time"

	"github.com/rotplay/rotplay/lab/dtsim"
)

func TestLostAnswers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		op        string
		open      bool                     // start a rotation first
		fault     func(s *dtsim.Simulator) // injected before the call
		want      []error                  // nil: success
		requests  int
		wantCalls []string
		wantInMsg []string
	}{
		{name: "start answer dropped", op: "start", fault: func(s *dtsim.Simulator) { s.DropResponse("start") },
			want: []error{ErrOutcomeUnknown}, requests: 1, wantCalls: []string{"start"},
			wantInMsg: []string{"do not call start again: check with connectioninfo or cancel"}},
		{name: "start timed out", op: "start", fault: func(s *dtsim.Simulator) { s.DelayNext("start", time.Minute) },
			want: []error{ErrOutcomeUnknown, context.DeadlineExceeded}, requests: 1, wantCalls: []string{"start"},
			wantInMsg: []string{"timed out", "do not call start again"}},
		{name: "start 503 from the simulator", op: "start", fault: func(s *dtsim.Simulator) { s.FailNext("start", 503, 1) },
			want: []error{ErrOutcomeUnknown, ErrServer}, requests: 1},
		{name: "start throttled twice", op: "start", fault: func(s *dtsim.Simulator) { s.FailNext("start", 429, 2) },
			requests: 3, wantCalls: []string{"start"}},
		{name: "finish answer dropped", op: "finish", open: true, fault: func(s *dtsim.Simulator) { s.DropResponse("finish") },
			want: []error{ErrOutcomeUnknown, ErrNoRotation}, requests: 2, wantCalls: []string{"start", "finish"},
			wantInMsg: []string{"may already be finished"}},
		{name: "cancel answer dropped", op: "cancel", open: true, fault: func(s *dtsim.Simulator) { s.DropResponse("cancel") },
			want: []error{ErrOutcomeUnknown, ErrNoRotation}, requests: 2, wantCalls: []string{"start", "cancel"}},
		{name: "finish 502 then ok", op: "finish", open: true, fault: func(s *dtsim.Simulator) { s.FailNext("finish", 502, 1) },
			requests: 2, wantCalls: []string{"start", "finish"}},
		{name: "connectioninfo dropped then ok", op: "connectioninfo", fault: func(s *dtsim.Simulator) { s.DropResponse("connectioninfo") },
			requests: 2},
		{name: "connectioninfo timed out then ok", op: "connectioninfo", fault: func(s *dtsim.Simulator) { s.DelayNext("connectioninfo", time.Minute) },
			requests: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			sim, srv := simServer(t, dtsim.Options{APIToken: testToken})
			c, _ := testClient(t, srv.URL, testToken)
			c.timeout = 300 * time.Millisecond
			if tt.open {
				if _, err := c.StartRotation(t.Context()); err != nil {
					t.Fatal(err)
				}
			}
			tt.fault(sim)
			err := callOp(t.Context(), c, tt.op)
			if got := sim.Requests(tt.op); got != tt.requests {
				t.Errorf("%d %s requests, want %d", got, tt.op, tt.requests)
			}
			if tt.want == nil && err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if tt.want != nil {
				active, old := sim.Tokens()
				checkError(t, err, tt.want, nil, tt.wantInMsg)
				assertNoSecret(t, err, active, old)
			}
			waitCalls(t, sim, tt.wantCalls)
		})
	}
}

// waitCalls waits briefly for the simulator's effective calls to be want:
// a delayed request acts only once the server notices the client left.
func waitCalls(t *testing.T, sim *dtsim.Simulator, want []string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		got := sim.Calls()
		if slices.Equal(got, want) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("simulator calls %v, want %v", got, want)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestStartRetriedWhenNothingWasSent: a refused connection proves the server
// never saw the request, so even start may be repeated.
func TestStartRetriedWhenNothingWasSent(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now: connections are refused
	c, sl := testClient(t, "http://"+addr, testToken)
	_, err = c.StartRotation(t.Context())
	ae, ok := errors.AsType[*APIError](err)
	if !ok || ae.Attempts != 5 || ae.StatusCode != 0 || errors.Is(err, ErrOutcomeUnknown) || len(sl.got()) != 4 {
		t.Fatalf("err %v (%+v), waits %v", err, ae, sl.got())
	}
	checkError(t, err, nil, []error{ErrOutcomeUnknown}, []string{"no response", "could not talk to"})
}

// TestCancelledDuringRetry: the caller's context ends while waiting to
// retry a finish whose first attempt failed with 500.
func TestCancelledDuringRetry(t *testing.T) {
	t.Parallel()
	n, url := script(t, step{status: 500})
	c, _ := testClient(t, url, testToken)
	ctx, cancel := context.WithCancel(t.Context())
	c.retry.Sleep = func(context.Context, time.Duration) error { cancel(); return ctx.Err() }
	_, err := c.FinishRotation(ctx)
	checkError(t, err, []error{context.Canceled, ErrOutcomeUnknown}, []error{ErrServer}, []string{"interrupted", "may already be finished"})
	if n.Load() != 1 {
		t.Fatalf("%d requests after cancel", n.Load())
	}
}

func TestCancelledBeforeCall(t *testing.T) {
	t.Parallel()
	n, url := script(t, step{status: 200, body: okTokens})
	c, _ := testClient(t, url, testToken)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := c.StartRotation(ctx)
	checkError(t, err, []error{context.Canceled}, []error{ErrOutcomeUnknown}, []string{"interrupted"})
	if n.Load() != 0 {
		t.Fatalf("%d requests with a cancelled context", n.Load())
	}
}
