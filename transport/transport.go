// Package transport owns the connection to a managed host: running commands
// and reading and writing files on it. It knows nothing about playbooks or
// modules; modules see a host only through Conn.
//
// Implementations live in sub-packages (local, and later ssh and winrm); the
// shared conformance suite in transporttest checks every one of them against
// the contracts written here.
package transport

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
)

// Conn is an open connection to one host. The engine opens one Conn per host
// and reuses it for all of that host's tasks in a run.
//
// All methods take a context: cancelling it (Ctrl-C, a task timeout) makes a
// blocked call return promptly with an error wrapping ctx.Err(). Methods are
// safe for concurrent use, although the engine only calls them from the one
// goroutine that owns the host.
//
// Errors: a command that ran and exited non-zero is a Result, never an error.
// An error means the operation could not be carried out. When the host
// itself can no longer be reached the error wraps ErrUnreachable, and the
// engine reports the host as unreachable rather than failed.
type Conn interface {
	// Run runs cmd on the host and waits for it to exit. On POSIX hosts
	// cmd.Line is a POSIX sh command line. Run is not idempotent: it runs
	// the command every time. What it keeps of stdout and of stderr is
	// bounded (MaxOutput): more fails the call once the command ended.
	Run(ctx context.Context, cmd Command) (Result, error)

	// ReadFile returns the content and metadata of the file at path. A file
	// that does not exist gives an error wrapping fs.ErrNotExist. Idempotent.
	ReadFile(ctx context.Context, path string) ([]byte, FileInfo, error)

	// WriteFile replaces the file at path with data atomically: readers see
	// either the old or the new content, never a mix, and an interrupted
	// write leaves the old file in place (temporary file in the same
	// directory, flushed, then renamed over path). When path exists, its
	// owner, group and mode are kept and opts' ones are ignored; when it
	// does not, opts' apply. The parent directory must exist (otherwise an
	// error wrapping fs.ErrNotExist); a directory at path is an error. A
	// symlink at path is kept and the file it points to is replaced.
	// Idempotent for the same data.
	WriteFile(ctx context.Context, path string, data []byte, opts WriteOptions) error

	// Stat returns the metadata of path, or an error wrapping
	// fs.ErrNotExist. Idempotent.
	Stat(ctx context.Context, path string) (FileInfo, error)

	// Facts returns what the transport learnt about the host when it
	// connected. It does no I/O.
	Facts() Facts

	// Close releases the connection. Calls after Close fail. Idempotent.
	Close() error
}

// Dialer opens connections of one kind (local, ssh, winrm). A Dialer is safe
// for concurrent use: the engine dials many hosts at once.
type Dialer interface {
	// Dial connects to target and returns an open Conn. It blocks until the
	// connection is ready or ctx ends. Failing to reach or authenticate to
	// the host gives an error wrapping ErrUnreachable.
	Dial(ctx context.Context, target Target) (Conn, error)
}

// TargetChecker is a Dialer that can check a target's settings (its
// variables, its ssh_config entry, local files they name) without
// contacting the host. Commands that compile a playbook call it before
// anything runs, so a bad setting is an error naming the host, not a host
// found unreachable halfway through a rotation.
type TargetChecker interface {
	CheckTarget(t Target) error
}

// Target says how to reach a host. The engine builds it from the inventory.
type Target struct {
	Name    string // inventory name, used in messages
	Address string // host name or IP address to connect to
	Port    int    // 0 means the transport's default
	User    string // "" means the transport's default

	// Become runs commands as BecomeUser ("" means root). Whether file
	// operations are privileged too depends on the transport: local's run
	// as rotplay's own user; remote transports document theirs.
	Become     bool
	BecomeUser string

	// Vars holds every variable of the host, for transport-specific
	// settings (key files, certificates, ...). Read-only.
	Vars map[string]any
}

// Command is a command to run on a host.
type Command struct {
	Line  string    // the command line
	Stdin io.Reader // nil means empty stdin
	Dir   string    // working directory; "" means the login directory
}

// Result is how a command ended.
type Result struct {
	ExitCode int
	Stdout   []byte
	Stderr   []byte
}

// FileInfo is the metadata of a file on a host. UID and GID are -1 where the
// host has no such notion.
type FileInfo struct {
	Size  int64
	Mode  fs.FileMode // permission bits only
	UID   int
	GID   int
	IsDir bool
}

// WriteOptions apply to a file that WriteFile creates.
type WriteOptions struct {
	Mode  fs.FileMode // 0 means 0600
	Chown bool        // set UID and GID; otherwise the writing user owns it
	UID   int
	GID   int
}

// Facts describe the host as seen when connecting.
type Facts struct {
	OS       string // "linux", "aix", "windows", ... (Go's GOOS spelling)
	Arch     string
	Hostname string
	User     string // the user commands run as (after become)
	// Notes are what the operator should know about this connection that
	// changes nothing it does, e.g. that it is slower than usual and why.
	Notes []string
}

// ErrUnreachable marks errors that mean the host cannot be reached: dial
// failures, authentication failures and connections lost mid-run.
var ErrUnreachable = errors.New("host unreachable")

// ErrClosed is returned by calls on a closed Conn.
var ErrClosed = errors.New("connection closed")

// IsNotExist reports whether err says a file does not exist.
func IsNotExist(err error) bool { return errors.Is(err, fs.ErrNotExist) }

// ParseBool reads a boolean variable as Ansible inventories and -e write
// it: true or false, or one of the strings yes/no, true/false, True/False,
// on/off, 1/0, or an integer (non-zero is true).
func ParseBool(v any) (bool, error) {
	switch x := v.(type) {
	case bool:
		return x, nil
	case string:
		switch x {
		case "yes", "true", "True", "on", "1":
			return true, nil
		case "no", "false", "False", "off", "0":
			return false, nil
		}
	case int:
		return x != 0, nil
	}
	return false, fmt.Errorf("must be true or false, got %v", v)
}
