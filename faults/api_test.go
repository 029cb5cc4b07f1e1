package faults

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rotplay/rotplay/lab"
	"github.com/rotplay/rotplay/lab/dtsim"
)

// API errors on start and finish, injected with the simulator's FailNext.
// The simulator answers the error without acting.
func TestAPIErrors(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name   string
		op     string
		status int
		n      int
		code   int    // exit code of the first run
		output string // what the first run must say
	}{
		// 5xx on start: start is never repeated blindly (it may have acted).
		{"start 500", "start", 500, 1, 3, "the rotation may have started and its new token is lost; do not call start again"},
		// 429 on start: throttled before acting, retried with backoff.
		{"start 429 once", "start", 429, 1, 0, ""},
		{"start 429 until retries run out", "start", 429, 5, 3, "throttling"},
		// finish is retried on 5xx and 429 (repeating it is harmless).
		{"finish 500 once", "finish", 500, 1, 0, ""},
		{"finish 500 until retries run out", "finish", 500, 5, 3, "finish rotation"},
		{"finish 429 once", "finish", 429, 1, 0, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			f := startLab(t, lab.Options{ActiveGates: 1, OneAgents: 1})
			f.l.Sim.FailNext(c.op, c.status, c.n)
			r := f.rotate()
			if c.code == 0 {
				f.completed(r, 1)
				if n := f.l.Sim.Requests(c.op); n != c.n+1 {
					t.Fatalf("%s was requested %d times, want %d (retried after the fault)", c.op, n, c.n+1)
				}
				return
			}
			wantCode(t, r, c.code)
			wantOutput(t, r, c.output)
			if c.op == "start" && f.l.Sim.Requests("start") != c.n {
				t.Fatalf("start requested %d times, want %d", f.l.Sim.Requests("start"), c.n)
			}
			f.leftSafe()
			if c.op == "start" {
				// Nothing was started, so the re-run starts (once).
				f.completed(f.rotate(), 1)
				return
			}
			f.resumes()
		})
	}
}

// The answer to start is lost after the simulator started the rotation:
// the new token exists only server-side. rotplay recovers it through
// connectioninfo when that returns a token different from the one read
// just before start (inferred, not documented, behaviour), with a
// WARNING, and completes; start takes effect once.
func TestStartResponseLostRecovered(t *testing.T) {
	t.Parallel()
	f := startLab(t, lab.Options{ActiveGates: 1, OneAgents: 1})
	f.l.Sim.DropResponse("start")
	r := f.rotate()
	wantOutput(t, r, "WARNING: the start answer was lost and the new token was recovered through connectioninfo")
	f.completed(r, 1)
	if n := f.l.Sim.Requests("start"); n != 1 {
		t.Fatalf("start requested %d times", n)
	}
}

// As above, but connectioninfo keeps returning the old token (the other
// hypothesis), so nothing can be recovered: rotplay stops with "outcome
// unknown", touches no host and never starts another rotation; the re-run
// explains that the rotation must be cancelled. After a cancel (a tiny
// playbook with api_rotate action: cancel), a full run succeeds.
func TestStartResponseLost(t *testing.T) {
	t.Parallel()
	f := startLab(t, lab.Options{ActiveGates: 1, OneAgents: 1,
		Simulator: dtsim.Options{ConnectionInfoReturnsOld: true}})
	f.l.Sim.DropResponse("start")
	r := f.rotate()
	wantCode(t, r, 3)
	wantOutput(t, r, "no response", "the rotation may have started and its new token is lost; do not call start again", "STOPPED")
	if strings.Contains(r.stdout, "PHASE 2") {
		t.Fatalf("hosts were touched without a saved token:\n%s", r)
	}
	if v := f.l.Verdict(); strings.Join(v.Calls, ",") != "start" || !v.Safe {
		t.Fatalf("verdict %+v", v)
	}
	f.filesIntact()
	f.noFileChanged()

	r = f.rotate()
	wantCode(t, r, 3)
	wantOutput(t, r, "already in progress", "cancel it (api_rotate action: cancel)")
	if v := f.l.Verdict(); strings.Join(v.Calls, ",") != "start" || !v.Safe {
		t.Fatalf("the re-run must not start another rotation: %+v", v)
	}
	f.noFileChanged()

	r = f.start("run", f.cancelPlaybook(), "-i", f.l.Inventory, "--state-dir", f.l.StateDir).wait(t)
	wantCode(t, r, 0)
	wantOutput(t, r, "rotation cancelled")
	if v := f.l.Verdict(); strings.Join(v.Calls, ",") != "start,cancel" || !v.Safe {
		t.Fatalf("after cancel: %+v", v)
	}
	f.completed(f.rotate(), 2) // the lost start, then this one
	if calls := f.l.Verdict().Calls; !slices.Equal(calls, []string{"start", "cancel", "start", "finish"}) {
		t.Fatalf("calls %v", calls)
	}
}

// noFileChanged: every token file still holds its original content.
func (f *fixture) noFileChanged() {
	f.t.Helper()
	for _, o := range f.files {
		data, _ := os.ReadFile(filepath.Join(f.l.HostRoot(o.host), o.path))
		if string(data) != o.content {
			f.t.Fatalf("%s:%s changed:\n%s", o.host, o.path, data)
		}
	}
}

// cancelPlaybook writes the operator's tiny cancel playbook.
func (f *fixture) cancelPlaybook() string {
	f.t.Helper()
	p := filepath.Join(f.t.TempDir(), "cancel.yaml")
	src := `name: Cancel the open rotation
phases:
  - name: Cancel
    hosts: controller
    tasks:
      - name: cancel the rotation
        api_rotate:
          action: cancel
          environment: "{{ dt_environment_url }}"
          api_token_file: "{{ dt_api_token_file }}"
`
	if err := os.WriteFile(p, []byte(src), 0o600); err != nil {
		f.t.Fatal(err)
	}
	return p
}
