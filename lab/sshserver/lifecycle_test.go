package sshserver

import (
	"context"
	"errors"
	"net"
	"runtime"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/rotplay/rotplay/internal/testkit"
)

func TestAuth(t *testing.T) {
	t.Parallel()
	key, other := testKey(t), testKey(t)
	s := start(t, key, Config{Users: []string{"ops"}, Password: "s3cret"})
	tests := []struct {
		name string
		user string
		auth ssh.AuthMethod
		ok   bool
	}{
		{"key", "ops", ssh.PublicKeys(key), true},
		{"password", "ops", ssh.Password("s3cret"), true},
		{"unknown key", "ops", ssh.PublicKeys(other), false},
		{"wrong password", "ops", ssh.Password("guess"), false},
		{"user not allowed", "root", ssh.PublicKeys(key), false},
	}
	for _, tc := range tests {
		_, err := dial(t, s, tc.user, tc.auth)
		if (err == nil) != tc.ok {
			t.Errorf("%s: dial error %v, want success %v", tc.name, err, tc.ok)
		}
	}
}

func TestListenNeedsConfig(t *testing.T) {
	t.Parallel()
	hk, err := GenerateHostKey()
	if err != nil {
		t.Fatal(err)
	}
	for name, cfg := range map[string]Config{
		"no host key": {Exec: echoExec, Password: "x"},
		"no exec":     {HostKey: hk, Password: "x"},
		"no auth":     {HostKey: hk, Exec: echoExec},
	} {
		if s, err := Listen("127.0.0.1:0", cfg); err == nil {
			s.Close()
			t.Errorf("%s: Listen succeeded", name)
		}
	}
}

// TestChannelCloseEndsCtx: a client closing the session ends the
// command's ctx, and the session's slot and goroutine are freed.
func TestChannelCloseEndsCtx(t *testing.T) {
	t.Parallel()
	ended := make(chan struct{})
	exec := func(ctx context.Context, req ExecRequest) int {
		<-ctx.Done()
		close(ended)
		return 0
	}
	key := testKey(t)
	c := mustDial(t, start(t, key, Config{Exec: exec, MaxSessions: 1}), key)
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.Start("wait"); err != nil {
		t.Fatal(err)
	}
	sess.Close()
	select {
	case <-ended:
	case <-time.After(5 * time.Second):
		t.Fatal("the command's ctx did not end when the client closed the session")
	}
	waitSlotFreed(t, c)
}

// TestSignalEndsCtx: a "signal" request ends the command's ctx; the
// session still reports how the command ended.
func TestSignalEndsCtx(t *testing.T) {
	t.Parallel()
	key := testKey(t)
	c := mustDial(t, start(t, key, Config{}), key)
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	if err := sess.Start("wait"); err != nil {
		t.Fatal(err)
	}
	if err := sess.Signal(ssh.SIGKILL); err != nil {
		t.Fatal(err)
	}
	var exitErr *ssh.ExitError
	if err := sess.Wait(); !errors.As(err, &exitErr) || exitErr.ExitStatus() != 99 {
		t.Errorf("Wait after signal: %v, want exit 99 from the ended wait", err)
	}
}

// TestDropConnections: every client loses its connection, running
// commands end, and the server keeps accepting new ones.
func TestDropConnections(t *testing.T) {
	t.Parallel()
	key := testKey(t)
	s := start(t, key, Config{})
	c1, c2 := mustDial(t, s, key), mustDial(t, s, key)
	if n := s.Connections(); n != 2 {
		t.Errorf("Connections() = %d with two clients, want 2", n)
	}
	sess, err := c1.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.Start("wait"); err != nil {
		t.Fatal(err)
	}
	s.DropConnections()
	for i, c := range []*ssh.Client{c1, c2} {
		done := make(chan error, 1)
		go func() { done <- c.Wait() }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Fatalf("client %d still connected after DropConnections", i)
		}
	}
	if err := sess.Wait(); err == nil {
		t.Error("the running command reported success on a dropped connection")
	}
	waitFor(t, "Connections() to reach 0", func() bool { return s.Connections() == 0 })
	c3 := mustDial(t, s, key)
	if _, _, code, err := runCmd(t, c3, "hello", nil, nil); code != 0 {
		t.Errorf("command after DropConnections: %v", err)
	}
}

// TestCloseLeavesNoGoroutines is not parallel: it counts the goroutines
// of the whole test binary, which parallel tests would change.
func TestCloseLeavesNoGoroutines(t *testing.T) {
	before := runtime.NumGoroutine()
	key := testKey(t)
	s := start(t, key, Config{})
	clients := make([]*ssh.Client, 3)
	for i := range clients {
		clients[i] = mustDial(t, s, key)
		sess, err := clients[i].NewSession()
		if err != nil {
			t.Fatal(err)
		}
		if err := sess.Start("wait"); err != nil { // blocked until Close
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	for _, c := range clients {
		_ = c.Wait() // the client side's goroutines end too
	}
	if _, err := dial(t, s, "tester", ssh.PublicKeys(key)); err == nil {
		t.Error("dial after Close succeeded")
	}
	if !poll(func() bool { return runtime.NumGoroutine() <= before }) {
		n := runtime.NumGoroutine()
		buf := make([]byte, 1<<16)
		buf = buf[:runtime.Stack(buf, true)]
		t.Errorf("%d goroutines before, %d after Close:\n%s", before, n, firstLines(string(buf), 60))
	}
}

// TestSilentClientDroppedByClose: a client that connects and says nothing
// is counted and then dropped by Close.
func TestSilentClientDroppedByClose(t *testing.T) {
	t.Parallel()
	key := testKey(t)
	s := start(t, key, Config{})
	nc, err := netDial(s.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	waitFor(t, "the silent connection to be counted", func() bool { return s.Connections() == 1 })
	done := make(chan error, 1)
	go func() { done <- s.Close() }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Close blocked on a client stuck in its handshake")
	}
}

var (
	waitFor = testkit.WaitFor
	poll    = testkit.Eventually
)

func netDial(addr string) (net.Conn, error) { return net.DialTimeout("tcp", addr, 5*time.Second) }

func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	return strings.Join(lines[:min(n, len(lines))], "\n")
}
