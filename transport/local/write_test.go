//go:build unix

package local

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"syscall"
	"testing"

	"github.com/rotplay/rotplay/transport"
)

// TestWriteFileFailureKeepsOriginal: a write that fails at any point leaves
// the original file as it was and no temporary file behind.
func TestWriteFileFailureKeepsOriginal(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		setup   func(t *testing.T, c *conn, dir string) context.Context
		wantErr error
	}{
		{"ctx cancelled before", func(t *testing.T, c *conn, dir string) context.Context {
			ctx, cancel := context.WithCancel(t.Context())
			cancel()
			return ctx
		}, context.Canceled},
		{"ctx cancelled before rename", func(t *testing.T, c *conn, dir string) context.Context {
			ctx, cancel := context.WithCancel(t.Context())
			c.beforeRename = cancel
			return ctx
		}, context.Canceled},
		{"directory not writable", func(t *testing.T, c *conn, dir string) context.Context {
			if os.Geteuid() == 0 {
				t.Skip("root writes to read-only directories")
			}
			chmod(t, dir, 0o555)
			t.Cleanup(func() { chmod(t, dir, 0o755) })
			return t.Context()
		}, fs.ErrPermission},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := dial(t, transport.Target{})
			dir := t.TempDir()
			orig := filepath.Join(dir, "orig")
			if err := os.WriteFile(orig, []byte("old"), 0o640); err != nil {
				t.Fatal(err)
			}
			ctx := tc.setup(t, c, dir)
			err := c.WriteFile(ctx, orig, []byte("new"), transport.WriteOptions{})
			if !errors.Is(err, tc.wantErr) {
				t.Errorf("WriteFile error = %v, want one wrapping %v", err, tc.wantErr)
			}
			assertFile(t, orig, "old", 0o640)
			assertEntries(t, dir, "orig")
		})
	}
}

func TestWriteFileOverDirectory(t *testing.T) {
	t.Parallel()
	c := dial(t, transport.Target{})
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	err := c.WriteFile(t.Context(), filepath.Join(dir, "sub"), []byte("x"), transport.WriteOptions{})
	if !errors.Is(err, syscall.EISDIR) {
		t.Errorf("WriteFile over a directory: %v, want EISDIR", err)
	}
	assertEntries(t, dir, "sub")
}

// TestWriteFileSymlink: writing through a link replaces what it points to
// and keeps the link.
func TestWriteFileSymlink(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		links map[string]string // link name -> link content
		write string            // path written, relative to the directory
		file  string            // file that must end up with the content
	}{
		{"one link", map[string]string{"link": "real"}, "link", "real"},
		{"chain", map[string]string{"l1": "l2", "l2": "sub/real"}, "l1", "sub/real"},
		// d/.. is sub, not the top directory: ".." must not be cleaned lexically.
		{"through a linked directory", map[string]string{"d": "sub/deeper", "link": "d/../real"}, "link", "sub/real"},
		{"dangling", map[string]string{"link": "sub/new"}, "link", "sub/new"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			mkdir(t, filepath.Join(dir, "sub"))
			mkdir(t, filepath.Join(dir, "sub", "deeper"))
			for _, real := range []string{"real", "sub/real"} {
				if err := os.WriteFile(filepath.Join(dir, real), []byte("old"), 0o640); err != nil {
					t.Fatal(err)
				}
			}
			for name, dest := range tc.links {
				if err := os.Symlink(dest, filepath.Join(dir, name)); err != nil {
					t.Fatal(err)
				}
			}
			c := dial(t, transport.Target{})
			if err := c.WriteFile(t.Context(), filepath.Join(dir, tc.write), []byte("new"), transport.WriteOptions{Mode: 0o640}); err != nil {
				t.Fatalf("WriteFile: %v", err)
			}
			assertFile(t, filepath.Join(dir, tc.file), "new", 0o640)
			for name, dest := range tc.links {
				if got, err := os.Readlink(filepath.Join(dir, name)); err != nil || got != dest {
					t.Errorf("link %s now %q (%v), want it kept pointing to %q", name, got, err, dest)
				}
			}
		})
	}
}

func TestWriteFileSymlinkLoop(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for name, dest := range map[string]string{"a": "b", "b": "a"} {
		if err := os.Symlink(dest, filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	err := dial(t, transport.Target{}).WriteFile(t.Context(), filepath.Join(dir, "a"), []byte("x"), transport.WriteOptions{})
	if !errors.Is(err, syscall.ELOOP) {
		t.Errorf("WriteFile through a link loop: %v, want ELOOP", err)
	}
	assertEntries(t, dir, "a", "b")
}

// TestWriteFileKeepsSpecialBits: setuid survives a rewrite even when the
// owner must be restored, which clears setuid if done after chmod.
func TestWriteFileKeepsSpecialBits(t *testing.T) {
	t.Parallel()
	if os.Geteuid() != 0 {
		t.Skip("needs root to own a file as another user")
	}
	p := filepath.Join(t.TempDir(), "tool")
	if err := os.WriteFile(p, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(p, 1234, 1234); err != nil {
		t.Fatal(err)
	}
	chmod(t, p, 0o750|fs.ModeSetuid)
	if err := dial(t, transport.Target{}).WriteFile(t.Context(), p, []byte("new"), transport.WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	if info := fileInfo(fi); fi.Mode()&modeBits != 0o750|fs.ModeSetuid || info.UID != 1234 || info.GID != 1234 {
		t.Errorf("after rewrite: mode %v, owner %d:%d", fi.Mode(), info.UID, info.GID)
	}
}

func assertFile(t *testing.T, path, content string, mode fs.FileMode) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(data) != content || fi.Mode().Perm() != mode {
		t.Errorf("%s: content %q mode %v, want %q %v", path, data, fi.Mode().Perm(), content, mode)
	}
}

// assertEntries checks that dir holds exactly names: no temporary file
// was left behind.
func assertEntries(t *testing.T, dir string, names ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if !slices.Equal(got, names) {
		t.Errorf("%s holds %q, want %q", dir, got, names)
	}
}

func chmod(t *testing.T, path string, mode fs.FileMode) {
	t.Helper()
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
}

func mkdir(t *testing.T, path string) {
	t.Helper()
	if err := os.Mkdir(path, 0o755); err != nil {
		t.Fatal(err)
	}
}
