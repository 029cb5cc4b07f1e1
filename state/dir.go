// Package state owns rotplay's durable local state on the controller: a
// private directory holding, for each Dynatrace environment, the saved
// response of a tenant-token rotation's start call, so that a later run
// (finish, cancel, or a retry after a crash) still knows the active and the
// old token.
//
// Those files hold tenant tokens. The directory is kept 0700 and every file
// 0600, and every write is atomic and durable (temporary file, fsync,
// rename, fsync of the directory): a crash leaves either the old or the new
// content, never half of it, and never loses a token the API will not
// show again.
//
// The directory also holds the run lock (lock.go) and the journal of what
// runs did (journal.go), which holds fingerprints, never tokens.
//
// A Dir is safe for concurrent use by one process; two rotplay processes
// sharing a directory are not coordinated (each write is still atomic).
package state

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// Dir is an open state directory.
type Dir struct {
	path string
	now  func() time.Time // dates .done files; a fixed clock in tests
	// write fills a temporary file; tests replace it to fail midway.
	write func(f *os.File, data []byte) error
}

// DefaultDir returns where state lives when no directory is given:
// $ROTPLAY_STATE_DIR, else $XDG_STATE_HOME/rotplay (when absolute, as the
// XDG spec requires), else ~/.local/state/rotplay. It does not create it.
func DefaultDir() (string, error) {
	if d := os.Getenv("ROTPLAY_STATE_DIR"); d != "" {
		return d, nil
	}
	if d := os.Getenv("XDG_STATE_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "rotplay"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("find the state directory: %w (set ROTPLAY_STATE_DIR)", err)
	}
	return filepath.Join(home, ".local", "state", "rotplay"), nil
}

// Open opens the state directory dir, creating it (and missing parents)
// with mode 0700. An existing directory must be private: one that its
// group or others can access, or that another user owns, is an error
// saying how to fix it, because its files hold tenant tokens.
func Open(dir string) (*Dir, error) {
	if dir == "" {
		return nil, errors.New("open state directory: no path given")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("open state directory %s: %w", dir, err)
	}
	if err := ensurePrivateDir(abs); err != nil {
		return nil, err
	}
	return &Dir{path: abs, now: time.Now, write: writeAll}, nil
}

// Path returns the directory's absolute path.
func (d *Dir) Path() string { return d.path }

func ensurePrivateDir(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("create state directory %s: %w", path, err)
	}
	err := os.Mkdir(path, 0o700)
	switch {
	case err == nil:
		// The umask may have taken owner bits away; 0700 is the contract.
		return os.Chmod(path, 0o700)
	case !errors.Is(err, fs.ErrExist):
		return fmt.Errorf("create state directory %s: %w", path, err)
	}
	return checkPrivate(path)
}

// checkPrivate refuses a directory others could read tokens from. On
// Windows, permission bits say nothing about access, so only the kind is
// checked there.
func checkPrivate(path string) error {
	fi, err := os.Stat(path) // a symlinked directory is judged by its target
	if err != nil {
		return fmt.Errorf("open state directory %s: %w", path, err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("state directory %s is not a directory: remove it or choose another with ROTPLAY_STATE_DIR", path)
	}
	if runtime.GOOS == "windows" {
		return nil
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		return fmt.Errorf("state directory %s is accessible to group or others (mode %04o), and it holds tenant tokens: run chmod 700 %s", path, perm, path)
	}
	return checkOwner(path, fi)
}

// checkName accepts one plain file name. Names starting with a dot are
// reserved for temporary files.
func checkName(name string) error {
	if name == "" || strings.HasPrefix(name, ".") || strings.ContainsAny(name, `/\`+"\x00") {
		return fmt.Errorf("state file name %q: want a plain file name, not starting with a dot", name)
	}
	return nil
}
