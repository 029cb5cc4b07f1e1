//go:build unix

package local

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rotplay/rotplay/transport"
)

// TestRunSignalExitCode: a shell killed by a signal not sent by ctx is a
// Result with the exit code sh would report.
func TestRunSignalExitCode(t *testing.T) {
	t.Parallel()
	tests := []struct {
		line string
		want int
	}{
		{"kill -TERM $$", 128 + 15},
		{"kill -KILL $$", 128 + 9},
	}
	c := dial(t, transport.Target{})
	for _, tc := range tests {
		res, err := c.Run(t.Context(), transport.Command{Line: tc.line})
		if err != nil || res.ExitCode != tc.want {
			t.Errorf("%s: exit %d, err %v; want exit %d", tc.line, res.ExitCode, err, tc.want)
		}
	}
}

// TestRunDefaultDir: no Dir means the login (home) directory, as over ssh,
// not wherever rotplay was started.
func TestRunDefaultDir(t *testing.T) {
	t.Parallel()
	home, err := os.UserHomeDir()
	if err != nil {
		t.Skip("no home directory")
	}
	want, err := filepath.EvalSymlinks(home)
	if err != nil {
		t.Fatal(err)
	}
	res, err := dial(t, transport.Target{}).Run(t.Context(), transport.Command{Line: "pwd -P"})
	if got := strings.TrimSpace(string(res.Stdout)); err != nil || got != want {
		t.Errorf("pwd -P = %q, %v; want %q", got, err, want)
	}
}

func TestRunMissingDirIsError(t *testing.T) {
	t.Parallel()
	c := dial(t, transport.Target{})
	_, err := c.Run(t.Context(), transport.Command{Line: "true", Dir: filepath.Join(t.TempDir(), "gone")})
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Run in a missing Dir: error %v, want one wrapping fs.ErrNotExist", err)
	}
}

// TestRunKillsProcessGroup: cancelling kills background children of the
// shell too, not only the shell.
func TestRunKillsProcessGroup(t *testing.T) {
	t.Parallel()
	c := dial(t, transport.Target{})
	pidFile := filepath.Join(t.TempDir(), "bg.pid")
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	go func() {
		waitFor(t, func() bool { _, ok := pidIn(pidFile); return ok })
		cancel()
	}()
	start := time.Now()
	_, err := c.Run(ctx, transport.Command{Line: "sleep 30 & echo $! > " + pidFile + "; sleep 30"})
	killLater(t, pidFile) // should the group kill fail
	if !errors.Is(err, context.Canceled) || time.Since(start) > 2*time.Second {
		t.Fatalf("Run returned %v after %v, want context.Canceled within 2s", err, time.Since(start))
	}
	pid := readPID(t, pidFile)
	if !waitFor(t, func() bool { return !alive(pid) }) {
		t.Errorf("background sleep (pid %d) survived the cancelled Run", pid)
	}
}

// TestRunEscapedChildDoesNotHang: a process outside the group (setsid)
// that keeps stdout open delays Run by about waitDelay, not until it exits,
// whether the shell exits by itself or is cancelled.
func TestRunEscapedChildDoesNotHang(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("setsid"); err != nil || !hasProc() {
		t.Skip("needs setsid and /proc")
	}
	// The escaped sleeps would outlive the test: they are killed by pid
	// ($! is the sleep itself, as setsid only forks in a group leader).
	// The limit leaves room for a loaded machine yet stays well under 30s.
	const limit = 5 * time.Second
	c := dial(t, transport.Target{})
	dir := t.TempDir()
	start := time.Now()
	res, err := c.Run(t.Context(), transport.Command{Line: "setsid sleep 30 & echo $! > exiting.pid; echo started", Dir: dir})
	killLater(t, filepath.Join(dir, "exiting.pid"))
	if err != nil || string(res.Stdout) != "started\n" || time.Since(start) > limit {
		t.Errorf("shell exiting: %v, stdout %q, after %v", err, res.Stdout, time.Since(start))
	}

	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	go func() {
		// Cancel only once the sleep has escaped the group: before, the
		// group kill would take it too and the test would prove nothing.
		pidFile := filepath.Join(dir, "cancelled.pid")
		waitFor(t, func() bool { pid, ok := pidIn(pidFile); return ok && inOwnSession(pid) })
		cancel()
	}()
	start = time.Now()
	_, err = c.Run(ctx, transport.Command{Line: "setsid sleep 30 & echo $! > cancelled.pid; wait", Dir: dir})
	killLater(t, filepath.Join(dir, "cancelled.pid"))
	if !errors.Is(err, context.Canceled) || time.Since(start) > limit {
		t.Errorf("cancelled: %v after %v, want context.Canceled well before the sleep ends", err, time.Since(start))
	}
}

