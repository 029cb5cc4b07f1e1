package sshserver

import (
	"context"
	"io"
	"net"
	"strconv"
	"sync"
	"time"

	"golang.org/x/crypto/ssh"
)

// directTCPIP is the payload of a "direct-tcpip" channel open (RFC 4254
// section 7.2).
type directTCPIP struct {
	Host       string
	Port       uint32
	OriginHost string
	OriginPort uint32
}

// Forwards returns the destinations (host:port) of the direct-tcpip
// channels the server has accepted, in order.
func (s *Server) Forwards() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.forwards...)
}

// forward serves one direct-tcpip channel to 127.0.0.1, counted in wg: it
// copies both ways until both sides are done or ctx ends.
func (s *Server) forward(ctx context.Context, nch ssh.NewChannel, wg *sync.WaitGroup) {
	var req directTCPIP
	if err := ssh.Unmarshal(nch.ExtraData(), &req); err != nil {
		_ = nch.Reject(ssh.ConnectionFailed, "malformed direct-tcpip request")
		return
	}
	if ip := net.ParseIP(req.Host); req.Host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		_ = nch.Reject(ssh.Prohibited, "only 127.0.0.1 may be forwarded to")
		return
	}
	dest := net.JoinHostPort("127.0.0.1", strconv.Itoa(int(req.Port)))
	tcp, err := net.DialTimeout("tcp", dest, 10*time.Second)
	if err != nil {
		_ = nch.Reject(ssh.ConnectionFailed, err.Error())
		return
	}
	ch, reqs, err := nch.Accept()
	if err != nil {
		_ = tcp.Close()
		return
	}
	s.mu.Lock()
	s.forwards = append(s.forwards, dest)
	s.mu.Unlock()
	go ssh.DiscardRequests(reqs)
	wg.Go(func() { pipe(ctx, ch, tcp) })
}

// pipe copies between ch and tcp, passing on half-closes, and closes
// both when both directions are done or ctx ends.
func pipe(ctx context.Context, ch ssh.Channel, tcp net.Conn) {
	stop := context.AfterFunc(ctx, func() {
		_ = tcp.Close()
		_ = ch.Close()
	})
	defer stop()
	var wg sync.WaitGroup
	wg.Go(func() {
		_, _ = io.Copy(tcp, ch)
		if tc, ok := tcp.(*net.TCPConn); ok {
			_ = tc.CloseWrite()
		}
	})
	_, _ = io.Copy(ch, tcp)
	_ = ch.CloseWrite()
	wg.Wait()
	_ = ch.Close()
	_ = tcp.Close()
}
