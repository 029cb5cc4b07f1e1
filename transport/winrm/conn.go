package winrm

import (
	"context"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/rotplay/rotplay/transport"
)

// conn is an open connection to one Windows host; see the package
// comment. It has maxShells runners, each with its own HTTP connection;
// a call takes one for its whole exchange.
type conn struct {
	h       *host
	facts   transport.Facts
	runners []*runner
	free    chan *runner

	closing context.Context // ends at Close: aborts calls in progress
	stop    context.CancelFunc

	mu     sync.Mutex
	closed bool
	calls  sync.WaitGroup // calls in progress
	bg     sync.WaitGroup // cleanups of interrupted commands
}

var _ transport.Conn = (*conn)(nil)

// newConn prepares the runners for h; it does no I/O. httpTimeout bounds
// the wait for each answer.
func newConn(h *host, opts Options, httpTimeout time.Duration) (*conn, error) {
	closing, stop := context.WithCancel(context.Background())
	c := &conn{h: h, free: make(chan *runner, maxShells), closing: closing, stop: stop}
	for range maxShells {
		t, err := newStrictTransport(h, opts.connectTimeout(), httpTimeout)
		if err != nil {
			stop()
			return nil, err
		}
		r := newRunner(t, opts)
		c.runners = append(c.runners, r)
		c.free <- r
	}
	return c, nil
}

// begin counts a call in progress, unless the Conn is closed or ctx has
// ended: both under mu, so that Close cannot miss a call.
func (c *conn) begin(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return transport.ErrClosed
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	c.calls.Add(1)
	return nil
}

// execute runs line with stdin on the host and waits for it. A command
// that ran is an outcome whatever its exit code. When ctx ends, or the
// Conn is closed, the request in flight is aborted at once and the
// command is terminated in the background.
func (c *conn) execute(ctx context.Context, line string, stdin io.Reader) (outcome, error) {
	if err := c.begin(ctx); err != nil {
		return outcome{}, err
	}
	defer c.calls.Done()
	var r *runner
	select {
	case r = <-c.free:
	case <-ctx.Done():
		return outcome{}, ctx.Err()
	case <-c.closing.Done():
		return outcome{}, transport.ErrClosed
	}
	rctx, cancel := context.WithCancel(ctx)
	defer cancel()
	defer context.AfterFunc(c.closing, cancel)()
	out, cleanup, err := r.run(rctx, line, stdin)
	if cleanup == nil {
		c.free <- r
	} else {
		c.bg.Go(func() {
			cleanup()
			c.free <- r
		})
	}
	if err != nil {
		return outcome{}, c.failure(ctx, err)
	}
	return out, nil
}

// failure is the error a failed call returns: ctx's when it ended,
// ErrClosed after Close, else err explained.
func (c *conn) failure(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("%w (%v)", ctx.Err(), err)
	}
	if c.closing.Err() != nil {
		return transport.ErrClosed
	}
	return explain(c.h, err)
}

// Facts implements transport.Conn.
func (c *conn) Facts() transport.Facts { return c.facts }

// Close implements transport.Conn: calls in progress are aborted (they
// fail with ErrClosed), their commands terminated on the host, within
// cleanupTimeout, and the HTTP connections closed. Idempotent.
func (c *conn) Close() error {
	c.mu.Lock()
	already := c.closed
	c.closed = true
	c.mu.Unlock()
	if already {
		return nil
	}
	c.stop()
	c.calls.Wait()
	c.bg.Wait()
	for _, r := range c.runners {
		r.t.closeIdle()
	}
	return nil
}
