package e2e

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rotplay/rotplay/lab/fakedt"
)

const zremoteConf = fakedt.ZRemoteRuxitAgentConfPath

// wantVerdict checks the simulator: no agent ever lost its connection,
// the rotation is finished or still open as asked, and exactly calls took
// effect (start only once, finish only when asked for).
func (f *fleet) wantVerdict(t *testing.T, finished bool, calls ...string) {
	t.Helper()
	v := f.sim.Verdict()
	if !v.Safe {
		t.Errorf("agents lost their connection: %+v", v.Disconnected)
	}
	if v.Finished != finished {
		t.Errorf("rotation finished: %t, want %t", v.Finished, finished)
	}
	if !slices.Equal(v.Calls, calls) {
		t.Errorf("rotation calls %q, want %q", v.Calls, calls)
	}
}

// wantRotated checks that h holds the simulator's new token: an
// ActiveGate's token files differ from what was laid out only in the token,
// with owner, group and mode kept; a OneAgent's agent uses it.
func (f *fleet) wantRotated(t *testing.T, h *host) {
	t.Helper()
	newToken, _ := f.sim.Tokens()
	if newToken == f.oldToken {
		t.Fatal("the simulator has no new token: no rotation was started")
	}
	if h.kind == oneAgent {
		f.wantOneAgentToken(t, h.name, newToken)
		return
	}
	for path, before := range h.files {
		want := before
		want.content = bytes.ReplaceAll(before.content, []byte(f.oldToken), []byte(newToken))
		wantFile(t, h, path, want)
	}
	wantNoTempFiles(t, h)
}

// wantUnchanged checks that every token file of h is as laid out.
func (f *fleet) wantUnchanged(t *testing.T, h *host) {
	t.Helper()
	for path, before := range h.files {
		wantFile(t, h, path, before)
	}
	wantNoTempFiles(t, h)
}

// wantFile compares h's file at path with want, content byte for byte
// (line endings included), then owner, group and mode.
func wantFile(t *testing.T, h *host, path string, want fileState) {
	t.Helper()
	got, err := readState(h.real(path))
	if err != nil {
		t.Errorf("%s: %v", h.name, err)
		return
	}
	if !bytes.Equal(got.content, want.content) {
		t.Errorf("%s:%s is\n%q\nwant\n%q", h.name, path, got.content, want.content)
	}
	if got.uid != want.uid || got.gid != want.gid || got.mode != want.mode {
		t.Errorf("%s:%s is %d:%d %v, want %d:%d %v (owner, group and mode must be kept)",
			h.name, path, got.uid, got.gid, got.mode, want.uid, want.gid, want.mode)
	}
}

// wantNoTempFiles checks that no write left its temporary file behind
// next to a token file.
func wantNoTempFiles(t *testing.T, h *host) {
	t.Helper()
	dirs := map[string]bool{}
	for path := range h.files {
		dirs[filepath.Dir(h.real(path))] = true
	}
	for dir := range dirs {
		left, _ := filepath.Glob(filepath.Join(dir, ".rotplay-*"))
		if len(left) > 0 {
			t.Errorf("%s: temporary files left: %q", h.name, left)
		}
	}
}

// wantOneAgentToken checks the token the fake oneagentctl keeps.
func (f *fleet) wantOneAgentToken(t *testing.T, name, token string) {
	t.Helper()
	c, err := fakedt.ReadOneAgentConfig(fakedt.DirFS(f.host(name).root))
	if err != nil {
		t.Errorf("%s: %v", name, err)
		return
	}
	if c.TenantToken != token {
		which := "the new token"
		if token == f.oldToken {
			which = "the old token"
		}
		t.Errorf("%s: OneAgent's tenant token is not %s", name, which)
	}
}

// wantAbsent checks that the host has no file at path.
func (f *fleet) wantAbsent(t *testing.T, name, path string) {
	t.Helper()
	if _, err := os.Lstat(f.host(name).real(path)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("%s:%s should not exist (err %v)", name, path, err)
	}
}

// wantLine checks that some line of the output has all of words.
func wantLine(t *testing.T, res runResult, words ...string) {
	t.Helper()
	for line := range strings.Lines(res.stdout + res.stderr) {
		if containsAll(line, words) {
			return
		}
	}
	t.Errorf("no line of the output has all of %q:\n%s", words, res)
}

func containsAll(s string, words []string) bool {
	for _, w := range words {
		if !strings.Contains(s, w) {
			return false
		}
	}
	return true
}
