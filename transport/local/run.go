//go:build unix

package local

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"syscall"
	"time"

	"github.com/rotplay/rotplay/transport"
)

// waitDelay bounds how long Run waits, once the shell has exited or ctx has
// ended, for its output pipes to close. A background process that escaped
// the process group (setsid, a daemon) may hold them open for ever; its
// later output is lost rather than hanging the run.
const waitDelay = time.Second

// Run implements transport.Conn. The command runs as /bin/sh -c LINE in
// cmd.Dir, or else in the home directory of the user rotplay runs as (sudo
// keeps it, as it does over ssh). It runs in its own process group: when
// ctx ends the whole group gets SIGKILL (SIGTERM under sudo, see the
// package comment), so background children die with the shell. A command killed by a signal that did not come from ctx is
// reported as exit code 128+signal, as sh does.
func (c *conn) Run(ctx context.Context, cmd transport.Command) (transport.Result, error) {
	if err := c.check(ctx); err != nil {
		return transport.Result{}, fmt.Errorf("run command: %w", err)
	}
	argv := append(append([]string(nil), c.sudo...), "/bin/sh", "-c", cmd.Line)
	ec := exec.CommandContext(ctx, argv[0], argv[1:]...)
	ec.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	sig := syscall.SIGKILL
	if c.sudo != nil {
		sig = syscall.SIGTERM // see the package comment; WaitDelay then SIGKILLs sudo
	}
	ec.Cancel = func() error {
		// The group id is the shell's pid (Setpgid). Signalling the group
		// rather than the shell reaches grandchildren too.
		return syscall.Kill(-ec.Process.Pid, sig)
	}
	ec.WaitDelay = waitDelay
	ec.Stdin = cmd.Stdin
	ec.Dir = cmd.Dir
	if ec.Dir == "" {
		ec.Dir = c.home
	}
	stdout, stderr := transport.Capture{Max: c.outputLimit()}, transport.Capture{Max: c.outputLimit()}
	ec.Stdout, ec.Stderr = &stdout, &stderr
	err := ec.Run()
	if ctx.Err() != nil {
		// Whatever the shell reported, it was (or may have been) cut short.
		return transport.Result{}, fmt.Errorf("run command: %w", ctx.Err())
	}
	code, err := exitCode(ec, err)
	switch {
	case err != nil:
		return transport.Result{}, fmt.Errorf("run command: %w", err)
	case stdout.Over():
		return transport.Result{}, fmt.Errorf("run command: %w", transport.OutputTooLarge("stdout", c.outputLimit()))
	case stderr.Over():
		return transport.Result{}, fmt.Errorf("run command: %w", transport.OutputTooLarge("stderr", c.outputLimit()))
	}
	return transport.Result{ExitCode: code, Stdout: stdout.Bytes(), Stderr: stderr.Bytes()}, nil
}

// exitCode turns the outcome of exec.Cmd.Run into an exit code, or the
// error that kept the command from running (no /bin/sh, no such Dir).
func exitCode(ec *exec.Cmd, err error) (int, error) {
	var exitErr *exec.ExitError
	switch {
	case err == nil, errors.Is(err, exec.ErrWaitDelay):
		// ErrWaitDelay: the shell exited 0 but a background process kept
		// its output open. The command did finish.
	case errors.As(err, &exitErr):
	default:
		return 0, err
	}
	ws, ok := ec.ProcessState.Sys().(syscall.WaitStatus)
	if ok && ws.Signaled() {
		return 128 + int(ws.Signal()), nil
	}
	return ec.ProcessState.ExitCode(), nil
}
