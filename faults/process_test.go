package faults

import (
	"context"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/rotplay/rotplay/lab"
	"github.com/rotplay/rotplay/lab/sshserver"
)

// rotplay killed with SIGKILL mid-phase: after "PHASE 2" while ag-1's
// gateway is being stopped (before any edit), and after "PHASE 3" while
// oneagentctl is about to set the token. Nothing can run in rotplay any
// more: safety rests on the saved state, atomic writes on the hosts and
// the resumable playbook. (A kill between zRemote's edit and its restart,
// or during oneagentctl's restart, hits the bugs in bugs_test.go.)
func TestKilled(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ name, host, line, command string }{
		{"in phase 2 (ActiveGates)", "ag-1", "PHASE 2", "systemctl stop"},
		{"in phase 3 (OneAgents)", "oa-1", "PHASE 3", "--set-tenant-token"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			f := startLab(t, lab.Options{ActiveGates: 1, OneAgents: 1, RestartDelay: 200 * time.Millisecond})
			at := f.holdAt(c.host, c.command)
			p := f.start(f.rotationArgs()...)
			p.waitLine(t, c.line)
			<-at
			p.signal(t, syscall.SIGKILL)
			r := p.wait(t)
			if r.signal != syscall.SIGKILL || strings.Contains(r.stdout, "RECAP") {
				t.Fatalf("want death by SIGKILL without a recap: %s", r)
			}
			f.leftSafe()
			f.healedResumes(c.host)
		})
	}
}

// holdAt delays the first command containing s on host by a second (or
// until the client goes), and tells when it has begun.
func (f *fixture) holdAt(host, s string) <-chan struct{} {
	var once sync.Once
	at := make(chan struct{})
	f.hook(host, func(ctx context.Context, req sshserver.ExecRequest, next sshserver.ExecFunc) int {
		if strings.Contains(req.Command, s) {
			held := false
			once.Do(func() { close(at); held = true })
			if held {
				select {
				case <-time.After(time.Second):
				case <-ctx.Done():
					return -15
				}
			}
		}
		return next(ctx, req)
	})
	return at
}

// Ctrl-C in the ActiveGates phase (while ag-1's gateway is being
// stopped): exit 130, the recap is printed, no later phase starts.
func TestInterrupted(t *testing.T) {
	t.Parallel()
	f := startLab(t, lab.Options{ActiveGates: 1, OneAgents: 1, RestartDelay: 200 * time.Millisecond})
	at := f.holdAt("ag-1", "systemctl stop")
	p := f.start(f.rotationArgs()...)
	p.waitLine(t, "PHASE 2")
	<-at
	p.signal(t, os.Interrupt)
	r := p.wait(t)
	wantCode(t, r, 130)
	wantOutput(t, r, "RECAP")
	if strings.Contains(r.stdout, "PHASE 3") {
		t.Fatalf("a phase started after Ctrl-C:\n%s", r)
	}
	f.leftSafe()
	f.healedResumes("ag-1")
}

// Two runs against one state directory: the second exits 5 at once and
// names the holder; the first completes undisturbed.
func TestConcurrentRuns(t *testing.T) {
	t.Parallel()
	f := startLab(t, lab.Options{ActiveGates: 1, OneAgents: 1, RestartDelay: 300 * time.Millisecond})
	first := f.start(f.rotationArgs()...)
	first.waitLine(t, "PHASE 2")
	second := f.rotate()
	wantCode(t, second, 5)
	wantOutput(t, second, "another rotplay run holds the lock", "pid ")
	if strings.Contains(second.stdout, "PHASE") {
		t.Fatalf("the second run ran something:\n%s", second)
	}
	f.completed(first.wait(t), 1)
}
