package winrmfake

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/masterzen/winrm"

	"github.com/rotplay/rotplay/internal/testkit"
)

// testHandler is a small command language: "exit N", "cat" (stdin to
// stdout), "echo X", "err X" (to stderr), "big N" (N bytes of output),
// "sleep MS", "wait" (until ctx ends, exit 99), "user", "panic".
func testHandler(ctx context.Context, req Request) int {
	cmd, arg, _ := strings.Cut(req.CommandLine, " ")
	switch cmd {
	case "exit":
		n, _ := strconv.Atoi(arg)
		return n
	case "cat":
		if _, err := io.Copy(req.Stdout, req.Stdin); err != nil {
			return 2
		}
	case "echo":
		fmt.Fprint(req.Stdout, arg)
	case "err":
		fmt.Fprint(req.Stderr, arg)
	case "big":
		n, _ := strconv.Atoi(arg)
		_, _ = req.Stdout.Write([]byte(strings.Repeat("x", n)))
	case "sleep":
		ms, _ := strconv.Atoi(arg)
		select {
		case <-time.After(time.Duration(ms) * time.Millisecond):
		case <-ctx.Done():
			return 98
		}
	case "wait":
		<-ctx.Done()
		return 99
	case "user":
		fmt.Fprint(req.Stdout, req.User)
	case "panic":
		panic("boom")
	default:
		fmt.Fprintf(req.Stderr, "'%s' is not recognized as an internal or external command,\r\n", cmd)
		return 9009
	}
	return 0
}

var testUsers = map[string]string{"ops": "s3cret", `CORP\admin`: "adm1n"}

// start runs a server with cfg (testHandler and testUsers by default),
// closed when t ends.
func start(t *testing.T, cfg Config) *Server {
	t.Helper()
	if cfg.Handler == nil {
		cfg.Handler = testHandler
	}
	if cfg.Users == nil {
		cfg.Users = testUsers
	}
	s, err := Listen("127.0.0.1:0", cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// clientOpts tunes newClient.
type clientOpts struct {
	user, password string
	ntlm           bool
	ca             []byte
	insecure       bool
	opTimeout      string
	httpTimeout    time.Duration
}

// newClient returns a masterzen/winrm client for s: the library the fake
// is written for, used the way its README shows.
func newClient(t *testing.T, s *Server, o clientOpts) *winrm.Client {
	t.Helper()
	host, portStr, _ := strings.Cut(s.Addr(), ":")
	port, _ := strconv.Atoi(portStr)
	if o.user == "" {
		o.user, o.password = "ops", "s3cret"
	}
	if o.opTimeout == "" {
		o.opTimeout = "PT5S"
	}
	if o.httpTimeout == 0 {
		o.httpTimeout = 20 * time.Second
	}
	ep := winrm.NewEndpoint(host, port, s.CACertPEM() != nil, o.insecure, o.ca, nil, nil, o.httpTimeout)
	p := winrm.NewParameters(o.opTimeout, "en-US", 102400)
	if o.ntlm {
		p.TransportDecorator = func() winrm.Transporter { return &winrm.ClientNTLM{} }
	}
	c, err := winrm.NewClientWithParameters(ep, o.user, o.password, p)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// runCmd runs line with stdin through the library and returns what came
// back.
func runCmd(t *testing.T, c *winrm.Client, line, stdin string) (stdout, stderr string, code int, err error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	return c.RunWithContextWithString(ctx, line, stdin)
}

func count(log []Record, a Action, status int) int {
	n := 0
	for _, r := range log {
		if r.Action == a && (status == 0 || r.Status == status) {
			n++
		}
	}
	return n
}

// waitFor fails the test when cond does not hold within 5s.
var waitFor = testkit.WaitFor
