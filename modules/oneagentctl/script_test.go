package oneagentctl

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestSetScriptRealSh asks a real sh to run the wrapper: the only judge
// of quoting that matters. A stand-in oneagentctl, installed in a
// directory whose name needs quoting, prints the arguments it gets.
func TestSetScriptRealSh(t *testing.T) {
	t.Parallel()
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	dir := filepath.Join(t.TempDir(), "it's a $dir")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	tool := filepath.Join(dir, "oneagentctl")
	// NUL cannot occur in an argument, so it separates them unambiguously.
	if err := os.WriteFile(tool, []byte("#!/bin/sh\nprintf '%s\\0' \"$@\"\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	flags := []string{"--set-tenant=abc12345", "--set-server={https://a:9999/communication;https://b/communication}", "--restart-service"}
	script := setScript(tool, flags)
	for _, token := range []string{newToken, oddToken, `back\slash`, "-n", "*"} {
		cmd := exec.Command(sh, "-c", script)
		cmd.Stdin = strings.NewReader(token + "\n")
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("sh -c %s: %v", script, err)
		}
		got := strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00")
		want := append([]string{"--set-tenant-token=" + token}, flags...)
		if !slices.Equal(got, want) {
			t.Errorf("token %s: oneagentctl got %q, want %q", fp(token), got, want)
		}
	}
	cmd := exec.Command(sh, "-c", script) // no token on stdin
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 || !strings.Contains(string(out), "no tenant token on stdin") {
		t.Errorf("without stdin: %v, %q; want exit 2 saying so", err, out)
	}
}
