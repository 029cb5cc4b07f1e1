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

func newDialer(opts Options, env environ) *dialer {
	return &dialer{opts: opts, env: env, jumps: map[string]*jumpConn{}}
}

type dialer struct {
	opts Options
	env  environ
	mu   sync.Mutex // serialises appends to known_hosts

	configOnce sync.Once
	config     *sshConfig // read-only once loaded
	configErr  error

	jumpMu sync.Mutex
	jumps  map[string]*jumpConn // open jump host connections, by route

	dbMu sync.Mutex
	dbs  map[string]knownDB // parsed known_hosts, by file list
}

var _ transport.Dialer = (*dialer)(nil)

// errConnectTimeout is the cause of a dial that ran out of ConnectTimeout,
// told apart from the caller's own deadline.
var errConnectTimeout = errors.New("connect timeout")

// Dial implements transport.Dialer: it connects, checks the host key, logs
// in and learns the host's facts, within Options.ConnectTimeout. Every
// failure to get there wraps transport.ErrUnreachable, with a message that
// says what to do, except the caller's ctx ending, which wraps ctx.Err().
// CheckTarget implements transport.TargetChecker: what Dial would refuse
// before connecting (variables, ssh_config, ProxyJump specs).
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
	tctx, cancel := context.WithTimeoutCause(ctx, d.opts.connectTimeout(), errConnectTimeout)
	defer cancel()
	client, release, err := d.connect(tctx, h)
	if err != nil {
		return nil, d.dialError(ctx, tctx, h, err)
	}
	c := newConn(h, client)
	c.release = release
	if err := c.learnFacts(tctx, h, d.opts.shellStartTimeout()); err != nil {
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

// connect opens the TCP connection, directly or through h's jump hosts,
// and runs the SSH handshake and login. release, never nil on success,
// gives up the jump connection once the client is closed.
func (d *dialer) connect(ctx context.Context, h *host) (client *ssh.Client, release func(), err error) {
	if len(h.jumps) == 0 {
		client, err = d.login(ctx, h, func() (net.Conn, error) {
			var nd net.Dialer
			nc, err := nd.DialContext(ctx, "tcp", h.addr)
			if err != nil {
				return nil, tcpError(h, err)
			}
			return nc, nil
		})
		return client, func() {}, err
	}
	hops, err := d.jumpHosts(h)
	if err != nil {
		return nil, nil, err
	}
	j, err := d.acquireJump(ctx, h, hops)
	if err != nil {
		return nil, nil, err
	}
	client, err = d.login(ctx, h, func() (net.Conn, error) { return forward(ctx, j, hops[len(hops)-1], h) })
	if err != nil {
		d.releaseJump(j)
		return nil, nil, err
	}
	return client, func() { d.releaseJump(j) }, nil
}

// login checks h's host key and logs in, on the connection dial opens
// once the credentials are known to be there.
func (d *dialer) login(ctx context.Context, h *host, dial func() (net.Conn, error)) (*ssh.Client, error) {
	keys, err := d.hostKeys(h)
	if err != nil {
		return nil, err
	}
	plan, err := d.authPlan(h)
	if err != nil {
		return nil, err
	}
	defer plan.close()
	nc, err := dial()
	if err != nil {
		return nil, err
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
// context: ctx's deadline becomes the socket's, and ctx ending ends it. A
// forwarded channel has no deadlines; ctx ending closes it instead.
func handshake(ctx context.Context, nc net.Conn, addr string, config *ssh.ClientConfig) (ssh.Conn, <-chan ssh.NewChannel, <-chan *ssh.Request, error) {
	if dl, ok := ctx.Deadline(); ok {
		_ = nc.SetDeadline(dl)
	}
	stop := context.AfterFunc(ctx, func() {
		if nc.SetDeadline(time.Now()) != nil {
			_ = nc.Close()
		}
	})
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
