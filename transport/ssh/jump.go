package ssh

import (
	"context"
	"fmt"
	"net"
	"strings"

	"golang.org/x/crypto/ssh"
)

// jumpConn is one open SSH connection to a jump host, shared by every
// host of the Dialer reached through the same route, and closed when the
// last of them closes.
type jumpConn struct {
	route  string
	ready  chan struct{} // closed once client or err is set
	client *ssh.Client
	err    error
	parent *jumpConn // the previous hop of a chain; nil for the first
	refs   int       // guarded by dialer.jumpMu
}

// jumpHosts resolves h's jump hosts. Each is looked up in ssh_config
// (HostName, User, Port, StrictHostKeyChecking) and logs in with h's key
// sources, never with h's password; its key is checked against the same
// known_hosts files as h's.
func (d *dialer) jumpHosts(h *host) ([]*host, error) {
	cfg, err := d.sshConfig()
	if err != nil {
		return nil, err
	}
	hops := make([]*host, len(h.jumps))
	for i, spec := range h.jumps {
		jh := &host{
			name:    fmt.Sprintf("jump host %s (hop %d of %d to %s)", spec, i+1, len(h.jumps), h.name),
			keyFile: h.keyFile, identityFiles: h.identityFiles, knownHosts: h.knownHosts, recordTo: h.recordTo,
		}
		if err := d.resolveEndpoint(jh, cfg, spec.host, "", spec.user, spec.port); err != nil {
			return nil, fmt.Errorf("%s: %w", jh.name, err)
		}
		if jh.acceptNew, err = cfg.acceptNew(spec.host); err != nil {
			return nil, fmt.Errorf("%s: %w", jh.name, err)
		}
		jh.acceptNew = jh.acceptNew || d.opts.AcceptNewHostKeys
		hops[i] = jh
	}
	return hops, nil
}

// routeKey identifies a chain of hops with the credentials used on them:
// two hosts share a jump connection only if both would open the same one.
func routeKey(h *host, hops []*host) string {
	var b strings.Builder
	for _, hop := range hops {
		fmt.Fprintf(&b, "%s@%s>", hop.user, hop.addr)
	}
	fmt.Fprintf(&b, "key=%q ids=%q", h.keyFile, h.identityFiles)
	return b.String()
}

// acquireJump returns the connection to the last of hops, opening the
// chain as needed or sharing one already open. Every successful call
// must be matched by releaseJump.
func (d *dialer) acquireJump(ctx context.Context, h *host, hops []*host) (*jumpConn, error) {
	route := routeKey(h, hops)
	d.jumpMu.Lock()
	if j := d.jumps[route]; j != nil {
		j.refs++
		d.jumpMu.Unlock()
		select {
		case <-j.ready:
		case <-ctx.Done():
			d.releaseJump(j)
			return nil, ctx.Err()
		}
		if j.err != nil {
			d.releaseJump(j)
			return nil, j.err
		}
		return j, nil
	}
	j := &jumpConn{route: route, ready: make(chan struct{}), refs: 1}
	d.jumps[route] = j
	d.jumpMu.Unlock()
	j.client, j.err = d.openJump(ctx, h, hops, j)
	if j.err != nil {
		d.forgetJump(j)
		close(j.ready)
		d.releaseJump(j)
		return nil, j.err
	}
	close(j.ready)
	go func() {
		_ = j.client.Wait() // a dead jump connection is not handed out again
		d.forgetJump(j)
	}()
	return j, nil
}

// openJump connects to the last of hops, through the ones before it.
func (d *dialer) openJump(ctx context.Context, h *host, hops []*host, j *jumpConn) (*ssh.Client, error) {
	hop := hops[len(hops)-1]
	dial := func() (net.Conn, error) {
		var nd net.Dialer
		nc, err := nd.DialContext(ctx, "tcp", hop.addr)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", hop.name, tcpError(hop, err))
		}
		return nc, nil
	}
	if len(hops) > 1 {
		parent, err := d.acquireJump(ctx, h, hops[:len(hops)-1])
		if err != nil {
			return nil, err
		}
		j.parent = parent
		dial = func() (net.Conn, error) { return forward(ctx, parent, hops[len(hops)-2], hop) }
	}
	client, err := d.login(ctx, hop, dial)
	if err != nil {
		if j.parent != nil {
			d.releaseJump(j.parent)
		}
		if strings.Contains(err.Error(), hop.name) {
			return nil, err
		}
		return nil, fmt.Errorf("%s: %w", hop.name, err)
	}
	return client, nil
}

// forward opens a TCP connection to to.addr from the jump host via, as
// ssh -J does (a direct-tcpip channel).
func forward(ctx context.Context, j *jumpConn, via, to *host) (net.Conn, error) {
	nc, err := j.client.DialContext(ctx, "tcp", to.addr)
	if err != nil {
		return nil, fmt.Errorf("%s could not connect to %s (%s): %w; check that the address and port are right "+
			"as seen from the jump host, and that its sshd allows it (AllowTcpForwarding)", via.name, to.name, to.addr, err)
	}
	return nc, nil
}

// forgetJump stops handing out j; connections using it keep it.
func (d *dialer) forgetJump(j *jumpConn) {
	d.jumpMu.Lock()
	defer d.jumpMu.Unlock()
	if d.jumps[j.route] == j {
		delete(d.jumps, j.route)
	}
}

// releaseJump drops one use of j, closing it (and releasing its parent)
// with the last.
func (d *dialer) releaseJump(j *jumpConn) {
	d.jumpMu.Lock()
	j.refs--
	last := j.refs == 0
	if last && d.jumps[j.route] == j {
		delete(d.jumps, j.route)
	}
	d.jumpMu.Unlock()
	if !last || j.client == nil {
		return
	}
	_ = j.client.Close()
	if j.parent != nil {
		d.releaseJump(j.parent)
	}
}
