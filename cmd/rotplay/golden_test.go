package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/rotplay/rotplay/internal/golden"
)

// cliResult is what one in-process rotplay invocation produced.
type cliResult struct {
	code           int
	stdout, stderr string
}

func runCLI(t *testing.T, ctx context.Context, args ...string) cliResult {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(ctx, args, &out, &errb)
	return cliResult{code: code, stdout: out.String(), stderr: errb.String()}
}

func (r cliResult) String() string {
	return fmt.Sprintf("exit %d\n--- stdout\n%s--- stderr\n%s", r.code, r.stdout, r.stderr)
}

var (
	durations = regexp.MustCompile(`\b\d+(\.\d+)?(ns|µs|ms|s|m)\b`)
	tempDirs  = regexp.MustCompile(`/[^\s"]*rotplay-demo\.[A-Za-z0-9]+`)
)

// normalise removes what changes from run to run: durations, temp paths.
func normalise(s string) string {
	s = tempDirs.ReplaceAllString(s, "$$WORKDIR")
	return durations.ReplaceAllString(s, "$$DURATION")
}

// TestValidateDiagnostics runs `rotplay validate` on one bad playbook per
// failure mode and compares the diagnostics with testdata/validate/*/want.txt.
func TestValidateDiagnostics(t *testing.T) {
	t.Parallel()
	cases, err := filepath.Glob("testdata/validate/*/playbook.yaml")
	if err != nil || len(cases) == 0 {
		t.Fatalf("no cases: %v", err)
	}
	for _, pb := range cases {
		dir := filepath.Dir(pb)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			t.Parallel()
			args := []string{"validate", pb}
			switch inv := filepath.Join(dir, "inventory.yaml"); {
			case fileExists(inv):
				args = append(args, "-i", inv)
			case filepath.Base(dir) != "no-inventory":
				args = append(args, "-i", "testdata/validate/inventory.yaml")
			}
			res := runCLI(t, context.Background(), args...)
			if res.code != ExitUsage {
				t.Errorf("exit %d, want %d", res.code, ExitUsage)
			}
			golden.Check(t, filepath.Join(dir, "want.txt"), res.String())
		})
	}
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// TestGraphFormats draws the shipped demo playbook in every format.
func TestGraphFormats(t *testing.T) {
	t.Parallel()
	for _, format := range []string{"text", "dot", "mermaid"} {
		t.Run(format, func(t *testing.T) {
			t.Parallel()
			res := runCLI(t, context.Background(), "graph", "../../playbooks/examples/local-demo.yaml", "--format", format)
			if res.code != 0 {
				t.Fatalf("graph failed: %s", res)
			}
			golden.Check(t, filepath.Join("testdata", "graph", format+".txt"), res.stdout)
		})
	}
}

func TestHelpAndVersion(t *testing.T) {
	t.Parallel()
	res := runCLI(t, context.Background(), "--version")
	if res.code != 0 || strings.TrimSpace(res.stdout) == "" {
		t.Fatalf("--version: %s", res)
	}
	for _, cmd := range []string{"run", "validate", "graph"} {
		res := runCLI(t, context.Background(), cmd, "--help")
		if res.code != 0 || !strings.Contains(res.stdout, "Usage: rotplay "+cmd) {
			t.Fatalf("%s --help: %s", cmd, res)
		}
	}
	res = runCLI(t, context.Background(), "--help")
	if !strings.Contains(res.stdout, "Exit codes:") {
		t.Fatalf("--help must list exit codes: %s", res)
	}
	res = runCLI(t, context.Background(), "run")
	if res.code != ExitUsage || !strings.Contains(res.stderr, "expected \"<playbook>\"") {
		t.Fatalf("missing argument: %s", res)
	}
}

func TestMissingFiles(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ args, want []string }{
		{[]string{"validate", "nothere.yaml"}, []string{"nothere.yaml: cannot read the playbook", "fix: check the path"}},
		{[]string{"graph", "testdata/run/fail.yaml", "-i", "noinv.yaml"}, []string{"noinv.yaml: cannot read the inventory"}},
		{[]string{"run", "testdata/run/fail.yaml", "-e", "bad-name=1"}, []string{`"bad-name=1" is not KEY=VALUE or @FILE`}},
		{[]string{"validate", "testdata/run/edit.yaml", "-e", "dir=/a,b", "-e", "x=1,y=2"}, nil},
	} {
		res := runCLI(t, context.Background(), tc.args...)
		if tc.want == nil {
			// Commas inside -e values are part of the value.
			if res.code != ExitUsage || !strings.Contains(res.stderr, `undefined variable "new_token"`) ||
				strings.Contains(res.stderr, "KEY=VALUE") {
				t.Errorf("%v: %s", tc.args, res)
			}
			continue
		}
		if res.code != ExitUsage {
			t.Errorf("%v: exit %d, want 2", tc.args, res.code)
		}
		for _, w := range tc.want {
			if !strings.Contains(res.stderr, w) {
				t.Errorf("%v: stderr %q lacks %q", tc.args, res.stderr, w)
			}
		}
	}
}

// TestBadConnectionSettings: what a host's transport would refuse when
// connecting is a usage error at validate and run, at the host's line in
// the inventory, before anything runs (no rotation is started).
func TestBadConnectionSettings(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	inv := filepath.Join(dir, "hosts.yaml")
	pb := filepath.Join(dir, "play.yaml")
	writeTestFile(t, inv, `all:
  children:
    activegates:
      hosts:
        ag-1: {ansible_host: 127.0.0.1, rotplay_ssh_pipelining: maybe}
        ag-2: {ansible_host: 127.0.0.1}
        win-1: {ansible_connection: winrm, ansible_user: admin, ansible_winrm_scheme: ftp}
`)
	writeTestFile(t, pb, "phases:\n  - name: gates\n    hosts: activegates\n    tasks:\n      - command: {cmd: 'true'}\n")
	for _, cmd := range []string{"validate", "run"} {
		res := runCLI(t, context.Background(), cmd, pb, "-i", inv, "--state-dir", filepath.Join(dir, "state"))
		if res.code != ExitUsage {
			t.Errorf("%s: exit %d, want %d: %s", cmd, res.code, ExitUsage, res)
		}
		for _, want := range []string{
			inv + ":5:", "host ag-1: variable rotplay_ssh_pipelining must be true or false, got maybe",
			inv + ":7:", "host win-1:", "no password given", `ansible_winrm_scheme is "ftp"`,
			"fix: correct the host's connection variables",
		} {
			if !strings.Contains(res.stderr, want) {
				t.Errorf("%s: stderr lacks %q:\n%s", cmd, want, res.stderr)
			}
		}
		if strings.Contains(res.stderr, "ag-2") || strings.Contains(res.stdout, "PHASE") {
			t.Errorf("%s: a good host was blamed, or something ran:\n%s", cmd, res)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "state")); err == nil {
		t.Error("run created its state directory: something ran")
	}
}

func writeTestFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}
