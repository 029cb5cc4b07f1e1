package faults

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rotplay/rotplay/lab"
	"github.com/rotplay/rotplay/lab/sshserver"
)

// TestNoFault is the baseline: without a fault the rotation completes in
// one run, which is what every other case's follow-up run must reach.
func TestNoFault(t *testing.T) {
	t.Parallel()
	f := startLab(t, lab.Options{ActiveGates: 1, OneAgents: 1})
	f.completed(f.rotate(), 1)
}

// An ActiveGate that is down from the start: the run stops at the
// ActiveGates barrier, no OneAgent is touched, finish is never asked for.
func TestActiveGateUnreachable(t *testing.T) {
	t.Parallel()
	f := startLab(t, lab.Options{ActiveGates: 2, OneAgents: 1})
	if err := f.l.StopHost("ag-2"); err != nil {
		t.Fatal(err)
	}
	r := f.rotate()
	wantCode(t, r, 4)
	wantOutput(t, r, "ag-2", "BARRIER after phase 2: 1 ok, 0 failed, 1 unreachable")
	if strings.Contains(r.stdout, "PHASE 3") {
		t.Fatalf("a OneAgent phase ran with an ActiveGate unreachable:\n%s", r)
	}
	f.leftSafe()
	if err := f.l.RestartHost("ag-2"); err != nil {
		t.Fatal(err)
	}
	f.resumes()
}

// A OneAgent that is down: every ActiveGate is rotated, finish is not
// asked for (both tokens stay valid, so the ActiveGates lose nothing).
func TestOneAgentUnreachable(t *testing.T) {
	t.Parallel()
	f := startLab(t, lab.Options{ActiveGates: 1, OneAgents: 2})
	if err := f.l.StopHost("oa-1"); err != nil {
		t.Fatal(err)
	}
	r := f.rotate()
	wantCode(t, r, 4)
	wantOutput(t, r, "BARRIER after phase 3: 1 ok, 0 failed, 1 unreachable")
	if strings.Contains(r.stdout, "PHASE 4") {
		t.Fatalf("the finish phase ran with a OneAgent unreachable:\n%s", r)
	}
	f.leftSafe()
	if err := f.l.RestartHost("oa-1"); err != nil {
		t.Fatal(err)
	}
	f.resumes()
}

// The SSH connection to an ActiveGate drops while it is being started
// again (the gateway's start takes RestartDelay): the ActiveGate is left
// stopped with the new token in its files. It is ag-2, which has no
// zRemote: see TestBugZRemoteNotRestartedOnResume for ag-1.
func TestSSHDroppedMidPhase(t *testing.T) {
	t.Parallel()
	f := startLab(t, lab.Options{ActiveGates: 2, OneAgents: 1, RestartDelay: time.Second})
	dropped := f.dropWhen("ag-2", "systemctl start")
	r := f.rotate()
	select {
	case <-dropped:
	default:
		t.Fatalf("the connection was never dropped:\n%s", r)
	}
	wantCode(t, r, 4)
	wantOutput(t, r, "BARRIER after phase 2: 1 ok, 0 failed, 1 unreachable")
	if strings.Contains(r.stdout, "PHASE 3") {
		t.Fatalf("OneAgents were touched with an ActiveGate unreachable:\n%s", r)
	}
	f.leftSafe()
	f.healedResumes("ag-2")
}

// dropWhen drops every SSH connection of host 300ms after the first
// command containing s starts there; the channel closes when it has.
func (f *fixture) dropWhen(host, s string) <-chan struct{} {
	var once sync.Once
	dropped := make(chan struct{})
	f.hook(host, func(ctx context.Context, req sshserver.ExecRequest, next sshserver.ExecFunc) int {
		if strings.Contains(req.Command, s) {
			once.Do(func() {
				go func() {
					time.Sleep(300 * time.Millisecond)
					f.l.DropConnections(host)
					close(dropped)
				}()
			})
		}
		return next(ctx, req)
	})
	return dropped
}

// oneagentctl --set-tenant-token exits 1 on a OneAgent.
func TestOneAgentCtlFails(t *testing.T) {
	t.Parallel()
	f := startLab(t, lab.Options{ActiveGates: 1, OneAgents: 1})
	f.hook("oa-1", func(ctx context.Context, req sshserver.ExecRequest, next sshserver.ExecFunc) int {
		if strings.Contains(req.Command, "--set-tenant-token") {
			fmt.Fprintln(req.Stderr, "oneagentctl: Failed to apply the configuration (lab fault)")
			return 1
		}
		return next(ctx, req)
	})
	r := f.rotate()
	wantCode(t, r, 3)
	wantOutput(t, r, "lab fault", "BARRIER after phase 3: 0 ok, 1 failed, 0 unreachable")
	f.leftSafe()
	f.healedResumes("oa-1")
}

