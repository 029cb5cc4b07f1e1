package ssh

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"

	"github.com/rotplay/rotplay/transport"
)

// newBastion starts a jump host that authorizes th's client key; with
// known, its host key is added to th's known_hosts.
func newBastion(t *testing.T, th *testHost, known bool) *testHost {
	t.Helper()
	data, err := os.ReadFile(th.clientKey)
	if err != nil {
		t.Fatal(err)
	}
	s, err := ssh.ParsePrivateKey(data)
	if err != nil {
		t.Fatal(err)
	}
	b := newTestHost(t, hostConfig{forward: true, authorize: []ssh.PublicKey{s.PublicKey()}})
	if known {
		appendFile(t, th.knownHosts, knownhosts.Line([]string{b.server.Addr()}, b.hostKey.PublicKey())+"\n")
	}
	return b
}

func appendFile(t *testing.T, file, content string) {
	t.Helper()
	old, _ := os.ReadFile(file)
	writeFile(t, file, string(old)+content)
}

func jumpVar(b *testHost) string { return "tester@127.0.0.1:" + strconv.Itoa(b.port) }

// TestProxyJumpSharedBastion: two hosts behind one bastion are reached
// through it, over one bastion connection, closed with the last host.
func TestProxyJumpSharedBastion(t *testing.T) {
	t.Parallel()
	th := newTestHost(t, hostConfig{})
	b := newBastion(t, th, true)
	d := th.dialer(Options{}, nil)
	c1, err := d.Dial(ctxFor(t), th.target(map[string]any{varProxyJump: jumpVar(b)}))
	if err != nil {
		t.Fatalf("Dial through the bastion: %v", err)
	}
	tgt := th.target(map[string]any{varCommonArgs: "-o ProxyJump=" + jumpVar(b)})
	tgt.Name = "second"
	c2, err := d.Dial(ctxFor(t), tgt)
	if err != nil {
		t.Fatalf("second Dial through the bastion: %v", err)
	}
	res, err := c2.Run(ctxFor(t), transport.Command{Line: "echo hi"})
	if err != nil || string(res.Stdout) != "hi\n" {
		t.Fatalf("Run over the jump: %v %q", err, res.Stdout)
	}
	if got := b.server.Forwards(); len(got) != 2 || got[0] != th.server.Addr() {
		t.Errorf("bastion forwarded to %v, want %s twice", got, th.server.Addr())
	}
	if n := b.server.Connections(); n != 1 {
		t.Errorf("bastion has %d connections, want 1 shared", n)
	}
	_ = c1.Close()
	if n := b.server.Connections(); n != 1 {
		t.Errorf("bastion has %d connections after closing one of two hosts, want 1", n)
	}
	_ = c2.Close()
	if !waitFor(func() bool { return b.server.Connections() == 0 }) {
		t.Errorf("bastion connection still open after the last host closed")
	}
}

// TestProxyJumpChain: a chain of two jump hosts, each one's key checked.
func TestProxyJumpChain(t *testing.T) {
	t.Parallel()
	th := newTestHost(t, hostConfig{})
	b1, b2 := newBastion(t, th, true), newBastion(t, th, true)
	c := th.dial(t, Options{}, th.target(map[string]any{varProxyJump: jumpVar(b1) + "," + jumpVar(b2)}))
	_ = c.Close()
	if got := b1.server.Forwards(); !slices.Equal(got, []string{b2.server.Addr()}) {
		t.Errorf("first hop forwarded to %v, want %s", got, b2.server.Addr())
	}
	if got := b2.server.Forwards(); !slices.Equal(got, []string{th.server.Addr()}) {
		t.Errorf("second hop forwarded to %v, want %s", got, th.server.Addr())
	}
}

// TestProxyJumpUnknownBastionKey: the bastion's key is checked like any
// host's, and the error names the hop.
func TestProxyJumpUnknownBastionKey(t *testing.T) {
	t.Parallel()
	th := newTestHost(t, hostConfig{})
	b := newBastion(t, th, false)
	_, err := th.dialer(Options{}, nil).Dial(ctxFor(t), th.target(map[string]any{varProxyJump: jumpVar(b)}))
	wantErr(t, "unknown bastion key", err, transport.ErrUnreachable, "jump host "+jumpVar(b), "hop 1 of 1", "is unknown")
	if len(b.server.Forwards()) != 0 {
		t.Errorf("forwarded through a bastion whose key is unknown")
	}
}

// TestProxyJumpTargetRefused: a target port closed behind the bastion is
// reported as the jump host failing to connect.
func TestProxyJumpTargetRefused(t *testing.T) {
	t.Parallel()
	th := newTestHost(t, hostConfig{})
	b := newBastion(t, th, true)
	tgt := th.target(map[string]any{varProxyJump: jumpVar(b)})
	tgt.Port = silentListenerClosedPort(t)
	_, err := th.dialer(Options{}, nil).Dial(ctxFor(t), tgt)
	wantErr(t, "closed target port", err, transport.ErrUnreachable, "jump host "+jumpVar(b), "could not connect to testhost", "AllowTcpForwarding")
}

