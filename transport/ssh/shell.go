package ssh

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/rotplay/rotplay/internal/shquote"
	"github.com/rotplay/rotplay/transport"
)

// remoteShell is one long-lived `sh -s` on the host that runs a connection's
// commands one after another (pipelining). On OpenSSH every new session
// costs the host a fork of sshd, the session's set-up and a login shell;
// a command sent to the shell costs a fork and an exec. The command lines
// are the same as with a session each (`[sudo -n --] sh -c 'SCRIPT' sh
// ARG...`), except that rotplay's own scripts (facts, files) run without
// sudo in the frame's subshell, which saves the exec of a sh (see
// conn.inShell); they behave alike either way.
//
// Each command is a frame written to the shell's stdin: it runs the line
// in the background with stdin from /dev/null or, for data in memory,
// from the shell's builtin printf (never an argument of a process, never
// a file), prints a marker holding a fresh random nonce and the command's
// PID on stderr, waits for it, and prints the marker again on stderr, then
// the marker and the exit status on stdout. What came before and between
// the markers is the command's output. Frames the shell cannot parse are
// impossible: the line is a simple command built by shCommand or a group
// built by inShell, every script and argument in it single-quoted, and
// data is single-quoted.
//
// A frame that cannot complete (ctx ended, the shell or the connection
// died) kills the shell, and the connection's later calls use a session
// each, as without pipelining. When ctx ended, the command itself is sent
// the signal with kill(1) from a session of its own, using the PID the
// frame reported: OpenSSH refuses signal requests for root logins
// ("session signalling requires privilege separation"), and only reaches
// the session's own process anyway. The login user may always signal the
// command: it is its own process, or sudo, which relays TERM.
type remoteShell struct {
	sess     *ssh.Session
	in       io.WriteCloser
	out, err *stream
	// printfBuiltin: the shell's printf is a builtin, so data can go
	// through it without showing in a process's arguments.
	printfBuiltin bool
	release       func() // gives back the session slot; called once

	mu   sync.Mutex  // held by the frame in progress
	dead atomic.Bool // no more frames
	done chan struct{}
	once sync.Once
}

// shellProbe tells whether the shell's printf is a builtin.
const shellProbe = `case $(command -V printf 2>&1) in *builtin*) b=1 ;; *) b=0 ;; esac
`

// Limits on what goes through the shell; anything else uses a session.
const (
	// maxShellStdin is the most stdin data a frame carries.
	maxShellStdin = 1 << 20
	// defaultShellStart bounds the shell's first answer. A host whose sh
	// reads its whole stdin before running anything never answers; it
	// gets a session per command instead.
	defaultShellStart = 10 * time.Second
)

// startShell opens the shell and probes it. It fails when the host
// refuses or the shell does not answer like a POSIX sh.
func (c *conn) startShell(ctx context.Context, timeout time.Duration) (*remoteShell, error) {
	select {
	case c.sessions <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	sh := &remoteShell{release: func() { <-c.sessions }, done: make(chan struct{})}
	if err := sh.open(ctx, c); err != nil {
		sh.kill()
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	nonce := newNonce()
	probe := shellProbe + `printf '%s%s\n' ` + nonce + ` "$b"` + "\n"
	if _, err := io.WriteString(sh.in, probe); err != nil {
		sh.kill()
		return nil, fmt.Errorf("start shell: %w", err)
	}
	_, b, _, err := sh.out.until(ctx, nonce, c.outputLimit())
	if err != nil || (b != "0" && b != "1") {
		sh.kill()
		return nil, fmt.Errorf("start shell: no answer from sh -s (%v)", err)
	}
	sh.printfBuiltin = b == "1"
	return sh, nil
}

func (sh *remoteShell) open(ctx context.Context, c *conn) error {
	var err error
	if sh.sess, err = c.openSession(ctx); err != nil {
		return fmt.Errorf("open session: %w", err)
	}
	if sh.in, err = sh.sess.StdinPipe(); err != nil {
		return err
	}
	stdout, err := sh.sess.StdoutPipe()
	if err != nil {
		return err
	}
	stderr, err := sh.sess.StderrPipe()
	if err != nil {
		return err
	}
	sh.out, sh.err = newStream(stdout, sh.done), newStream(stderr, sh.done)
	return sh.sess.Start("exec sh -s")
}

// kill ends the shell for good; idempotent.
func (sh *remoteShell) kill() {
	sh.once.Do(func() {
		sh.dead.Store(true)
		close(sh.done)
		if sh.sess != nil {
			_ = sh.sess.Close()
		}
		sh.release()
	})
}

// acquire takes the shell for one frame when it is free and alive and
// the command's stdin (nil, or data in memory when inMemory) can go
// through it; release with sh.mu.Unlock. Data travels inside the script
// text, so what a shell may not keep there takes a session: a NUL byte
// (no shell variable holds one) and a CR (some shells drop a CR before a
// newline of their script: Cygwin's bash with igncr, the lab's simulated
// sh).
func (sh *remoteShell) acquire(stdin io.Reader, data []byte, inMemory bool) bool {
	if stdin != nil && (!inMemory || !sh.printfBuiltin || len(data) > maxShellStdin || bytes.ContainsAny(data, "\x00\r")) {
		return false
	}
	if !sh.mu.TryLock() {
		return false
	}
	if sh.dead.Load() {
		sh.mu.Unlock()
		return false
	}
	return true
}

// inMemory returns the unread data of the readers that hold all of it in
// memory, and a reader of the same data in its place; reading them never
// blocks. Other readers are returned as they are.
func inMemory(r io.Reader) (io.Reader, []byte, bool) {
	switch r.(type) {
	case *bytes.Reader, *strings.Reader, *bytes.Buffer:
		if data, err := io.ReadAll(r); err == nil {
			return bytes.NewReader(data), data, true
		}
	}
	return r, nil, false
}

// run sends one frame and waits for its markers. sh.mu is held.
func (sh *remoteShell) run(ctx context.Context, c *conn, line string, data []byte, hasStdin bool, sig ssh.Signal) (outcome, error) {
	nonce := newNonce()
	if _, err := io.WriteString(sh.in, frame(line, data, hasStdin, nonce)); err != nil {
		sh.kill()
		return outcome{}, fmt.Errorf("send command to the shell: %w", err)
	}
	// stderr: the command's output, the PID marker (printed as soon as the
	// command started), more output, the end marker.
	limit := c.outputLimit()
	stderr, pid, over, err := sh.err.until(ctx, nonce, limit)
	var stdout, stderr2 []byte
	var code string
	var overOut, over2 bool
	if err == nil {
		stdout, code, overOut, err = sh.out.until(ctx, nonce, limit)
	}
	if err == nil {
		stderr2, _, over2, err = sh.err.until(ctx, nonce, limit-len(stderr))
	}
	if err != nil {
		sh.kill()
		if ctx.Err() != nil && pid != "" {
			c.killRemote(pid, sig)
		}
		return outcome{}, err
	}
	n, err := strconv.Atoi(code)
	if err != nil {
		sh.kill()
		return outcome{}, fmt.Errorf("the shell gave no exit status (%q)", code)
	}
	switch {
	case overOut:
		return outcome{}, transport.OutputTooLarge("stdout", limit)
	case over || over2:
		return outcome{}, transport.OutputTooLarge("stderr", limit)
	}
	return outcome{code: n, stdout: stdout, stderr: append(stderr, stderr2...)}, nil
}

// killTimeout bounds the session that stops a cancelled command.
const killTimeout = 5 * time.Second

// killRemote sends sig to the process pid on the host, as the login user,
// from a session of its own; failures are ignored (the process may be
// gone, or the connection with it).
func (c *conn) killRemote(pid string, sig ssh.Signal) {
	if _, err := strconv.Atoi(pid); err != nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), killTimeout)
	defer cancel()
	sess, err := c.openSession(ctx)
	if err != nil {
		return
	}
	defer sess.Close()
	done := make(chan struct{})
	go func() {
		_ = sess.Run("kill -s " + string(sig) + " " + pid)
		close(done)
	}()
	select {
	case <-done:
	case <-ctx.Done():
	}
}

