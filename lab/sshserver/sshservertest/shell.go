//go:build unix

// Package sshservertest gives sshserver an ExecFunc that runs commands with
// the machine's real /bin/sh, for tests that must see real shell and
// utility behaviour (the ssh transport's remote scripts). It gives no
// isolation at all: never serve it beyond a test.
package sshservertest

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"syscall"
	"time"

	"github.com/rotplay/rotplay/lab/sshserver"
)

// Shell runs each command as `/bin/sh -c COMMAND`, as the user running the
// test, like sshd runs it with the user's login shell.
type Shell struct {
	// Dir is the login directory commands start in; "" means the test
	// process's working directory.
	Dir string

	// Env is added to the test process's environment, then come the
	// session's "env" requests; later entries win.
	Env []string
}

// waitDelay bounds how long a finished command may keep its output open
// through a background child; killDelay is how long a cancelled command
// has to handle SIGTERM.
const (
	waitDelay = 2 * time.Second
	killDelay = time.Second
)

// Exec implements sshserver.ExecFunc. When ctx ends, the command's whole
// process group gets SIGTERM, as from sshd relaying a client's signal (so
// that scripts' traps run), then SIGKILL after killDelay, so that
// `sh -c 'sleep 30'` does not outlive the session.
func (s Shell) Exec(ctx context.Context, req sshserver.ExecRequest) int {
	cmd := exec.CommandContext(ctx, "/bin/sh", "-c", req.Command)
	cmd.Dir = s.Dir
	cmd.Env = append(os.Environ(), s.Env...)
	for k, v := range req.Env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.Stdin, cmd.Stdout, cmd.Stderr = req.Stdin, req.Stdout, req.Stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	var kill *time.Timer
	cmd.Cancel = func() error {
		pgid := cmd.Process.Pid // Setpgid: the group is the shell's pid
		kill = time.AfterFunc(killDelay, func() { _ = syscall.Kill(-pgid, syscall.SIGKILL) })
		return syscall.Kill(-pgid, syscall.SIGTERM)
	}
	cmd.WaitDelay = waitDelay
	err := cmd.Run()
	if kill != nil {
		kill.Stop() // the group is gone; its id may be reused
	}
	var exitErr *exec.ExitError
	if err != nil && !errors.As(err, &exitErr) && !errors.Is(err, exec.ErrWaitDelay) {
		_, _ = req.Stderr.Write([]byte("sshservertest: " + err.Error() + "\n"))
		return 127
	}
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return -int(ws.Signal())
	}
	return cmd.ProcessState.ExitCode()
}
