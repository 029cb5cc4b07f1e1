package sshserver

import (
	"context"
	"net"
	"sync"
	"time"

	"golang.org/x/crypto/ssh"
)

// serveConn runs one client connection: handshake, global requests and
// channels, until the connection ends. It is counted in s.wg by track.
func (s *Server) serveConn(nc net.Conn) {
	defer s.wg.Done()
	defer s.untrack(nc)
	defer nc.Close()
	_ = nc.SetDeadline(time.Now().Add(handshakeTimeout))
	sc, chans, reqs, err := ssh.NewServerConn(nc, s.config)
	if err != nil {
		return // failed handshake or authentication: the client was told
	}
	_ = nc.SetDeadline(time.Time{})
	ctx, cancel := context.WithCancel(s.ctx)
	var sessions sync.WaitGroup
	sessions.Go(func() { globalRequests(reqs) })
	limit := newSessionLimit(s.maxSessions)
	for nch := range chans {
		if nch.ChannelType() == "direct-tcpip" && s.forwardLoopback {
			s.forward(ctx, nch, &sessions)
			continue
		}
		if nch.ChannelType() != "session" {
			_ = nch.Reject(ssh.UnknownChannelType, "only session channels are supported")
			continue
		}
		if !limit.acquire() {
			_ = nch.Reject(ssh.ResourceShortage, "too many sessions on this connection")
			continue
		}
		ch, chReqs, err := nch.Accept()
		if err != nil {
			limit.release()
			continue
		}
		sessions.Go(func() {
			s.serveSession(ctx, sc.User(), ch, chReqs, limit.release)
		})
	}
	// chans is closed: the connection is gone. Commands still running must
	// stop before the handler counts as done.
	cancel()
	_ = sc.Close()
	sessions.Wait()
}

// globalRequests answers connection-level requests until the connection
// ends. OpenSSH clients send keepalive@openssh.com and expect a reply;
// anything else is refused, as x/crypto's servers do by default.
func globalRequests(reqs <-chan *ssh.Request) {
	for req := range reqs {
		if req.WantReply {
			_ = req.Reply(req.Type == "keepalive@openssh.com", nil)
		}
	}
}

// sessionLimit counts the open sessions of one connection.
type sessionLimit struct {
	mu   sync.Mutex
	max  int // 0 means unlimited
	open int
}

func newSessionLimit(max int) *sessionLimit { return &sessionLimit{max: max} }

func (l *sessionLimit) acquire() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.max > 0 && l.open >= l.max {
		return false
	}
	l.open++
	return true
}

func (l *sessionLimit) release() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.open--
}
