package ssh

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/rotplay/rotplay/transport"
)

// outcome is how a remote command ended.
type outcome struct {
	code           int
	stdout, stderr []byte
}

// lostGrace is how long a failed session waits for the connection watcher
// to confirm that the connection died: x/crypto closes the channels of a
// dead connection a moment before client.Wait returns.
const lostGrace = 250 * time.Millisecond

// execute runs cmd with stdin and waits for it: in the connection's
// shell when it has one and the shell can take the command (see
// remoteShell), else in a new session. A
// command that ran is an outcome whatever its exit code; an error means it
// could not be run or waited for. When ctx ends, the command gets sig and
// the session is closed at once.
func (c *conn) execute(ctx context.Context, cmd command, stdin io.Reader, sig ssh.Signal) (outcome, error) {
	if err := c.usable(ctx); err != nil {
		return outcome{}, err
	}
	stdin, data, mem := inMemory(stdin)
	if sh := c.shell; sh != nil && sh.acquire(stdin, data, mem) {
		defer sh.mu.Unlock()
		out, err := sh.run(ctx, c, c.inShell(cmd), data, stdin != nil, sig)
		if errors.Is(err, transport.ErrOutputTooLarge) {
			return outcome{}, err // the frame completed: the shell goes on
		}
		if err != nil {
			return outcome{}, c.failure(ctx, err)
		}
		return out, nil
	}
	select {
	case c.sessions <- struct{}{}:
		defer func() { <-c.sessions }()
	case <-ctx.Done():
		return outcome{}, ctx.Err()
	}
	sess, err := c.openSession(ctx)
	if err != nil {
		return outcome{}, c.failure(ctx, fmt.Errorf("open session: %w", err))
	}
	defer sess.Close()
	stdout, stderr := transport.Capture{Max: c.outputLimit()}, transport.Capture{Max: c.outputLimit()}
	sess.Stdin, sess.Stdout, sess.Stderr = stdin, &stdout, &stderr
	done := make(chan error, 1)
	go func() {
		// Start waits for the host's reply, which x/crypto does without
		// a context too.
		if err := sess.Start(c.line(cmd)); err != nil {
			done <- startError(err)
			return
		}
		done <- sess.Wait()
	}()
	select {
	case err = <-done:
	case <-ctx.Done():
		_ = sess.Signal(sig)
		_ = sess.Close()
		return outcome{}, ctx.Err()
	}
	var exitErr *ssh.ExitError
	if err != nil && !errors.As(err, &exitErr) {
		return outcome{}, c.failure(ctx, err)
	}
	switch {
	case stdout.Over():
		return outcome{}, transport.OutputTooLarge("stdout", c.outputLimit())
	case stderr.Over():
		return outcome{}, transport.OutputTooLarge("stderr", c.outputLimit())
	}
	out := outcome{stdout: stdout.Bytes(), stderr: stderr.Bytes()}
	if exitErr != nil {
		// For a command killed by a signal x/crypto reports 128+n, as sh.
		out.code = exitErr.ExitStatus()
	}
	return out, nil
}

// startError explains a failed exec request. x/crypto's message for a
// refusal quotes the whole command line, scripts included: too long to
// read, and not worth it.
func startError(err error) error {
	if strings.HasPrefix(err.Error(), "ssh: command ") {
		return errors.New("the host refused to run the command (exec request denied)")
	}
	return fmt.Errorf("start command: %w", err)
}

// openSession opens a session, which x/crypto does without a context: on a
// stalled connection it would block until the keepalive gives up. A host
// at its MaxSessions refuses with "resource shortage" for an instant after
// a session ends; that is retried.
func (c *conn) openSession(ctx context.Context) (*ssh.Session, error) {
	for attempt := 0; ; attempt++ {
		type result struct {
			s   *ssh.Session
			err error
		}
		ch := make(chan result, 1)
		go func() {
			s, err := c.client.NewSession()
			ch <- result{s, err}
		}()
		var r result
		select {
		case r = <-ch:
		case <-ctx.Done():
			go func() {
				if r := <-ch; r.s != nil {
					_ = r.s.Close()
				}
			}()
			return nil, ctx.Err()
		}
		var oce *ssh.OpenChannelError
		if !errors.As(r.err, &oce) || oce.Reason != ssh.ResourceShortage || attempt >= 20 {
			return r.s, r.err
		}
		select {
		case <-time.After(time.Duration(attempt+1) * 10 * time.Millisecond):
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// failure turns a session error into the error a call returns: ErrClosed
// after Close, the lost-connection error when the connection died, ctx's
// error when it ended, else err itself.
func (c *conn) failure(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	timer := time.NewTimer(lostGrace)
	defer timer.Stop()
	select {
	case <-c.lost:
	case <-timer.C:
	}
	if uerr := c.usable(ctx); uerr != nil {
		return uerr
	}
	return err
}
