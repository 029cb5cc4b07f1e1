package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/rotplay/rotplay/internal/golden"
	"github.com/rotplay/rotplay/secret"
)

const (
	oldToken = "oldTokenAAAA1111"
	newToken = "newTokenBBBB2222"
)

func writeAuth(t *testing.T, dir string) string {
	t.Helper()
	p := filepath.Join(dir, "authorization.properties")
	content := "[env0]\r\ntenantToken = " + oldToken + "\r\n[env1]\r\ntenantToken = " + oldToken + " # main\r\n"
	if err := os.WriteFile(p, []byte(content), 0o640); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestRunEditCheckDiffIdempotent runs a playbook that edits a file: --check
// changes nothing, the real run changes exactly the section's line, a
// second run changes nothing, and no token reaches the output.
func TestRunEditCheckDiffIdempotent(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	p := writeAuth(t, dir)
	before, _ := os.ReadFile(p)
	args := []string{"run", "testdata/run/edit.yaml", "-e", "dir=" + dir, "-e", "new_token=" + newToken, "--diff",
		"--state-dir", t.TempDir() + "/state"}

	res := runCLI(t, context.Background(), append(args, "--check")...)
	if res.code != 0 || !strings.Contains(res.stdout, "changed      controller | set the token") {
		t.Fatalf("check run: %s", res)
	}
	if after, _ := os.ReadFile(p); string(after) != string(before) {
		t.Fatal("--check changed the file")
	}

	res = runCLI(t, context.Background(), args...)
	if res.code != 0 {
		t.Fatalf("run: %s", res)
	}
	want := "[env0]\r\ntenantToken = " + oldToken + "\r\n[env1]\r\ntenantToken = " + newToken + " # main\r\n"
	if after, _ := os.ReadFile(p); string(after) != want {
		t.Fatalf("file is %q, want %q", after, want)
	}
	if fi, _ := os.Stat(p); fi.Mode().Perm() != 0o640 {
		t.Fatalf("mode changed to %v", fi.Mode())
	}
	for _, s := range []string{res.stdout, res.stderr} {
		if strings.Contains(s, newToken) {
			t.Fatalf("the new token leaked into output:\n%s", s)
		}
	}
	if !strings.Contains(res.stdout, "+tenantToken = "+secret.Mask(newToken)+" # main") {
		t.Fatalf("diff should show the changed line with the token masked:\n%s", res.stdout)
	}

	res = runCLI(t, context.Background(), args...)
	if res.code != 0 || !strings.Contains(res.stdout, "ok           controller | set the token") ||
		strings.Contains(res.stdout, "changed      controller") {
		t.Fatalf("second run should change nothing: %s", res)
	}
}

func TestRunFailureExitCode(t *testing.T) {
	t.Parallel()
	res := runCLI(t, context.Background(), "run", "testdata/run/fail.yaml", "--state-dir", t.TempDir()+"/state")
	if res.code != ExitFailed {
		t.Fatalf("exit %d, want %d: %s", res.code, ExitFailed, res)
	}
	if !strings.Contains(res.stdout, "STOPPED") || strings.Contains(res.stdout, "PHASE 2") {
		t.Fatalf("phase 2 must not start after a failure:\n%s", res.stdout)
	}
	if !strings.Contains(res.stdout, "something went wrong") {
		t.Fatalf("the failure's reason is missing:\n%s", res.stdout)
	}
}

func TestRunInterrupted(t *testing.T) {
	t.Parallel()
	marker := filepath.Join(t.TempDir(), "marker")
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(300*time.Millisecond, cancel)
	start := time.Now()
	res := runCLI(t, ctx, "run", "testdata/run/slow.yaml", "-e", "marker="+marker, "--state-dir", t.TempDir()+"/state")
	if res.code != ExitInterrupted {
		t.Fatalf("exit %d, want %d: %s", res.code, ExitInterrupted, res)
	}
	if time.Since(start) > 10*time.Second {
		t.Fatal("the running command was not stopped")
	}
	if !strings.Contains(res.stdout, "RECAP") || !strings.Contains(res.stdout, "INTERRUPTED") {
		t.Fatalf("recap missing:\n%s", res.stdout)
	}
	if _, err := os.Stat(marker); err == nil {
		t.Fatal("a later phase ran after the interrupt")
	}
}

// TestDemoPlaybook runs the README's demo end to end with one fork (so the
// output order is fixed) and compares it with a golden file.
func TestDemoPlaybook(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	res := runCLI(t, context.Background(), "run", "../../playbooks/examples/local-demo.yaml", "--diff", "--forks", "1",
		"--state-dir", tmp+"/state")
	if res.code != 0 {
		t.Fatalf("demo failed: %s", res)
	}
	for _, tok := range []string{"oldDemoToken0000", "newDemoToken1111"} {
		if strings.Contains(res.stdout+res.stderr, tok) {
			t.Fatalf("token %s leaked into the output", tok)
		}
	}
	dirs, _ := filepath.Glob(filepath.Join(tmp, "rotplay-demo.*"))
	if len(dirs) != 1 {
		t.Fatalf("work dirs: %v", dirs)
	}
	rux, _ := os.ReadFile(filepath.Join(dirs[0], "ag-local-1", "ruxitagent.conf"))
	if string(rux) != "Tenant abc12345\r\nTenantToken newDemoToken1111\r\n" {
		t.Fatalf("ruxitagent.conf = %q", rux)
	}
	auth, _ := os.ReadFile(filepath.Join(dirs[0], "ag-local-2", "authorization.properties"))
	if !strings.Contains(string(auth), "tenantToken = otherEnvToken999\n") ||
		!strings.Contains(string(auth), "[abc12345]\ntenantToken = newDemoToken1111\n") {
		t.Fatalf("authorization.properties:\n%s", auth)
	}
	golden.Check(t, "testdata/run/demo.txt", normalise(res.String()))
}

// TestRunLock: a second run against the same state directory while one
// holds its lock exits 5 at once, naming the holder; --check needs no lock.
func TestRunLock(t *testing.T) {
	t.Parallel()
	dir := t.TempDir() + "/state"
	lock, err := lockState(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Unlock()
	res := runCLI(t, context.Background(), "run", "testdata/run/fail.yaml", "--state-dir", dir)
	if res.code != ExitLocked || !strings.Contains(res.stderr, "another rotplay run holds the lock") || !strings.Contains(res.stderr, "pid ") {
		t.Fatalf("locked run: %s", res)
	}
	if strings.Contains(res.stdout, "PHASE") {
		t.Fatal("a locked run must not start")
	}
	if res := runCLI(t, context.Background(), "run", "testdata/run/fail.yaml", "--state-dir", dir, "--check"); res.code == ExitLocked {
		t.Fatalf("--check must not need the lock: %s", res)
	}
}

// TestMachineOutputsKeepSecrets runs with every machine-readable output and
// greps them all for the token.
func TestMachineOutputsKeepSecrets(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeAuth(t, dir)
	rep, junit := dir+"/report.json", dir+"/junit.xml"
	res := runCLI(t, context.Background(), "run", "testdata/run/edit.yaml", "-e", "dir="+dir, "-e", "new_token="+newToken,
		"--diff", "--state-dir", dir+"/state", "--output", "jsonl", "--report", rep, "--junit", junit)
	if res.code != 0 || !strings.HasPrefix(res.stdout, "{") {
		t.Fatalf("run: %s", res)
	}
	for name, text := range map[string]string{"stdout": res.stdout, "stderr": res.stderr} {
		if strings.Contains(text, newToken) {
			t.Fatalf("the token leaked into %s", name)
		}
	}
	for _, f := range []string{rep, junit} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), newToken) {
			t.Fatalf("the token leaked into %s", f)
		}
		if fi, _ := os.Stat(f); fi.Mode().Perm() != 0o600 {
			t.Fatalf("%s has mode %v", f, fi.Mode())
		}
	}
	if !strings.Contains(res.stdout, secret.Mask(newToken)) {
		t.Fatal("the masked token should appear in the jsonl diff")
	}
}

// TestProfileEnv: with ROTPLAY_PROFILE set, rotplay writes a CPU and a
// heap profile and its peaks into that directory.
func TestProfileEnv(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "prof")
	t.Setenv(profileEnv, dir)
	stop := startProfile()
	stop()
	for _, f := range []string{"cpu.pprof", "heap.pprof"} {
		if fi, err := os.Stat(filepath.Join(dir, f)); err != nil || fi.Size() == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}
	peaks, err := os.ReadFile(filepath.Join(dir, "peaks.txt"))
	if err != nil || !regexp.MustCompile(`peak goroutines [1-9]\d*\npeak open file descriptors [1-9]`).Match(peaks) {
		t.Errorf("peaks.txt: %q, %v", peaks, err)
	}
}
