package winrm

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/rotplay/rotplay/transport"
)

// NewDialer returns a Dialer for WinRM connections configured by opts.
func NewDialer(opts Options) transport.Dialer { return &dialer{opts: opts, httpMargin: httpMargin} }

type dialer struct {
	opts       Options
	httpMargin time.Duration // HTTP response timeout minus OperationTimeout; tests shorten it
}

var _ transport.Dialer = (*dialer)(nil)

// errConnectTimeout is the cause of a dial that ran out of ConnectTimeout,
// told apart from the caller's own deadline.
var errConnectTimeout = errors.New("connect timeout")

// Dial implements transport.Dialer: it checks the inventory variables,
// then runs the facts script, which connects, authenticates and checks
// that PowerShell answers, within Options.ConnectTimeout. Every failure
// wraps transport.ErrUnreachable, with a message that says what to do,
// except the caller's ctx ending, which wraps ctx.Err().
// CheckTarget implements transport.TargetChecker: what Dial would refuse
// before connecting (user, password given, scheme, authentication, CA file).
func (d *dialer) CheckTarget(t transport.Target) error {
	_, err := d.resolve(t)
	return err
}

func (d *dialer) Dial(ctx context.Context, t transport.Target) (transport.Conn, error) {
	h, err := d.resolve(t)
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w: %w", t.Name, transport.ErrUnreachable, err)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("dial %s: %w", h.name, err)
	}
	c, err := newConn(h, d.opts, d.opts.operationTimeout()+d.httpMargin)
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w: %w", h.name, transport.ErrUnreachable, err)
	}
	tctx, cancel := context.WithTimeoutCause(ctx, d.opts.connectTimeout(), errConnectTimeout)
	defer cancel()
	if err := c.learnFacts(tctx); err != nil {
		_ = c.Close()
		return nil, d.dialError(ctx, tctx, h, err)
	}
	return c, nil
}

// dialError wraps err: in ctx.Err() when the caller gave up, otherwise in
// ErrUnreachable.
func (d *dialer) dialError(ctx, tctx context.Context, h *host, err error) error {
	switch {
	case ctx.Err() != nil:
		return fmt.Errorf("dial %s: %w", h.name, ctx.Err())
	case context.Cause(tctx) == errConnectTimeout:
		return fmt.Errorf("dial %s: %w: no answer from %s within %v (TCP connect, TLS, login, PowerShell): "+
			"check the address and port and that WinRM answers there", h.name, transport.ErrUnreachable, h.url, d.opts.connectTimeout())
	case errors.Is(err, transport.ErrUnreachable):
		return fmt.Errorf("dial %s: %w", h.name, err)
	}
	return fmt.Errorf("dial %s: %w: %w", h.name, transport.ErrUnreachable, err)
}
