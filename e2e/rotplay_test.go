package e2e

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"
)

// runTimeout bounds one rotplay run; a hung run fails the test instead of
// the whole test binary.
const runTimeout = 2 * time.Minute

// runResult is one finished run of the rotplay binary.
type runResult struct {
	args           []string
	code           int
	stdout, stderr string
}

func (r runResult) String() string {
	return fmt.Sprintf("rotplay %s\nexit %d\n--- stdout\n%s--- stderr\n%s",
		strings.Join(r.args, " "), r.code, r.stdout, r.stderr)
}

// rotate runs the shipped playbook, unmodified, against the fleet, from
// the repository root, with the fleet's own state directory. --diff shows
// every changed line, and whatever the outcome no token may be in the
// output.
func (f *fleet) rotate(t *testing.T, extra ...string) runResult {
	t.Helper()
	args := append([]string{"run", "playbooks/rotation.yaml", "-i", f.inventory, "--state-dir", f.stateDir, "--diff"}, extra...)
	res := runRotplay(t, f.dir, args...)
	f.noSecrets(t, res)
	return res
}

// runRotplay runs the binary with a clean environment: HOME is a fresh
// directory (so no ~/.ssh of the machine's takes part), no ssh-agent and no
// DT_API_TOKEN. A run that does not exit is a test failure.
func runRotplay(t *testing.T, dir string, args ...string) runResult {
	t.Helper()
	home, err := os.MkdirTemp(dir, "home-")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), runTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, suite.rotplay, args...)
	cmd.Dir = suite.repoRoot
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + home, "LANG=C.UTF-8"}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	res := runResult{args: args, stdout: stdout.String(), stderr: stderr.String()}
	var exit *exec.ExitError
	switch {
	case ctx.Err() != nil:
		t.Fatalf("rotplay did not finish within %v:\n%s", runTimeout, res)
	case errors.As(err, &exit):
		res.code = exit.ExitCode()
	case err != nil:
		t.Fatalf("run rotplay: %v", err)
	}
	t.Logf("%s", res)
	return res
}

// changedLine is how the text output reports a task that changed a host.
var changedLine = regexp.MustCompile(`(?m)^  changed `)

// noSecrets fails t if a tenant token or the API token is in the output.
func (f *fleet) noSecrets(t *testing.T, res runResult) {
	t.Helper()
	newToken, _ := f.sim.Tokens()
	secrets := map[string]string{"old tenant token": f.oldToken, "new tenant token": newToken, "API token": f.sim.APIToken()}
	for what, s := range secrets {
		if s != "" && strings.Contains(res.stdout+res.stderr, s) {
			t.Errorf("the %s leaked into rotplay's output", what)
		}
	}
}