// killLater kills the process whose pid is in file when t ends.
func killLater(t *testing.T, file string) {
	t.Helper()
	pid, ok := pidIn(file)
	if !ok {
		return
	}
	t.Cleanup(func() { _ = syscall.Kill(pid, syscall.SIGKILL) })
}

// pidIn returns the pid written in file, once written: sh creates the file
// before echo writes to it.
func pidIn(file string) (int, bool) {
	data, err := os.ReadFile(file)
	if err != nil || !bytes.HasSuffix(data, []byte("\n")) {
		return 0, false
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
	return pid, err == nil
}

// waitFor polls cond for up to 2s and reports whether it became true.
func waitFor(t *testing.T, cond func() bool) bool {
	t.Helper()
	for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); {
		if cond() {
			return true
		}
		time.Sleep(10 * time.Millisecond)
	}
	return cond()
}

func readPID(t *testing.T, file string) int {
	t.Helper()
	pid, ok := pidIn(file)
	if !ok {
		t.Fatalf("no pid in %s", file)
	}
	return pid
}

// alive reports whether pid is a running process. A zombie counts as dead:
// in a container nothing may reap the orphaned child.
func alive(pid int) bool {
	if !hasProc() {
		// Signal 0 counts zombies alive: a stricter test than needed.
		p, _ := os.FindProcess(pid)
		return p.Signal(syscall.Signal(0)) == nil
	}
	f := procStat(pid)
	return f != nil && f[0] != "Z"
}

// inOwnSession reports whether pid leads its own session, as it does once
// setsid has run.
func inOwnSession(pid int) bool {
	f := procStat(pid)
	return f != nil && f[3] == strconv.Itoa(pid)
}

func hasProc() bool {
	_, err := os.Stat("/proc/self/stat")
	return err == nil
}

// procStat returns the fields of /proc/pid/stat after "pid (comm)": state,
// ppid, pgrp, session, ...; nil when there is no such process.
func procStat(pid int) []string {
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	i := bytes.LastIndexByte(stat, ')')
	if err != nil || i < 0 {
		return nil
	}
	f := strings.Fields(string(stat[i+1:]))
	if len(f) < 4 {
		return nil
	}
	return f
}

// TestRunOutputLimit: more than the limit on stdout or stderr fails the
// call with ErrOutputTooLarge once the command has run to its end;
// exactly the limit is kept whole.
func TestRunOutputLimit(t *testing.T) {
	t.Parallel()
	const limit = 64 << 10
	c := dial(t, transport.Target{})
	c.maxOutput = limit
	dir := t.TempDir()
	for i, line := range []string{
		fmt.Sprintf("head -c %d /dev/zero; touch %s/ran0", limit+1, dir),
		fmt.Sprintf("head -c %d /dev/zero >&2; touch %s/ran1", limit+1, dir),
	} {
		_, err := c.Run(t.Context(), transport.Command{Line: line})
		if !errors.Is(err, transport.ErrOutputTooLarge) {
			t.Errorf("%q: %v, want ErrOutputTooLarge", line, err)
		}
		if _, err := os.Stat(filepath.Join(dir, fmt.Sprintf("ran%d", i))); err != nil {
			t.Errorf("%q did not run to its end: %v", line, err)
		}
	}
	res, err := c.Run(t.Context(), transport.Command{Line: fmt.Sprintf("head -c %d /dev/zero; head -c %d /dev/zero >&2", limit, limit)})
	if err != nil || len(res.Stdout) != limit || len(res.Stderr) != limit {
		t.Errorf("exactly the limit: %d and %d bytes, %v", len(res.Stdout), len(res.Stderr), err)
	}
}
