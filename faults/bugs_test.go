package faults

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rotplay/rotplay/lab"
	"github.com/rotplay/rotplay/lab/dtsim"
)

// The cases here found real data-loss bugs, since fixed. Each runs the
// scenario in full and fails, naming the bug, if its symptom comes back.

// ag-1 has zRemote. Its gateway fails to start after every file was
// edited, before the playbook's "restart zRemote" task; zRemote keeps
// running on the old token. The re-run sees zRemote's file already
// rotated (zremote_file.changed is false), so it never restarts zRemote,
// and finishes: zRemote is cut off.
func TestBugZRemoteNotRestartedOnResume(t *testing.T) {
	t.Parallel()
	f := startLab(t, lab.Options{ActiveGates: 1, OneAgents: 1})
	f.gatewayFailsToStart("ag-1")
	r := f.rotate()
	wantCode(t, r, 3)
	wantOutput(t, r, "BARRIER after phase 2: 0 ok, 1 failed, 0 unreachable")
	f.leftSafe()
	f.hook("ag-1", nil)
	r = f.rotate()
	if cutOff(f.l.Verdict(), "ag-1", "zremote") {
		t.Fatalf("the resumed run finished the rotation with ag-1's zRemote still on the old token: %+v", f.l.Verdict())
	}
	wantOutput(t, r, "ok           controller | start the rotation")
	f.completed(r, 1)
}

// The SSH connection to a OneAgent drops while oneagentctl restarts the
// agent (after it wrote the new token): the agent is left stopped. The
// re-run reads the new token back (--get-tenant-token), so it neither sets
// nor restarts, and finishes: the stopped OneAgent is cut off.
func TestBugOneAgentLeftStoppedOnResume(t *testing.T) {
	t.Parallel()
	f := startLab(t, lab.Options{ActiveGates: 1, OneAgents: 1, RestartDelay: time.Second})
	dropped := f.dropWhen("oa-1", "--set-tenant-token")
	r := f.rotate()
	select {
	case <-dropped:
	default:
		t.Fatalf("the connection was never dropped:\n%s", r)
	}
	wantCode(t, r, 4)
	wantOutput(t, r, "BARRIER after phase 3: 0 ok, 0 failed, 1 unreachable")
	f.leftSafe()
	f.hook("oa-1", nil)
	r = f.rotate()
	if cutOff(f.l.Verdict(), "oa-1", "oneagent") {
		t.Fatalf("the resumed run finished the rotation with oa-1's OneAgent stopped: %+v\n%s", f.l.Verdict(), r)
	}
	wantOutput(t, r, "ok           controller | start the rotation")
	f.completed(r, 1)
}

// cutOff reports whether the verdict lists host's component as
// disconnected at finish.
func cutOff(v dtsim.Verdict, host, component string) bool {
	return v.Finished && slices.ContainsFunc(v.Disconnected, func(d dtsim.Disconnection) bool {
		return d.Host == host && d.Component == component && strings.Contains(d.Reason, "at finish")
	})
}
