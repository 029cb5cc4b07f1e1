package dtsim

import (
	"context"
	"net/http"
	"testing"
	"time"
)

func TestFailNext(t *testing.T) {
	t.Parallel()
	l := newLab(t, Options{})
	l.sim.FailNext("start", http.StatusServiceUnavailable, 2)
	for i, want := range []int{503, 503, 200, 400} {
		a := l.post("/api/v2/tenantTokenRotation/start")
		if a.status != want {
			t.Fatalf("request %d: %d, want %d", i, a.status, want)
		}
		if want == 503 && a.message() == "" {
			t.Fatalf("fault without the error envelope: %s", a.raw)
		}
	}
	if n := l.sim.Requests("start"); n != 4 {
		t.Fatalf("Requests(start) = %d", n)
	}
	if c := l.sim.Calls(); len(c) != 1 {
		t.Fatalf("failed requests must not act: calls %v", c)
	}
}

func TestDropResponseActsButDoesNotAnswer(t *testing.T) {
	t.Parallel()
	l := newLab(t, Options{InitialToken: "initialtoken0123456789"})
	l.sim.DropResponse("start")
	req, _ := http.NewRequest(http.MethodPost, l.srv.URL+"/api/v2/tenantTokenRotation/start", nil)
	req.Header.Set("Authorization", "Api-Token "+l.sim.APIToken())
	if resp, err := l.srv.Client().Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("dropped response arrived: %d", resp.StatusCode)
	}
	if active, old := l.sim.Tokens(); old != "initialtoken0123456789" || active == old {
		t.Fatalf("the dropped start did not act: %q %q", active, old)
	}
	if a := l.post("/api/v2/tenantTokenRotation/finish"); a.status != 200 {
		t.Fatalf("the drop must be one-shot: finish %d", a.status)
	}
}

func TestDelayNextStillActs(t *testing.T) {
	t.Parallel()
	l := newLab(t, Options{})
	l.sim.DelayNext("start", time.Minute)
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, l.srv.URL+"/api/v2/tenantTokenRotation/start", nil)
	req.Header.Set("Authorization", "Api-Token "+l.sim.APIToken())
	begin := time.Now()
	if resp, err := l.srv.Client().Do(req); err == nil {
		resp.Body.Close()
		t.Fatal("delayed start answered within the client's timeout")
	}
	// The server notices the client left, then acts: poll briefly.
	for len(l.sim.Calls()) == 0 && time.Since(begin) < 5*time.Second {
		time.Sleep(5 * time.Millisecond)
	}
	if got := l.sim.Calls(); len(got) != 1 || got[0] != "start" {
		t.Fatalf("the delayed start did not act: %v", got)
	}
}

func TestFaultOnUnknownOpPanics(t *testing.T) {
	t.Parallel()
	defer func() {
		if recover() == nil {
			t.Fatal("FailNext accepted an unknown op")
		}
	}()
	New(Options{}).FailNext("restart", 500, 1)
}
