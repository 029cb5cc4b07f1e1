package winrmfake

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/Azure/go-ntlmssp"
	"github.com/masterzen/winrm"
	"github.com/masterzen/winrm/soap"

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
		scheme := map[bool]string{true: "https", false: "http"}[s.CACertPEM() != nil]
		url := scheme + "://" + s.Addr() + "/wsman"
		p.TransportDecorator = func() winrm.Transporter { return &oneConnNTLM{url: url, user: o.user, password: o.password} }
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

// oneConnNTLM is go-ntlmssp's Negotiator over one HTTP connection at a
// time, as transport/winrm uses it. NTLM authenticates a TCP connection,
// so the AUTHENTICATE must follow the NEGOTIATE on the same one. The
// library's own winrm.ClientNTLM pools connections freely: under load its
// AUTHENTICATE can leave on a fresh connection before the first is back
// in the pool, and a real host (like this server) refuses it, a 401 now
// and then.
type oneConnNTLM struct {
	url, user, password string
	rt                  http.RoundTripper
}

func (o *oneConnNTLM) Transport(ep *winrm.Endpoint) error {
	tr := &http.Transport{MaxConnsPerHost: 1, MaxIdleConnsPerHost: 1, ResponseHeaderTimeout: ep.Timeout,
		TLSClientConfig: &tls.Config{InsecureSkipVerify: ep.Insecure}} //nolint:gosec // tests only, as the endpoint says
	if len(ep.CACert) > 0 {
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(ep.CACert) {
			return fmt.Errorf("no certificate in the CA PEM")
		}
		tr.TLSClientConfig.RootCAs = pool
	}
	o.rt = ntlmssp.Negotiator{RoundTripper: tr}
	return nil
}

func (o *oneConnNTLM) Post(_ *winrm.Client, m *soap.SoapMessage) (string, error) {
	req, err := http.NewRequest(http.MethodPost, o.url, strings.NewReader(m.String()))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/soap+xml;charset=UTF-8")
	req.SetBasicAuth(o.user, o.password) // the Negotiator turns it into NTLM
	resp, err := (&http.Client{Transport: o.rt}).Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("http error %d: %s", resp.StatusCode, body)
	}
	return string(body), nil
}
