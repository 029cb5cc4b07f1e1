package winrmfake

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"time"
)

// Request is one command line a client asked a shell to run.
type Request struct {
	User        string    // the authenticated user, as spelt in Config.Users
	CommandLine string    // as the client sent it (cmd.exe would run it)
	Stdin       io.Reader // the client's Send data; EOF after End="true"
	Stdout      io.Writer
	Stderr      io.Writer
}

// Handler runs one command and returns its exit code. ctx ends when the
// client signals the command to terminate, deletes its shell, or the
// server closes; the Handler must return soon after (Close waits for it),
// and its writes fail from then on. Writes block while the client has not
// received earlier output (1 MiB per stream is buffered). Handlers run
// concurrently. A panic is reported as exit code 1 with a message on
// stderr.
type Handler func(ctx context.Context, req Request) int

// Config configures a Server.
type Config struct {
	// Users maps user names to passwords. A key "DOMAIN\user" matches only
	// that domain; a plain key matches the user in any domain. Names are
	// case-insensitive, as on Windows. Required.
	Users map[string]string

	// Basic and NTLM choose the authentication schemes offered (NTLM as
	// "Negotiate", as Windows offers it). When both are false, both are
	// offered.
	Basic, NTLM bool

	// TLS serves HTTPS with a certificate for 127.0.0.1, ::1, localhost
	// and Hostnames, signed by a CA made for this server (CACertPEM).
	TLS       bool
	Hostnames []string

	Handler Handler // required

	// MaxEnvelopeSize is the largest request body accepted, in bytes;
	// larger ones get HTTP 413 as from Windows' MaxEnvelopeSizekb.
	// Default 153,600 (150 KB, the smallest default Windows has shipped).
	MaxEnvelopeSize int

	// MaxReceiveBytes caps the output bytes one Receive answer carries,
	// to split output over many Receive calls. 0 means what fits the
	// client's MaxEnvelopeSize.
	MaxReceiveBytes int

	// Computer is the host's NetBIOS name. Default "WINHOST".
	Computer string

	// Domain is the NTLM target: the host's domain, or Computer for a
	// workgroup host (the default). go-ntlmssp computes its response for
	// this target whatever domain the user name gives, so a "DOMAIN\user"
	// key matches only when Domain is that domain.
	Domain string
}

const defaultMaxEnvelopeSize = 153600

// Server is a running WS-Management server. Its methods are safe for
// concurrent use.
type Server struct {
	cfg    Config
	ln     net.Listener
	srv    *http.Server
	caPEM  []byte
	scheme string

	ctx    context.Context // ends at Close: parent of every command's ctx
	cancel context.CancelFunc
	wg     sync.WaitGroup // requests in progress and running commands

	shells *shellTable
	faults *faultTable
	log    *requestLog

	mu     sync.Mutex
	conns  map[net.Conn]struct{}
	closed bool
}

// Listen starts a server on addr ("127.0.0.1:0" picks a free port) that
// serves in background goroutines until Close.
func Listen(addr string, cfg Config) (*Server, error) {
	if err := checkConfig(&cfg); err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("winrmfake: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Server{cfg: cfg, ln: ln, scheme: "http", ctx: ctx, cancel: cancel,
		shells: newShellTable(), faults: &faultTable{}, log: &requestLog{}, conns: map[net.Conn]struct{}{}}
	if cfg.TLS {
		if s.ln, s.caPEM, err = tlsListener(ln, cfg.Hostnames); err != nil {
			_ = ln.Close()
			cancel()
			return nil, err
		}
		s.scheme = "https"
	}
	s.srv = &http.Server{
		Handler:           s,
		ConnContext:       withConnState,
		ConnState:         s.trackConn,
		ReadHeaderTimeout: 30 * time.Second,
		ErrorLog:          discardLog,
	}
	s.wg.Go(func() { _ = s.srv.Serve(s.ln) })
	return s, nil
}

func checkConfig(cfg *Config) error {
	switch {
	case cfg.Handler == nil:
		return errors.New("winrmfake: Config.Handler is required")
	case len(cfg.Users) == 0:
		return errors.New("winrmfake: Config.Users is required, or nobody can log in")
	case cfg.MaxEnvelopeSize < 0 || cfg.MaxReceiveBytes < 0:
		return errors.New("winrmfake: negative size in Config")
	}
	if !cfg.Basic && !cfg.NTLM {
		cfg.Basic, cfg.NTLM = true, true
	}
	if cfg.MaxEnvelopeSize == 0 {
		cfg.MaxEnvelopeSize = defaultMaxEnvelopeSize
	}
	if cfg.Computer == "" {
		cfg.Computer = "WINHOST"
	}
	if cfg.Domain == "" {
		cfg.Domain = cfg.Computer
	}
	return nil
}

// Addr returns the address the server listens on, as host:port.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// URL returns the WS-Management endpoint, http(s)://ADDR/wsman.
func (s *Server) URL() string { return s.scheme + "://" + s.Addr() + "/wsman" }

// CACertPEM returns the PEM certificate of the CA that signed the server's
// certificate, for clients to trust; nil without TLS.
func (s *Server) CACertPEM() []byte { return s.caPEM }

// Connections returns how many client connections are open now.
func (s *Server) Connections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.conns)
}

// DropConnections closes every client connection at once, as a network
// failure would, and keeps listening. Shells and commands stay, as on
// Windows, where they outlive the HTTP connection.
func (s *Server) DropConnections() {
	s.mu.Lock()
	conns := make([]net.Conn, 0, len(s.conns))
	for c := range s.conns {
		conns = append(conns, c)
	}
	s.mu.Unlock()
	for _, c := range conns {
		_ = c.Close()
	}
}

// Close stops listening, closes every connection, ends every command and
// waits until every request and Handler has returned. Idempotent.
func (s *Server) Close() error {
	s.mu.Lock()
	already := s.closed
	s.closed = true
	s.mu.Unlock()
	var err error
	if !already {
		s.cancel()
		err = s.srv.Close()
	}
	s.wg.Wait()
	return err
}

// enter counts a request or command in wg unless the server is closing;
// both under mu, so that Close cannot miss one.
func (s *Server) enter() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.wg.Add(1)
	return true
}

func (s *Server) trackConn(c net.Conn, state http.ConnState) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch state {
	case http.StateNew:
		s.conns[c] = struct{}{}
	case http.StateClosed, http.StateHijacked:
		delete(s.conns, c)
	}
}
