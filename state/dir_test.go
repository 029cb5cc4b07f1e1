package state

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// open opens a fresh state directory below a test's temporary directory.
func open(t *testing.T) *Dir {
	t.Helper()
	d, err := Open(filepath.Join(t.TempDir(), "state"))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// mode returns the permission bits of path.
func mode(t *testing.T, path string) fs.FileMode {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode().Perm()
}

func skipOnWindows(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("permission bits mean nothing on Windows")
	}
}

func TestOpenCreatesPrivateDir(t *testing.T) {
	t.Parallel()
	skipOnWindows(t)
	dir := filepath.Join(t.TempDir(), "a", "b", "state")
	d, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if d.Path() != dir {
		t.Errorf("Path() = %s, want %s", d.Path(), dir)
	}
	for _, p := range []string{dir, filepath.Dir(dir)} {
		if m := mode(t, p); m != 0o700 {
			t.Errorf("%s has mode %04o, want 0700", p, m)
		}
	}
	if _, err := Open(dir); err != nil {
		t.Errorf("opening it again: %v", err)
	}
}

// mkdir returns a setup making a directory with exactly perm, whatever
// the umask.
func mkdir(perm fs.FileMode) func(string) error {
	return func(p string) error {
		if err := os.Mkdir(p, perm); err != nil {
			return err
		}
		return os.Chmod(p, perm)
	}
}

func TestOpenRejects(t *testing.T) {
	t.Parallel()
	skipOnWindows(t)
	tests := []struct {
		name  string
		setup func(path string) error
		want  string
	}{
		{"group readable", mkdir(0o750), "(mode 0750), and it holds tenant tokens: run chmod 700 "},
		{"world accessible", mkdir(0o701), "(mode 0701)"},
		{"a file", func(p string) error { return os.WriteFile(p, nil, 0o600) }, "is not a directory"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := filepath.Join(t.TempDir(), "state")
			if err := tc.setup(p); err != nil {
				t.Fatal(err)
			}
			_, err := Open(p)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Open = %v, want an error containing %q", err, tc.want)
			}
		})
	}
	if _, err := Open(""); err == nil {
		t.Error(`Open("") succeeded`)
	}
}

// TestDefaultDir changes the environment, so it cannot run in parallel.
func TestDefaultDir(t *testing.T) {
	home, err := os.UserHomeDir()
	if err != nil {
		t.Skip(err)
	}
	tests := []struct{ rotplay, xdg, want string }{
		{"/srv/rotplay", "/x", "/srv/rotplay"},
		{"", "/var/state", filepath.Join("/var/state", "rotplay")},
		{"", "relative", filepath.Join(home, ".local", "state", "rotplay")},
		{"", "", filepath.Join(home, ".local", "state", "rotplay")},
	}
	for _, tc := range tests {
		t.Setenv("ROTPLAY_STATE_DIR", tc.rotplay)
		t.Setenv("XDG_STATE_HOME", tc.xdg)
		if got, err := DefaultDir(); err != nil || got != tc.want {
			t.Errorf("ROTPLAY_STATE_DIR=%q XDG_STATE_HOME=%q: DefaultDir() = %q, %v; want %q", tc.rotplay, tc.xdg, got, err, tc.want)
		}
	}
}

func TestBadNames(t *testing.T) {
	t.Parallel()
	d := open(t)
	for _, name := range []string{"", ".hidden", "../x", "a/b", `a\b`, "a\x00b"} {
		if err := d.WriteFileAtomic(name, nil); err == nil {
			t.Errorf("WriteFileAtomic(%q) succeeded", name)
		}
		if _, err := d.ReadFile(name); err == nil || errors.Is(err, fs.ErrNotExist) {
			t.Errorf("ReadFile(%q) = %v, want a name error", name, err)
		}
		if err := d.Remove(name); err == nil {
			t.Errorf("Remove(%q) succeeded", name)
		}
	}
}
