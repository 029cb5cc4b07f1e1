package lab

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"sync/atomic"

	"golang.org/x/crypto/ssh"

	"github.com/rotplay/rotplay/lab/sshserver"
	"github.com/rotplay/rotplay/lab/vhost"
)

// Fault hooks: what the fault-injection suite (package faults) does to a
// running lab. They affect the Linux hosts behind SSH only.

// Login is how the inventory logs in to a Linux host: as User, with
// ansible_become when Become. The zero value is the lab's default for the
// host (root for ActiveGates, root or ops with sudo for OneAgents).
type Login struct {
	User   string
	Become bool
}

// ExecHook intercepts every command a Linux host runs that is not a shell
// builtin (see vhost.CommandHook): the `sh -c LINE` of each of rotplay's
// commands, sudo, systemctl, oneagentctl..., whether the command came in an
// SSH exec request of its own or through the pipelining shell, so a fault
// hits the same command either way. req.Command is the command's argv
// joined by blanks. It may run next, or return an exit status of its own
// without running it, or block until ctx ends (the client went away). A
// negative status -n reports death by signal n.
type ExecHook = vhost.CommandHook

// hookSlot holds a host's current ExecHook; nil means none.
type hookSlot struct{ p atomic.Pointer[ExecHook] }

// command is the slot as the host's vhost.CommandHook: it calls the hook
// set now, if any.
func (s *hookSlot) command(ctx context.Context, req sshserver.ExecRequest, next sshserver.ExecFunc) int {
	if h := s.p.Load(); h != nil {
		return (*h)(ctx, req, next)
	}
	return next(ctx, req)
}

// SetExecHook makes hook intercept every later command of the Linux host
// name; nil removes it. Commands already running are not affected.
func (l *Lab) SetExecHook(name string, hook ExecHook) error {
	h, err := l.sshHost(name)
	if err != nil {
		return err
	}
	if hook == nil {
		h.hook.p.Store(nil)
	} else {
		h.hook.p.Store(&hook)
	}
	return nil
}

// DropConnections closes every SSH connection open to the Linux host name,
// as a network failure would; the host keeps listening.
func (l *Lab) DropConnections(name string) error {
	h, err := l.sshHost(name)
	if err != nil {
		return err
	}
	h.server.DropConnections()
	return nil
}

// StopHost stops the SSH server of the Linux host name, as a host that is
// down: connections to its port are refused until RestartHost. Running
// commands see their ctx end. Stopping a stopped host does nothing.
func (l *Lab) StopHost(name string) error {
	h, err := l.sshHost(name)
	if err != nil {
		return err
	}
	return h.server.Close()
}

// RestartHost starts the SSH server of the Linux host name again on the
// same port with the same host key (the inventory and known_hosts stay
// valid). Restarting a running host restarts it.
func (l *Lab) RestartHost(name string) error {
	h, err := l.sshHost(name)
	if err != nil {
		return err
	}
	if err := h.server.Close(); err != nil {
		return fmt.Errorf("restart lab host %s: %w", name, err)
	}
	srv, err := sshserver.Listen(h.addr, h.sshConfig)
	if err != nil {
		return fmt.Errorf("restart lab host %s: %w", name, err)
	}
	h.server = srv
	return nil
}

// SetLogin changes how the inventory logs in to the Linux host name (say,
// an operator adding ansible_become after a permission error): the host
// is restarted with that login user on the same port, and the inventory
// is rewritten.
func (l *Lab) SetLogin(name string, login Login) error {
	h, err := l.sshHost(name)
	if err != nil {
		return err
	}
	h.user, h.become = loginUser(login, h.user), login.Become
	if err := l.serve(h); err != nil {
		return fmt.Errorf("set login of lab host %s: %w", name, err)
	}
	if err := l.RestartHost(name); err != nil {
		return err
	}
	return l.writeClientFiles()
}

func loginUser(login Login, def string) string {
	if login.User != "" {
		return login.User
	}
	return def
}

func (l *Lab) sshHost(name string) (*host, error) {
	for _, h := range l.hosts {
		if h.name == name && h.server != nil {
			return h, nil
		}
	}
	return nil, fmt.Errorf("lab: no Linux host %q", name)
}

// serve builds h's virtual host and the SSH server configuration for it
// (without listening): the login user may have changed.
func (l *Lab) serve(h *host) error {
	root := l.HostRoot(h.name)
	if h.user != "root" {
		if err := os.MkdirAll(filepath.Join(root, "home", h.user), 0o755); err != nil {
			return err
		}
	}
	vh, err := vhost.New(h.name, root, vhost.Options{User: h.user, Reporter: simReporter{l.Sim},
		RestartDelay: l.opts.RestartDelay})
	if err != nil {
		return err
	}
	vh.SetCommandHook(h.hook.command)
	h.vh = vh
	h.sshConfig = sshserver.Config{HostKey: h.hostKey,
		AuthorizedKeys: []ssh.PublicKey{l.clientKey.signer.PublicKey()}, Users: []string{h.user},
		Exec: logged(h.name, vh.Exec, l.opts.CommandLog), MaxSessions: 10}
	return nil
}

// listen starts h's SSH server on a free loopback port and remembers the
// port for RestartHost.
func (h *host) listen() error {
	srv, err := sshserver.Listen("127.0.0.1:0", h.sshConfig)
	if err != nil {
		return err
	}
	h.server, h.addr = srv, srv.Addr()
	if _, _, err := net.SplitHostPort(h.addr); err != nil {
		return err
	}
	return nil
}

// FileOwner returns the virtual owner of the file at the virtual path name
// on the Linux host, as ls -l there shows it.
func (l *Lab) FileOwner(host, name string) (uid, gid int, err error) {
	h, err := l.sshHost(host)
	if err != nil {
		return 0, 0, err
	}
	return h.vh.Owner(name)
}