func silentListenerClosedPort(t *testing.T) int {
	ln := silentListener(t)
	port := ln.Addr().(interface{ String() string }).String()
	_ = ln.Close()
	_, p, _ := cutLast(port)
	n, _ := strconv.Atoi(p)
	return n
}

func cutLast(s string) (string, string, bool) {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == ':' {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}

// TestSSHConfig: HostName, Port, User, IdentityFile and ProxyJump come
// from ssh_config when the inventory does not set them.
func TestSSHConfig(t *testing.T) {
	t.Parallel()
	th := newTestHost(t, hostConfig{})
	b := newBastion(t, th, true)
	cfg := filepath.Join(th.home, ".ssh", "config")
	writeFile(t, cfg, "Host web1\n  HostName 127.0.0.1\n  Port "+strconv.Itoa(th.port)+"\n  User tester\n"+
		"  IdentityFile "+th.clientKey+"\n  ProxyJump "+jumpVar(b)+"\n")
	d := th.dialer(Options{}, nil)
	if h, err := d.resolve(transport.Target{Name: "web1"}); err != nil || h.user != "tester" || h.addr != th.server.Addr() {
		t.Errorf("resolve web1 = %+v, %v; want tester at %s", h, err, th.server.Addr())
	}
	th.dial(t, Options{}, transport.Target{Name: "web1"})
	if got := b.server.Forwards(); !slices.Equal(got, []string{th.server.Addr()}) {
		t.Errorf("bastion forwarded to %v, want %s", got, th.server.Addr())
	}
}

// TestSSHConfigInventoryWins: ansible_port beats ssh_config's Port.
func TestSSHConfigInventoryWins(t *testing.T) {
	t.Parallel()
	th := newTestHost(t, hostConfig{})
	writeFile(t, filepath.Join(th.home, ".ssh", "config"), "Host *\n  Port 1\n  User nobody\n  HostName 192.0.2.1\n")
	th.dial(t, Options{}, th.target(nil))
}

// TestSSHConfigStrictHostKeyChecking: "no" is refused, "accept-new"
// records the key of a new host.
func TestSSHConfigStrictHostKeyChecking(t *testing.T) {
	t.Parallel()
	th := newTestHost(t, hostConfig{})
	cfg := filepath.Join(th.home, "sshcfg")
	writeFile(t, cfg, "Host 127.0.0.1\n  StrictHostKeyChecking no\n")
	_, err := th.dialer(Options{SSHConfigFile: cfg}, nil).Dial(ctxFor(t), th.target(nil))
	wantErr(t, "StrictHostKeyChecking no", err, transport.ErrUnreachable, "StrictHostKeyChecking no", "never skips host key checking")

	kh := filepath.Join(th.home, "new_known_hosts")
	writeFile(t, cfg, "Host 127.0.0.1\n  StrictHostKeyChecking accept-new\n  UserKnownHostsFile "+kh+"\n")
	th.dial(t, Options{SSHConfigFile: cfg, KnownHostsFiles: []string{filepath.Join(th.home, "none")}}, th.target(nil))
	if data, err := os.ReadFile(kh); err != nil || len(data) == 0 {
		t.Errorf("accept-new recorded nothing in UserKnownHostsFile: %v", err)
	}
}

func TestProxyJumpArg(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args, want, wantErr string
	}{
		{"", "", ""},
		{"-o ProxyJump=ops@bastion:2222", "ops@bastion:2222", ""},
		{"-o 'ProxyJump=ops@b1,ops@b2:22'", "ops@b1,ops@b2:22", ""},
		{"-oProxyJump=b", "b", ""},
		{"-J ops@bastion", "ops@bastion", ""},
		{"-o StrictHostKeyChecking=no", "", "-o StrictHostKeyChecking=no is not supported"},
		{"-o ProxyCommand='ssh -W %h:%p b'", "", "is not supported"},
		{"-J", "", "-J without a value"},
	}
	for _, tt := range tests {
		got, err := proxyJumpArg(tt.args)
		if tt.wantErr != "" {
			wantErr(t, tt.args, err, nil, tt.wantErr, "-o ProxyJump=")
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("proxyJumpArg(%q) = %q, %v; want %q", tt.args, got, err, tt.want)
		}
	}
}

func TestParseJumpChain(t *testing.T) {
	t.Parallel()
	got, err := parseJumpChain("ops@b1:2222, b2")
	want := []jumpSpec{{user: "ops", host: "b1", port: 2222}, {host: "b2"}}
	if err != nil || !slices.Equal(got, want) {
		t.Errorf("parseJumpChain = %v, %v; want %v", got, err, want)
	}
	for _, bad := range []string{"", "ops@", "b:0", "b:x", "-oFoo"} {
		if _, err := parseJumpChain(bad); err == nil {
			t.Errorf("parseJumpChain(%q): no error", bad)
		}
	}
}
