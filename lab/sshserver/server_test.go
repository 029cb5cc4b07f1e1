package sshserver

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
)

// echoExec is a small command language for tests: "exit N", "cat" (stdin
// to stdout), "env NAME", "wait" (until ctx ends), "signal N", "panic",
// "user"; anything else is echoed to stdout and stderr.
func echoExec(ctx context.Context, req ExecRequest) int {
	f := strings.Fields(req.Command)
	switch f[0] {
	case "exit":
		var n int
		fmt.Sscan(f[1], &n)
		return n
	case "cat":
		_, _ = io.Copy(req.Stdout, req.Stdin)
	case "env":
		fmt.Fprint(req.Stdout, req.Env[f[1]])
	case "wait":
		<-ctx.Done()
		return 99
	case "signal":
		var n int
		fmt.Sscan(f[1], &n)
		return -n
	case "panic":
		panic("boom")
	case "user":
		fmt.Fprint(req.Stdout, req.User)
	default:
		fmt.Fprint(req.Stdout, req.Command)
		fmt.Fprint(req.Stderr, "err:"+req.Command)
	}
	return 0
}

// testKey returns a new ed25519 client key.
func testKey(t *testing.T) ssh.Signer {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := ssh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// start runs a server authorizing key, with cfg's other fields, closed
// when t ends.
func start(t *testing.T, key ssh.Signer, cfg Config) *Server {
	t.Helper()
	hk, err := GenerateHostKey()
	if err != nil {
		t.Fatal(err)
	}
	cfg.HostKey = hk
	if key != nil {
		cfg.AuthorizedKeys = append(cfg.AuthorizedKeys, key.PublicKey())
	}
	if cfg.Exec == nil {
		cfg.Exec = echoExec
	}
	s, err := Listen("127.0.0.1:0", cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func dial(t *testing.T, s *Server, user string, auth ...ssh.AuthMethod) (*ssh.Client, error) {
	t.Helper()
	c, err := ssh.Dial("tcp", s.Addr(), &ssh.ClientConfig{
		User:            user,
		Auth:            auth,
		HostKeyCallback: ssh.InsecureIgnoreHostKey(), // the server's key is not what is tested here
		Timeout:         5 * time.Second,
	})
	if err == nil {
		t.Cleanup(func() { _ = c.Close() })
	}
	return c, err
}

func mustDial(t *testing.T, s *Server, key ssh.Signer) *ssh.Client {
	t.Helper()
	c, err := dial(t, s, "tester", ssh.PublicKeys(key))
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	return c
}

// runCmd runs line in a new session and returns stdout, stderr and the
// exit status (-1 with the error when Run failed otherwise).
func runCmd(t *testing.T, c *ssh.Client, line string, stdin io.Reader, env map[string]string) (string, string, int, error) {
	t.Helper()
	sess, err := c.NewSession()
	if err != nil {
		return "", "", -1, err
	}
	defer sess.Close()
	for k, v := range env {
		if err := sess.Setenv(k, v); err != nil {
			return "", "", -1, err
		}
	}
	var out, errOut bytes.Buffer
	sess.Stdin, sess.Stdout, sess.Stderr = stdin, &out, &errOut
	err = sess.Run(line)
	var exitErr *ssh.ExitError
	switch {
	case err == nil:
		return out.String(), errOut.String(), 0, nil
	case errors.As(err, &exitErr):
		return out.String(), errOut.String(), exitErr.ExitStatus(), err
	}
	return out.String(), errOut.String(), -1, err
}

func TestExec(t *testing.T) {
	t.Parallel()
	key := testKey(t)
	c := mustDial(t, start(t, key, Config{}), key)
	large := bytes.Repeat([]byte("0123456789"), 300_000) // more than the SSH window
	tests := []struct {
		name, line  string
		stdin       []byte
		env         map[string]string
		out, errOut string
		code        int
	}{
		{"output", "hello", nil, nil, "hello", "err:hello", 0},
		{"exit status", "exit 42", nil, nil, "", "", 42},
		{"stdin to EOF", "cat", large, nil, string(large), "", 0},
		{"empty stdin", "cat", nil, nil, "", "", 0},
		{"env", "env ROTPLAY_X", nil, map[string]string{"ROTPLAY_X": "x y"}, "x y", "", 0},
		{"user", "user", nil, nil, "tester", "", 0},
		{"killed by KILL", "signal 9", nil, nil, "", "", 128 + 9},
		{"signal without a name", "signal 40", nil, nil, "", "", 128 + 40},
		{"panic", "panic", nil, nil, "", "sshserver: command panicked: boom\n", 255},
	}
	for _, tc := range tests {
		var stdin io.Reader
		if tc.stdin != nil {
			stdin = bytes.NewReader(tc.stdin)
		}
		out, errOut, code, err := runCmd(t, c, tc.line, stdin, tc.env)
		if out != tc.out || errOut != tc.errOut || code != tc.code {
			t.Errorf("%s: stdout %.20q (%d bytes), stderr %q, code %d (%v); want %.20q, %q, %d",
				tc.name, out, len(out), errOut, code, err, tc.out, tc.errOut, tc.code)
		}
	}
}

// TestExitSignal: a negative ExecFunc status arrives as exit-signal, not
// as an exit status.
func TestExitSignal(t *testing.T) {
	t.Parallel()
	key := testKey(t)
	c := mustDial(t, start(t, key, Config{}), key)
	_, _, _, err := runCmd(t, c, "signal 15", nil, nil)
	var exitErr *ssh.ExitError
	if !errors.As(err, &exitErr) || exitErr.Signal() != "TERM" {
		t.Errorf("signal 15: %v, want an ExitError with signal TERM", err)
	}
}

// TestRefusedRequests: shells, ptys and subsystems are refused, and a
// session can run only one command.
func TestRefusedRequests(t *testing.T) {
	t.Parallel()
	key := testKey(t)
	c := mustDial(t, start(t, key, Config{}), key)
	tests := map[string]func(s *ssh.Session) error{
		"shell":     func(s *ssh.Session) error { return s.Shell() },
		"pty":       func(s *ssh.Session) error { return s.RequestPty("xterm", 24, 80, nil) },
		"subsystem": func(s *ssh.Session) error { return s.RequestSubsystem("sftp") },
		"second exec": func(s *ssh.Session) error {
			if err := s.Start("wait"); err != nil {
				return fmt.Errorf("first exec refused: %w", err)
			}
			return s.Start("hello")
		},
	}
	for name, req := range tests {
		sess, err := c.NewSession()
		if err != nil {
			t.Fatal(err)
		}
		if err := req(sess); err == nil {
			t.Errorf("%s: accepted, want refused", name)
		}
		sess.Close()
	}
	if _, _, err := c.OpenChannel("direct-tcpip", nil); err == nil {
		t.Error("direct-tcpip channel accepted, want refused")
	}
}

func TestKeepalive(t *testing.T) {
	t.Parallel()
	key := testKey(t)
	c := mustDial(t, start(t, key, Config{}), key)
	ok, _, err := c.SendRequest("keepalive@openssh.com", true, nil)
	if err != nil || !ok {
		t.Errorf("keepalive: %v, %v; want true", ok, err)
	}
	if ok, _, _ := c.SendRequest("tcpip-forward", true, nil); ok {
		t.Error("tcpip-forward accepted, want refused")
	}
}

// TestConcurrentSessions: sessions on one connection run at once (each
// waits for the others to start) and get their own output.
func TestConcurrentSessions(t *testing.T) {
	t.Parallel()
	const n = 8
	var started sync.WaitGroup
	started.Add(n)
	exec := func(ctx context.Context, req ExecRequest) int {
		started.Done()
		started.Wait()
		fmt.Fprint(req.Stdout, req.Command)
		return len(req.Command)
	}
	key := testKey(t)
	c := mustDial(t, start(t, key, Config{Exec: exec}), key)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			line := strings.Repeat("x", i+1)
			out, _, code, _ := runCmd(t, c, line, nil, nil)
			if out != line || code != i+1 {
				t.Errorf("session %d: %q exit %d", i, out, code)
			}
		})
	}
	wg.Wait()
}

