package ssh

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"sync"
	"syscall"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/rotplay/rotplay/transport"
)

// NewDialer returns a Dialer for SSH connections configured by opts.
func NewDialer(opts Options) transport.Dialer { return newDialer(opts, osEnviron()) }

func newDialer(opts Options, env environ) *dialer { return &dialer{opts: opts, env: env} }

type dialer struct {
	opts Options
	env  environ
	mu   sync.Mutex // serialises appends to known_hosts
}

var _ transport.Dialer = (*dialer)(nil)

// errConnectTimeout is the cause of a dial that ran out of ConnectTimeout,
// told apart from the caller's own deadline.
var errConnectTimeout = errors.New("connect timeout")

// Dial implements transport.Dialer: it connects, checks the host key, logs
// in and learns the host's facts, within Options.ConnectTimeout. Every
// failure to get there wraps transport.ErrUnreachable, with a message that
// says what to do, except the caller's ctx ending, which wraps ctx.Err().
func (d *dialer) Dial(ctx context.Context, t transport.Target) (transport.Conn, error) {
	h, err := d.resolve(t)
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w: %w", t.Name, transport.ErrUnreachable, err)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("dial %s: %w", h.name, err)
	}
	tctx, cancel := context.WithTimeoutCause(ctx, d.opts.connectTimeout(), errConnectTimeout)
	defer cancel()
	client, err := d.connect(tctx, h)
	if err != nil {
		return nil, d.dialError(ctx, tctx, h, err)
	}
	c := newConn(h, client)
	if err := c.learnFacts(tctx, h); err != nil {
		_ = c.Close()
		return nil, d.dialError(ctx, tctx, h, fmt.Errorf("learn facts: %w", err))
	}
	c.startKeepalive(d.opts.keepaliveInterval())
	return c, nil
}

// dialError wraps err: in ctx.Err() when the caller gave up, otherwise in
// ErrUnreachable.
func (d *dialer) dialError(ctx, tctx context.Context, h *host, err error) error {
	switch {
	case ctx.Err() != nil:
		return fmt.Errorf("dial %s: %w", h.name, ctx.Err())
	case context.Cause(tctx) == errConnectTimeout || errors.Is(err, os.ErrDeadlineExceeded):
		return fmt.Errorf("dial %s (%s): %w: no SSH session after %v (TCP connect, handshake, login): "+
			"check that the address and port are right and that sshd answers there", h.name, h.addr,
			transport.ErrUnreachable, d.opts.connectTimeout())
	}
	return fmt.Errorf("dial %s: %w: %w", h.name, transport.ErrUnreachable, err)
}

// connect opens the TCP connection and runs the SSH handshake and login.
func (d *dialer) connect(ctx context.Context, h *host) (*ssh.Client, error) {
	keys, err := d.hostKeys(h)
	if err != nil {
		return nil, err
	}
	plan, err := d.authPlan(h)
	if err != nil {
		return nil, err
	}
	defer plan.close()
	var nd net.Dialer
	nc, err := nd.DialContext(ctx, "tcp", h.addr)
	if err != nil {
		return nil, tcpError(h, err)
	}
	config := &ssh.ClientConfig{
		User:              h.user,
		Auth:              plan.methods,
		HostKeyCallback:   keys.check,
		HostKeyAlgorithms: keys.algorithms(),
	}
	sc, chans, reqs, err := handshake(ctx, nc, h.addr, config)
	if err != nil {
		_ = nc.Close()
		return nil, handshakeError(h, keys, plan, err)
	}
	return ssh.NewClient(sc, chans, reqs), nil
}

// handshake runs the SSH handshake on nc, which x/crypto does without a
// context: ctx's deadline becomes the socket's, and ctx ending closes it.
func handshake(ctx context.Context, nc net.Conn, addr string, config *ssh.ClientConfig) (ssh.Conn, <-chan ssh.NewChannel, <-chan *ssh.Request, error) {
	if dl, ok := ctx.Deadline(); ok {
		_ = nc.SetDeadline(dl)
	}
	stop := context.AfterFunc(ctx, func() { _ = nc.SetDeadline(time.Now()) })
	sc, chans, reqs, err := ssh.NewClientConn(nc, addr, config)
	if !stop() && err == nil {
		_ = sc.Close()
		return nil, nil, nil, ctx.Err()
	}
	if err != nil {
		return nil, nil, nil, err
	}
	_ = nc.SetDeadline(time.Time{})
	return sc, chans, reqs, nil
}

// tcpError explains a failed TCP connect.
func tcpError(h *host, err error) error {
	var dnsErr *net.DNSError
	switch {
	case errors.As(err, &dnsErr):
		return fmt.Errorf("cannot resolve %s: %w; check ansible_host", h.hostname, err)
	case errors.Is(err, syscall.ECONNREFUSED):
		return fmt.Errorf("connect to %s: connection refused: is sshd running there, and is the port (ansible_port) right?", h.addr)
	}
	return fmt.Errorf("connect to %s: %w", h.addr, err)
}

// handshakeError explains a failed handshake: host key, login, or other.
func handshakeError(h *host, keys *hostKeys, plan *authPlan, err error) error {
	msg := err.Error()
	switch {
	case keys.failure != nil:
		return keys.failure
	case strings.Contains(msg, "no common algorithm for host key") && len(keys.known) > 0:
		return keys.changedAlgorithm()
	case strings.Contains(msg, "unable to authenticate"):
		return plan.authFailure(h)
	}
	return fmt.Errorf("ssh handshake with %s: %w", h.addr, err)
}
