package ssh

import (
	"context"
	"fmt"
	"io"
	"sync"

	"golang.org/x/crypto/ssh"

	"github.com/rotplay/rotplay/transport"
)

// conn is one SSH connection to a host; see the package comment.
type conn struct {
	name     string // the host, for messages
	client   *ssh.Client
	facts    transport.Facts
	sudo     string // prefix of every command line; "" without become
	asUser   string // the user sudo runs commands as, for messages
	login    string // the login user, for messages
	flush    bool   // WriteFile flushes with `sync FILE` (see scripts.go)
	sessions chan struct{}
	// shell runs the commands when pipelining (nil: a session each). Set
	// while dialing, before the Conn is shared.
	shell   *remoteShell
	release func() // gives up the jump connection, if any; called by Close

	// wrapStdin, when set, wraps the stdin of WriteFile's script. Tests
	// use it to cut a write short.
	wrapStdin func(io.Reader) io.Reader
	// maxOutput is what is kept of a command's stdout and of its stderr
	// (0: transport.MaxOutput; tests lower it).
	maxOutput int

	mu      sync.Mutex
	closed  bool
	lost    chan struct{} // closed when the connection is found dead
	lostErr error         // why; wraps transport.ErrUnreachable
	stop    chan struct{} // closed by Close, stops the keepalive
	wg      sync.WaitGroup
}

var _ transport.Conn = (*conn)(nil)

// outputLimit is what is kept of a command's stdout, and of its stderr.
func (c *conn) outputLimit() int {
	if c.maxOutput > 0 {
		return c.maxOutput
	}
	return transport.MaxOutput
}

func newConn(h *host, client *ssh.Client) *conn {
	c := &conn{
		name:     h.name,
		client:   client,
		login:    h.user,
		sessions: make(chan struct{}, maxSessions),
		lost:     make(chan struct{}),
		stop:     make(chan struct{}),
	}
	c.wg.Go(func() {
		// Wait returns when the connection ends: EOF, reset, Close.
		err := client.Wait()
		c.markLost(fmt.Errorf("connection closed by the host or the network (%v)", err))
	})
	return c
}

// usable says why a call cannot start: Close was called, the connection is
// lost, or ctx has ended.
func (c *conn) usable(ctx context.Context) error {
	c.mu.Lock()
	closed := c.closed
	c.mu.Unlock()
	if closed {
		return transport.ErrClosed
	}
	select {
	case <-c.lost:
		return c.lostErr
	default:
	}
	return ctx.Err()
}

// markLost records that the connection is dead, the first time, and
// closes it so that every blocked call returns.
func (c *conn) markLost(cause error) {
	c.mu.Lock()
	select {
	case <-c.lost:
		c.mu.Unlock()
		return
	default:
	}
	c.lostErr = fmt.Errorf("connection to %s lost: %v: %w", c.name, cause, transport.ErrUnreachable)
	close(c.lost)
	c.mu.Unlock()
	_ = c.client.Close()
}

// Facts implements transport.Conn.
func (c *conn) Facts() transport.Facts { return c.facts }

// Close implements transport.Conn: it closes the connection, which makes
// calls in progress fail, and stops the keepalive. Idempotent.
func (c *conn) Close() error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil
	}
	c.closed = true
	close(c.stop)
	c.mu.Unlock()
	_ = c.client.Close()
	if c.shell != nil {
		c.shell.kill()
	}
	c.wg.Wait()
	if c.release != nil {
		c.release()
	}
	return nil
}
