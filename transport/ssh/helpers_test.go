package ssh

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/pem"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"

	"github.com/rotplay/rotplay/internal/testkit"
	"github.com/rotplay/rotplay/lab/sshserver"
	"github.com/rotplay/rotplay/lab/sshserver/sshservertest"
	"github.com/rotplay/rotplay/transport"
)

// testHost is an in-process SSH server running the real /bin/sh, with a
// client key authorized and its host key in a known_hosts file.
type testHost struct {
	server     *sshserver.Server
	hostKey    ssh.Signer
	clientKey  string // private key file authorized on the server
	knownHosts string // known_hosts file holding hostKey
	home       string // the controller's fake home directory
	port       int
}

// hostConfig tunes newTestHost.
type hostConfig struct {
	password    string
	authorize   []ssh.PublicKey // extra authorized keys
	env         []string        // added to the commands' environment
	exec        sshserver.ExecFunc
	maxSessions int
	forward     bool // a jump host: direct-tcpip to 127.0.0.1
}

func newTestHost(t *testing.T, hc hostConfig) *testHost {
	t.Helper()
	th := &testHost{home: t.TempDir()}
	var err error
	if th.hostKey, err = sshserver.GenerateHostKey(); err != nil {
		t.Fatal(err)
	}
	key, file := writeKey(t, th.home, "client", newEd25519(t), nil)
	th.clientKey = file
	exec := hc.exec
	if exec == nil {
		exec = sshservertest.Shell{Dir: t.TempDir(), Env: hc.env}.Exec
	}
	th.server, err = sshserver.Listen("127.0.0.1:0", sshserver.Config{
		HostKey:         th.hostKey,
		AuthorizedKeys:  append([]ssh.PublicKey{key.PublicKey()}, hc.authorize...),
		Password:        hc.password,
		Exec:            exec,
		MaxSessions:     hc.maxSessions,
		ForwardLoopback: hc.forward,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = th.server.Close() })
	_, port, _ := strings.Cut(th.server.Addr(), ":")
	th.port, _ = strconv.Atoi(port)
	th.knownHosts = filepath.Join(th.home, "known_hosts")
	writeFile(t, th.knownHosts, knownhosts.Line([]string{th.server.Addr()}, th.hostKey.PublicKey())+"\n")
	return th
}

// target addresses the host with the authorized key file.
func (th *testHost) target(vars map[string]any) transport.Target {
	all := map[string]any{varKeyFile: th.clientKey}
	for k, v := range vars {
		all[k] = v
	}
	return transport.Target{Name: "testhost", Address: "127.0.0.1", Port: th.port, User: "tester", Vars: all}
}

// dialer returns a dialer whose environment is th's fake home, with
// known_hosts defaulting to th's file.
func (th *testHost) dialer(opts Options, env map[string]string) *dialer {
	if opts.KnownHostsFiles == nil {
		opts.KnownHostsFiles = []string{th.knownHosts}
	}
	if opts.KeepaliveInterval == 0 {
		opts.KeepaliveInterval = -1 // no keepalive noise unless a test wants it
	}
	return newDialer(opts, fakeEnviron(th.home, env))
}

// dial dials th with the key file and fails t on error.
func (th *testHost) dial(t *testing.T, opts Options, tgt transport.Target) *conn {
	t.Helper()
	c, err := th.dialer(opts, nil).Dial(ctxFor(t), tgt)
	if err != nil {
		t.Fatalf("Dial: %v", err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c.(*conn)
}

func fakeEnviron(home string, env map[string]string) environ {
	return environ{
		getenv: func(k string) string { return env[k] },
		home:   func() (string, error) { return home, nil },
		user:   func() (string, error) { return "controller", nil },
	}
}

// ctxFor bounds a test's calls so that a hang fails instead of stalling.
func ctxFor(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func newEd25519(t *testing.T) crypto.Signer {
	_, k, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func newECDSA(t *testing.T) crypto.Signer {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

var rsaKey = sync.OnceValues(func() (*rsa.PrivateKey, error) { return rsa.GenerateKey(rand.Reader, 2048) })

func newRSA(t *testing.T) crypto.Signer {
	k, err := rsaKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// writeKey writes priv as an OpenSSH private key file in dir, encrypted
// when passphrase is not nil, and returns its signer and path.
func writeKey(t *testing.T, dir, name string, priv crypto.Signer, passphrase []byte) (ssh.Signer, string) {
	t.Helper()
	var block *pem.Block
	var err error
	if passphrase != nil {
		block, err = ssh.MarshalPrivateKeyWithPassphrase(priv, "test", passphrase)
	} else {
		block, err = ssh.MarshalPrivateKey(priv, "test")
	}
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, name)
	writeFile(t, file, string(pem.EncodeToMemory(block)))
	s, err := ssh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return s, file
}

func writeFile(t *testing.T, file, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(file), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// The shared assertions, under the names these tests use.
var (
	wantErr = testkit.WantErr
	waitFor = testkit.Eventually
)
