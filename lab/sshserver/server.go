package sshserver

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"time"

	"golang.org/x/crypto/ssh"
)

// ExecRequest is one command a client asked a session to run.
type ExecRequest struct {
	User    string            // the authenticated user name
	Command string            // the exec request's command line, never ""
	Env     map[string]string // from "env" requests before the exec; the ExecFunc owns it
	Stdin   io.Reader         // the client's data; EOF when the client sends EOF
	Stdout  io.Writer
	Stderr  io.Writer
}

// ExecFunc runs one command and returns its exit status. A negative return
// -n reports that the command was killed by signal n: the client gets an
// "exit-signal" (SIGKILL for 9, ...) as from OpenSSH, and clients such as
// x/crypto/ssh report exit code 128+n.
//
// ctx ends when the client closes the channel, sends a "signal" request,
// or the server closes or drops the connection. The ExecFunc must return
// soon after: Server.Close waits for it. It may be called concurrently,
// for many sessions of many connections. A panic is reported to the client
// as exit status 255 with a message on stderr.
type ExecFunc func(ctx context.Context, req ExecRequest) int

// Config configures a Server.
type Config struct {
	HostKey ssh.Signer // required; see GenerateHostKey

	// AuthorizedKeys are accepted for public-key authentication, for any
	// user name unless Users is set.
	AuthorizedKeys []ssh.PublicKey

	// Users, when not empty, are the only user names that may log in.
	Users []string

	// Password, when not empty, is accepted for password authentication.
	// At least one of AuthorizedKeys and Password is required.
	Password string

	Exec ExecFunc // required

	// MaxSessions bounds the sessions open at once on one connection, as
	// OpenSSH's MaxSessions does (default 10 there); 0 means unlimited.
	// A session beyond it is rejected with "resource shortage".
	MaxSessions int

	// ForwardLoopback accepts "direct-tcpip" channels (ssh -J, ProxyJump)
	// to ports of 127.0.0.1, so that the server can be a jump host in
	// tests. Every other destination is refused.
	ForwardLoopback bool
}

// handshakeTimeout bounds how long a client may take to connect and
// authenticate, so that idle sockets do not hold goroutines for ever.
const handshakeTimeout = 30 * time.Second

// Server is a running SSH server. Its methods are safe for concurrent use.
type Server struct {
	config      *ssh.ServerConfig
	exec        ExecFunc
	maxSessions int
	ln          net.Listener

	forwardLoopback bool
	forwards        []string // destinations of accepted forwards; guarded by mu

	ctx    context.Context // ends at Close; parent of every ExecFunc's ctx
	cancel context.CancelFunc
	wg     sync.WaitGroup // every goroutine the server started

	mu     sync.Mutex
	conns  map[net.Conn]struct{}
	closed bool
}

// Listen starts a server on addr ("127.0.0.1:0" picks a free port) and
// serves in background goroutines until Close.
func Listen(addr string, cfg Config) (*Server, error) {
	sc, err := serverConfig(cfg)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("sshserver: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Server{
		config:      sc,
		exec:        cfg.Exec,
		maxSessions: cfg.MaxSessions,

		forwardLoopback: cfg.ForwardLoopback,
		ln:              ln,
		ctx:             ctx,
		cancel:          cancel,
		conns:           map[net.Conn]struct{}{},
	}
	s.wg.Add(1)
	go s.acceptLoop()
	return s, nil
}

// Addr returns the address the server listens on, as host:port.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// Connections returns how many client connections are open now, counting
// those still in their handshake.
func (s *Server) Connections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.conns)
}

// DropConnections closes every open client connection at once, as a
// network failure or a rebooting host would, and keeps listening. Running
// commands see their ctx end.
func (s *Server) DropConnections() {
	for _, c := range s.snapshot() {
		_ = c.Close()
	}
}

// Close stops listening, closes every connection and waits until every
// handler and ExecFunc has returned. It is idempotent.
func (s *Server) Close() error {
	s.mu.Lock()
	already := s.closed
	s.closed = true
	s.mu.Unlock()
	var err error
	if !already {
		err = s.ln.Close()
		s.cancel()
		s.DropConnections()
	}
	s.wg.Wait()
	return err
}

func (s *Server) snapshot() []net.Conn {
	s.mu.Lock()
	defer s.mu.Unlock()
	conns := make([]net.Conn, 0, len(s.conns))
	for c := range s.conns {
		conns = append(conns, c)
	}
	return conns
}

// acceptLoop accepts connections until the listener is closed.
func (s *Server) acceptLoop() {
	defer s.wg.Done()
	for {
		nc, err := s.ln.Accept()
		if errors.Is(err, net.ErrClosed) {
			return
		}
		if err != nil {
			// Out of file descriptors and the like: wait rather than spin.
			time.Sleep(10 * time.Millisecond)
			continue
		}
		if !s.track(nc) {
			_ = nc.Close()
			return
		}
		go s.serveConn(nc)
	}
}

// track registers nc and counts its handler in wg, unless the server is
// closing. Both happen under mu so that Close cannot miss either.
func (s *Server) track(nc net.Conn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.conns[nc] = struct{}{}
	s.wg.Add(1)
	return true
}

func (s *Server) untrack(nc net.Conn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.conns, nc)
}

// goTracked runs f in a goroutine that Close waits for.
func (s *Server) goTracked(f func()) {
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		f()
	}()
}