func TestMaxSessions(t *testing.T) {
	t.Parallel()
	key := testKey(t)
	c := mustDial(t, start(t, key, Config{MaxSessions: 2}), key)
	var open []*ssh.Session
	for range 2 {
		s, err := c.NewSession()
		if err != nil {
			t.Fatalf("session within the limit: %v", err)
		}
		open = append(open, s)
	}
	_, err := c.NewSession()
	var oce *ssh.OpenChannelError
	if !errors.As(err, &oce) || oce.Reason != ssh.ResourceShortage {
		t.Errorf("third session: %v, want resource shortage", err)
	}
	// A session that ran its command frees its slot.
	if err := open[0].Run("hello"); err != nil {
		t.Fatal(err)
	}
	waitSlotFreed(t, c)
}

func TestEnvLimits(t *testing.T) {
	t.Parallel()
	key := testKey(t)
	c := mustDial(t, start(t, key, Config{}), key)
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	if err := sess.Setenv("BIG", strings.Repeat("v", maxEnvLen+1)); err == nil {
		t.Error("oversized env value accepted")
	}
	for i := range maxEnvVars {
		if err := sess.Setenv(fmt.Sprintf("V%d", i), "x"); err != nil {
			t.Fatalf("env var %d refused: %v", i, err)
		}
	}
	if err := sess.Setenv("ONE_TOO_MANY", "x"); err == nil {
		t.Errorf("env var %d accepted, want the limit %d enforced", maxEnvVars+1, maxEnvVars)
	}
}

// waitSlotFreed waits until c may open a session again: the server
// frees a session's slot a moment after the session ends.
func waitSlotFreed(t *testing.T, c *ssh.Client) {
	t.Helper()
	waitFor(t, "a freed session slot", func() bool {
		s, err := c.NewSession()
		if err == nil {
			s.Close()
		}
		return err == nil
	})
}
