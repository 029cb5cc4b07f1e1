package ssh

import (
	"context"
	"fmt"
	"io/fs"
	"strings"

	"github.com/rotplay/rotplay/internal/shquote"

	"golang.org/x/crypto/ssh"

	"github.com/rotplay/rotplay/transport"
)

// Run implements transport.Conn. The command line runs as `sh -c LINE`,
// after `cd DIR || exit` when cmd.Dir is set (a missing directory is then
// a non-zero exit with sh's message on stderr, not an error), under sudo
// when becoming. When ctx ends the command gets SIGKILL (SIGTERM under
// sudo, see the package comment) and Run returns at once; sshd then closes
// the command's pipes. A command killed by a signal is exit code 128+n.
// cmd.Stdin is read to its end: a reader that never ends keeps Run waiting
// after the command exits, until ctx ends.
func (c *conn) Run(ctx context.Context, cmd transport.Command) (transport.Result, error) {
	out, err := c.execute(ctx, command{script: runScript(cmd)}, cmd.Stdin, c.killSignal())
	if err == nil {
		err = c.becomeRefused(out)
	}
	if err != nil {
		return transport.Result{}, fmt.Errorf("run command: %w", err)
	}
	return transport.Result{ExitCode: out.code, Stdout: out.stdout, Stderr: out.stderr}, nil
}

// runScript is cmd as one sh script.
func runScript(cmd transport.Command) string {
	if cmd.Dir == "" {
		return cmd.Line
	}
	// A newline, not &&: LINE may be a list (a; b), which && would split.
	return "cd " + shquote.Always(remotePath(cmd.Dir)) + " || exit\n" + cmd.Line
}

// killSignal is the signal for a command whose ctx ended. sudo relays
// TERM to the command it runs, but KILL would only kill sudo.
func (c *conn) killSignal() ssh.Signal {
	if c.sudo != "" {
		return ssh.SIGTERM
	}
	return ssh.SIGKILL
}

// sudoRefusals are what sudo prints when -n keeps it from running a
// command: no passwordless rule, or no rule at all.
var sudoRefusals = []string{"a password is required", "is not in the sudoers file", "not allowed to"}

// becomeRefused returns a clear error when sudo refused to run the
// command, instead of letting its exit status pass for the command's.
// Only lines that come from sudo count ("sudo: ..." or "Sorry, user ...").
func (c *conn) becomeRefused(out outcome) error {
	if c.sudo == "" || out.code != 1 {
		return nil
	}
	for line := range strings.Lines(string(out.stderr)) {
		if !strings.HasPrefix(line, "sudo:") && !strings.HasPrefix(line, "Sorry, user") {
			continue
		}
		for _, r := range sudoRefusals {
			if strings.Contains(line, r) {
				return &becomeError{host: c.name, login: c.login, as: c.asUser, msg: strings.TrimSpace(line)}
			}
		}
	}
	return nil
}

// becomeError is sudo refusing to run commands for rotplay.
type becomeError struct {
	host, login, as string
	msg             string // sudo's own line
}

func (e *becomeError) Error() string {
	return fmt.Sprintf("sudo on %s needs a password or denies %s (%s): rotplay uses sudo -n; "+
		"allow passwordless sudo for %s to run commands as %s (a NOPASSWD rule in sudoers, "+
		"see ansible_become in docs/playbook.md), or log in as %s",
		e.host, e.login, e.msg, e.login, e.as, e.as)
}

// Unwrap makes the error match fs.ErrPermission.
func (e *becomeError) Unwrap() error { return fs.ErrPermission }