// oneagentctl --set-tenant-token never returns. The playbook sets no task
// timeout, so rotplay would wait for ever: the operator's Ctrl-C stops it
// (exit 130, recap printed) and the hung command is ended on the host.
func TestOneAgentCtlHangs(t *testing.T) {
	t.Parallel()
	f := startLab(t, lab.Options{ActiveGates: 1, OneAgents: 1})
	var once sync.Once
	hung, released := make(chan struct{}), make(chan struct{})
	f.hook("oa-1", func(ctx context.Context, req sshserver.ExecRequest, next sshserver.ExecFunc) int {
		if !strings.Contains(req.Command, "--set-tenant-token") {
			return next(ctx, req)
		}
		once.Do(func() { close(hung) })
		<-ctx.Done()
		close(released)
		return -15
	})
	p := f.start(f.rotationArgs()...)
	select {
	case <-hung:
	case <-time.After(time.Minute):
		t.Fatalf("oneagentctl was never run:\n%s", p.wait(t))
	}
	time.Sleep(200 * time.Millisecond) // still hanging: nothing times it out
	p.signal(t, os.Interrupt)
	r := p.wait(t)
	wantCode(t, r, 130)
	wantOutput(t, r, "RECAP")
	select {
	case <-released:
	case <-time.After(10 * time.Second):
		t.Fatal("the hung oneagentctl was not ended on the host after Ctrl-C")
	}
	f.leftSafe()
	f.healedResumes("oa-1")
}

// The ActiveGate's service fails to start after its files were edited: it
// stays down with the new token; the run stops at the barrier. It is ag-2,
// which has no zRemote: see TestBugZRemoteNotRestartedOnResume for ag-1.
func TestServiceDoesNotComeBack(t *testing.T) {
	t.Parallel()
	f := startLab(t, lab.Options{ActiveGates: 2, OneAgents: 1})
	f.gatewayFailsToStart("ag-2")
	r := f.rotate()
	wantCode(t, r, 3)
	wantOutput(t, r, "dynatracegateway.service failed", "BARRIER after phase 2: 1 ok, 1 failed, 0 unreachable")
	if strings.Contains(r.stdout, "PHASE 3") {
		t.Fatalf("OneAgents were touched with an ActiveGate down:\n%s", r)
	}
	f.leftSafe()
	f.healedResumes("ag-2")
}

// gatewayFailsToStart makes `systemctl start dynatracegateway` fail on
// host, as a unit whose start job fails.
func (f *fixture) gatewayFailsToStart(host string) {
	f.hook(host, func(ctx context.Context, req sshserver.ExecRequest, next sshserver.ExecFunc) int {
		if strings.Contains(req.Command, "systemctl start") && strings.Contains(req.Command, "dynatracegateway") {
			fmt.Fprintln(req.Stderr, "Job for dynatracegateway.service failed because the control process exited with error code.")
			return 1
		}
		return next(ctx, req)
	})
}

// The ActiveGate's login user has no root (no become): its token file is
// not readable, let alone writable. Nothing is stopped or changed; after
// the operator sets ansible_become, the re-run completes.
func TestPermissionDenied(t *testing.T) {
	t.Parallel()
	f := startLab(t, lab.Options{ActiveGates: 1, OneAgents: 1,
		Logins: map[string]lab.Login{"ag-1": {User: "ops"}}})
	r := f.rotate()
	wantCode(t, r, 3)
	wantOutput(t, r, "ag-1", "authorization.properties on ag-1: permission denied", "BARRIER after phase 2: 0 ok, 1 failed, 0 unreachable")
	if strings.Contains(r.stdout, "stop the ActiveGate: stopped") {
		t.Fatalf("the ActiveGate was stopped although its files cannot be written:\n%s", r)
	}
	f.leftSafe()
	if err := f.l.SetLogin("ag-1", lab.Login{User: "ops", Become: true}); err != nil {
		t.Fatal(err)
	}
	f.resumes()
}

// hook sets (or with nil removes) a fault hook on a lab host.
func (f *fixture) hook(host string, h lab.ExecHook) {
	f.t.Helper()
	if err := f.l.SetExecHook(host, h); err != nil {
		f.t.Fatal(err)
	}
}
