package vhost

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// testHost is a host on a temporary directory with a helper to run
// command lines on it.
type testHost struct {
	t *testing.T
	*Host
}

func newTestHost(t *testing.T, opts Options) *testHost {
	t.Helper()
	h, err := New("web-1", t.TempDir(), opts)
	if err != nil {
		t.Fatal(err)
	}
	return &testHost{t, h}
}

// result is how one command line ended.
type result struct {
	code           int
	stdout, stderr string
}

func (h *testHost) run(line string) result {
	h.t.Helper()
	return h.runIn(line, nil)
}

func (h *testHost) runIn(line string, stdin io.Reader) result {
	h.t.Helper()
	var out, errb bytes.Buffer
	code := h.Exec(h.t.Context(), Request{Command: line, Stdin: stdin, Stdout: &out, Stderr: &errb})
	return result{code, out.String(), errb.String()}
}

// must runs line and fails the test unless it exits 0.
func (h *testHost) must(line string) string {
	h.t.Helper()
	r := h.run(line)
	if r.code != 0 {
		h.t.Fatalf("%q: exit %d, stderr %q", line, r.code, r.stderr)
	}
	return r.stdout
}

// write lays out a file in the root, as the lab does (owned by root).
func (h *testHost) write(name, content string, mode os.FileMode) {
	h.t.Helper()
	real := filepath.Join(h.Root(), name)
	if err := os.MkdirAll(filepath.Dir(real), 0o755); err != nil {
		h.t.Fatal(err)
	}
	if err := os.WriteFile(real, []byte(content), mode); err != nil {
		h.t.Fatal(err)
	}
	if err := os.Chmod(real, mode); err != nil {
		h.t.Fatal(err)
	}
}

func (h *testHost) read(name string) string {
	h.t.Helper()
	data, err := os.ReadFile(filepath.Join(h.Root(), name))
	if err != nil {
		h.t.Fatal(err)
	}
	return string(data)
}

func check(t *testing.T, line string, got result, code int, stdout, stderrPart string) {
	t.Helper()
	if got.code != code || got.stdout != stdout || !strings.Contains(got.stderr, stderrPart) {
		t.Errorf("%q:\n got exit %d stdout %q stderr %q\nwant exit %d stdout %q stderr containing %q",
			line, got.code, got.stdout, got.stderr, code, stdout, stderrPart)
	}
}