// frame is the script that runs line once; see shell.
func frame(line string, data []byte, hasStdin bool, nonce string) string {
	var b strings.Builder
	if hasStdin {
		b.WriteString("d=" + shquote.Always(string(data)) + "\nprintf %s \"$d\" | " + line + " &\n")
	} else {
		b.WriteString(line + " </dev/null &\n")
	}
	b.WriteString(`c=$!; d=; printf '%s%s\n' ` + nonce + ` "$c" >&2; wait "$c"; r=$?` + "\n")
	b.WriteString(`printf '%s\n' ` + nonce + ` >&2; printf '%s%s\n' ` + nonce + ` "$r"` + "\n")
	return b.String()
}

// newNonce is a marker no command's output can contain by chance or
// design: 128 random bits, known only to the shell, whose stdin the
// commands never see.
func newNonce() string { return "rotplay-" + rand.Text() }

// stream reads one of the shell's outputs in the background.
type stream struct {
	chunks chan []byte // closed at EOF or on a read error
	err    error       // why chunks was closed; read after it is
	buf    []byte      // received, not yet returned
}

func newStream(r io.Reader, done <-chan struct{}) *stream {
	s := &stream{chunks: make(chan []byte, 16)}
	go func() {
		b := make([]byte, 32<<10)
		for {
			n, err := r.Read(b)
			if n > 0 {
				select {
				case s.chunks <- bytes.Clone(b[:n]):
				case <-done:
					return
				}
			}
			if err != nil {
				s.err = err
				close(s.chunks)
				return
			}
		}
	}()
	return s
}

// until returns what came before the next marker nonce, at most limit
// bytes of it (over: more came, and was dropped), and the rest of the
// marker's line. What is searched stays small whatever the command
// prints: only the bytes that could still begin a marker are held back.
func (s *stream) until(ctx context.Context, nonce string, limit int) (before []byte, rest string, over bool, err error) {
	searched := 0
	for {
		if i := bytes.Index(s.buf[searched:], []byte(nonce)); i >= 0 {
			i += searched
			if nl := bytes.IndexByte(s.buf[i:], '\n'); nl >= 0 {
				before, over = transport.Keep(before, s.buf[:i], limit, over)
				rest = string(s.buf[i+len(nonce) : i+nl])
				s.buf = s.buf[i+nl+1:]
				return before, rest, over, nil
			}
		} else if cut := len(s.buf) - len(nonce); cut > 0 {
			before, over = transport.Keep(before, s.buf[:cut], limit, over)
			s.buf = append(s.buf[:0:0], s.buf[cut:]...)
			searched = 0
		}
		select {
		case b, ok := <-s.chunks:
			if !ok {
				if errors.Is(s.err, io.EOF) {
					return nil, "", false, errors.New("the shell ended before the command did")
				}
				return nil, "", false, fmt.Errorf("read from the shell: %w", s.err)
			}
			s.buf = append(s.buf, b...)
		case <-ctx.Done():
			return nil, "", false, ctx.Err()
		}
	}
}
