// Package transporttest is the conformance suite every transport.Conn
// implementation must pass, so that modules and the engine can rely on the
// contracts in package transport whatever the host is reached by. Each
// transport's tests call Run with a Harness for it (the idea is restic's
// internal/backend/test suite).
//
// The suite touches the host only through the Conn under test, writes files
// only below the directories Harness.TempDir returns, and sends shell
// commands only when Harness.POSIXShell is set.
package transporttest

import (
	"context"
	"path"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rotplay/rotplay/transport"
)

// Harness connects the suite to one transport.
type Harness struct {
	// Dial returns a new open Conn to the host under test. The suite closes
	// it. Dial must be safe for concurrent use: subtests run in parallel.
	Dial func(t *testing.T) transport.Conn

	// TempDir returns a new, empty, existing directory on the host, named
	// as the host names it, writable through the Conn and removed by the
	// harness when t ends.
	TempDir func(t *testing.T) string

	// ListDir returns the names of the entries of dir on the host, to
	// check that writes leave no temporary files. When nil the suite runs
	// `ls -A` if POSIXShell is set, and skips those checks otherwise.
	ListDir func(t *testing.T, dir string) []string

	// Join joins path elements the way the host does; nil means path.Join.
	Join func(elem ...string) string

	// CanChown says the Conn may give files another owner (it runs as
	// root), so WriteOptions.Chown is tested with uid and gid 1234.
	CanChown bool

	// POSIXShell says Command.Line is run by a POSIX sh with the usual
	// utilities (cat, printf, sleep, ls). Without it the suite sends no
	// command it expects to run; it still checks that Run refuses to start
	// after Close or once ctx has ended.
	POSIXShell bool

	// NoFileModes says the host has no POSIX permission bits or owners
	// (Windows: access is an ACL, which WriteFile keeps). The checks of
	// exact modes and owners do not apply there.
	NoFileModes bool
}

// test is one contract check.
type test struct {
	name  string
	shell bool // needs Harness.POSIXShell
	modes bool // needs POSIX modes and owners (not Harness.NoFileModes)
	run   func(t *testing.T, h Harness)
}

// suite lists the checks; each file of this package contributes a group.
func suite() []test {
	return slices.Concat(commandTests, fileTests, lifecycleTests)
}

// Run runs the conformance suite against h. Subtests run in parallel, each
// on its own Conn.
func Run(t *testing.T, h Harness) {
	if h.Dial == nil || h.TempDir == nil {
		t.Fatal("transporttest: Harness needs Dial and TempDir")
	}
	for _, tc := range suite() {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if tc.shell && !h.POSIXShell {
				t.Skip("the harness has no POSIX shell")
			}
			if tc.modes && h.NoFileModes {
				t.Skip("the host has no POSIX modes and owners")
			}
			tc.run(t, h)
		})
	}
}

// timeout bounds every subtest, so that a transport that hangs fails
// instead of stalling the whole test binary.
const timeout = 30 * time.Second

func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), timeout)
	t.Cleanup(cancel)
	return ctx
}

// conn dials a Conn that is closed when t ends.
func (h Harness) conn(t *testing.T) transport.Conn {
	t.Helper()
	c := h.Dial(t)
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func (h Harness) join(elem ...string) string {
	if h.Join != nil {
		return h.Join(elem...)
	}
	return path.Join(elem...)
}

// list returns the sorted entries of dir, or ok false when the harness
// offers no way to list it.
func (h Harness) list(t *testing.T, c transport.Conn, dir string) (names []string, ok bool) {
	t.Helper()
	switch {
	case h.ListDir != nil:
		names = h.ListDir(t, dir)
	case h.POSIXShell:
		out := run(t, c, transport.Command{Line: "ls -A", Dir: dir})
		names = strings.Fields(string(out.Stdout))
	default:
		return nil, false
	}
	slices.Sort(names)
	return names, true
}

// run runs cmd and fails t on a transport error.
func run(t *testing.T, c transport.Conn, cmd transport.Command) transport.Result {
	t.Helper()
	res, err := c.Run(testContext(t), cmd)
	if err != nil {
		t.Fatalf("Run(%q): %v", cmd.Line, err)
	}
	return res
}

func write(t *testing.T, c transport.Conn, p string, data []byte, opts transport.WriteOptions) {
	t.Helper()
	if err := c.WriteFile(testContext(t), p, data, opts); err != nil {
		t.Fatalf("WriteFile(%s): %v", p, err)
	}
}

func read(t *testing.T, c transport.Conn, p string) ([]byte, transport.FileInfo) {
	t.Helper()
	data, info, err := c.ReadFile(testContext(t), p)
	if err != nil {
		t.Fatalf("ReadFile(%s): %v", p, err)
	}
	return data, info
}

func stat(t *testing.T, c transport.Conn, p string) transport.FileInfo {
	t.Helper()
	info, err := c.Stat(testContext(t), p)
	if err != nil {
		t.Fatalf("Stat(%s): %v", p, err)
	}
	return info
}
