package e2e

import (
	"testing"
)

// finishOff is the extra variable that leaves a rotation open.
var finishOff = []string{"-e", "{finish_rotation: false}"}

// TestRotationOverOpenSSH rotates a fleet of real sshd hosts with the
// shipped playbook and checks every file, every agent and the API (and,
// as every run, that no token reached the output).
func TestRotationOverOpenSSH(t *testing.T) {
	t.Parallel()
	f := startFleet(t, standardFleet())
	if res := f.rotate(t); res.code != 0 {
		t.Fatalf("the rotation failed:\n%s", res)
	}
	f.wantVerdict(t, true, "start", "finish")
	for _, h := range f.hosts {
		f.wantRotated(t, h)
	}
	f.wantAbsent(t, "ag-2", zremoteConf) // missing: skip must not create it
}

// TestResumeChangesNothing leaves the rotation open, runs again (which
// resumes the saved rotation on hosts that are all done) and then finishes.
func TestResumeChangesNothing(t *testing.T) {
	t.Parallel()
	f := startFleet(t, standardFleet())
	res := f.rotate(t, finishOff...)
	if res.code != 0 {
		t.Fatalf("first run, rotation left open:\n%s", res)
	}
	if !changedLine.MatchString(res.stdout) {
		t.Fatalf("the first run reported no change: has the output format changed? "+
			"Then the check on the second run proves nothing:\n%s", res)
	}
	f.wantVerdict(t, false, "start")

	res = f.rotate(t, finishOff...)
	if res.code != 0 {
		t.Fatalf("second run:\n%s", res)
	}
	if changedLine.MatchString(res.stdout) {
		t.Fatalf("the resumed run changed something, every host was done already:\n%s", res)
	}
	f.wantVerdict(t, false, "start")

	if res = f.rotate(t); res.code != 0 {
		t.Fatalf("third run, finishing:\n%s", res)
	}
	f.wantVerdict(t, true, "start", "finish")
	for _, h := range f.hosts {
		f.wantRotated(t, h)
	}
}

// TestUnreachableHostStopsBeforeFinish runs with one OneAgent's sshd dead:
// the run must report it unreachable and never finish the rotation, which
// would cut that agent off.
func TestUnreachableHostStopsBeforeFinish(t *testing.T) {
	t.Parallel()
	f := startFleet(t, standardFleet())
	f.host("oa-2").sshd.stop()
	res := f.rotate(t)
	if res.code != 4 {
		t.Fatalf("exit code %d, want 4 (unreachable):\n%s", res.code, res)
	}
	wantLine(t, res, "oa-2", "unreachable")
	f.wantVerdict(t, false, "start")
	for _, name := range []string{"ag-1", "ag-2", "oa-1"} {
		f.wantRotated(t, f.host(name))
	}
	f.wantOneAgentToken(t, "oa-2", f.oldToken)
}

// TestSudoDenied logs in to an ActiveGate as a user without sudo rights:
// that host fails with a message about sudo, the barrier keeps the
// OneAgents untouched and the rotation is not finished.
func TestSudoDenied(t *testing.T) {
	t.Parallel()
	specs := standardFleet()
	specs[1].login = noSudoUser // ag-2, with become
	f := startFleet(t, specs)
	res := f.rotate(t)
	if res.code != 3 {
		t.Fatalf("exit code %d, want 3 (a host failed):\n%s", res.code, res)
	}
	wantLine(t, res, "ag-2", "sudo")
	f.wantVerdict(t, false, "start")
	f.wantRotated(t, f.host("ag-1"))
	f.wantUnchanged(t, f.host("ag-2"))
	f.wantOneAgentToken(t, "oa-1", f.oldToken)
	f.wantOneAgentToken(t, "oa-2", f.oldToken)
}
