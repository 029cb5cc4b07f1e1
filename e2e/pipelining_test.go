package e2e

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// cancelPlaybook runs a command that outlives its timeout, then one more
// on the same host. The file paths are the hosts' own /var/lib/dynatrace.
const cancelPlaybook = `name: a command cut off by its timeout
phases:
  - name: hang
    hosts: oneagents
    tasks:
      - name: hang past the timeout
        command: sleep 4; touch /var/lib/dynatrace/ran-on
        timeout: 1s
        ignore_errors: true
      - name: run after it
        command: touch /var/lib/dynatrace/next
`

// TestPipeliningCancelOverOpenSSH: on real OpenSSH, a command in the
// pipelining shell whose task times out is stopped on the host (the
// shell's traps relay the signal, KILL as root and TERM through sudo),
// and the host's next command still runs.
func TestPipeliningCancelOverOpenSSH(t *testing.T) {
	t.Parallel()
	f := startFleet(t, []hostSpec{
		{name: "oa-root", kind: oneAgent, login: "root"},
		{name: "oa-sudo", kind: oneAgent, login: sudoUser, become: true},
	})
	playbook := filepath.Join(f.dir, "cancel.yaml")
	if err := os.WriteFile(playbook, []byte(cancelPlaybook), 0o644); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	res := runRotplay(t, f.dir, "run", playbook, "-i", f.inventory, "--state-dir", f.stateDir)
	if res.code != 0 {
		t.Fatalf("the run failed:\n%s", res)
	}
	if took := time.Since(start); took > 3500*time.Millisecond {
		t.Errorf("the run took %v: the 1s timeout did not cut the command off", took)
	}
	time.Sleep(time.Until(start.Add(5 * time.Second))) // past the sleep
	for _, h := range f.hosts {
		if _, err := os.Stat(h.real("/var/lib/dynatrace/ran-on")); err == nil {
			t.Errorf("%s: the timed-out command ran on", h.name)
		}
		if _, err := os.Stat(h.real("/var/lib/dynatrace/next")); err != nil {
			t.Errorf("%s: the command after the timeout did not run: %v", h.name, err)
		}
	}
}
