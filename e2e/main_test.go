package e2e

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"testing"
)

// requireEnv is the environment variable that turns a missing prerequisite
// from a skip into a failure; CI sets it to "require".
const requireEnv = "ROTPLAY_E2E"

// suite is what TestMain prepares once for every test of the package.
var suite struct {
	// skip is why the tests cannot run here ("" when they can).
	skip string
	// setupErr is a set-up that failed although the prerequisites are
	// there: always a failure.
	setupErr error

	dir            string // world-readable directory of the files below
	rotplay        string // the rotplay binary under test
	fakedt         string // the fake Dynatrace tools, a multi-call binary
	floor          string // the benchmark's floor (bench/floor)
	clientKey      string // the private key rotplay logs in with (0600)
	authorizedKeys string // the public half, for every sshd and user
	repoRoot       string // where playbooks/rotation.yaml is
}

func TestMain(m *testing.M) { os.Exit(runSuite(m)) }

// runSuite sets the suite up when this machine can run it, runs the tests
// and undoes the set-up, in reverse order, whatever happened.
func runSuite(m *testing.M) int {
	if suite.skip = missingPrerequisite(); suite.skip != "" {
		return m.Run()
	}
	var undo teardown
	defer undo.run()
	suite.setupErr = setUp(&undo)
	return m.Run()
}

// missingPrerequisite says what this machine lacks to run the suite, or "".
func missingPrerequisite() string {
	if os.Geteuid() != 0 {
		return "the end-to-end tests need root (mount namespaces, sshd, users)"
	}
	tools := []struct{ name, pkg string }{
		{sshdPath, "openssh-server"}, {"sudo", "sudo"}, {"unshare", "util-linux"},
		{"useradd", "passwd"}, {"userdel", "passwd"},
	}
	for _, tool := range tools {
		if _, err := exec.LookPath(tool.name); err != nil {
			return fmt.Sprintf("%s is missing (Debian package %s): %v", tool.name, tool.pkg, err)
		}
	}
	out, err := exec.Command("unshare", "--mount", "--propagation", "private", "--",
		"mount", "-t", "tmpfs", "rotplay-e2e", "/opt").CombinedOutput()
	if err != nil {
		return fmt.Sprintf("cannot mount in a new mount namespace (unshare --mount): %v: %s", err, out)
	}
	return ""
}

// needSuite skips or fails t when the suite cannot run, as requireEnv says.
func needSuite(t testing.TB) {
	t.Helper()
	if suite.skip != "" {
		if os.Getenv(requireEnv) == "require" {
			t.Fatalf("%s=require but this machine cannot run the end-to-end tests: %s", requireEnv, suite.skip)
		}
		t.Skipf("skipping the end-to-end tests (set %s=require to fail instead): %s", requireEnv, suite.skip)
	}
	if suite.setupErr != nil {
		t.Fatalf("end-to-end set-up failed: %v", suite.setupErr)
	}
}

// teardown is a stack of undo steps, run last-in first-out, for what the
// suite changes outside its temporary directory.
type teardown []func() error

func (u *teardown) add(f func() error) { *u = append(*u, f) }

func (u *teardown) run() {
	var errs []error
	for i := len(*u) - 1; i >= 0; i-- {
		errs = append(errs, (*u)[i]())
	}
	if err := errors.Join(errs...); err != nil {
		fmt.Fprintf(os.Stderr, "e2e: tearing down: %v\n", err)
	}
}
