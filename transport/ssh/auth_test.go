package ssh

import (
	"crypto"
	"net"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/agent"

	"github.com/rotplay/rotplay/transport"
)

// TestKeyFileTypes: ed25519, ECDSA and RSA key files log in, plain or
// encrypted with a passphrase from Options.Passphrase.
func TestKeyFileTypes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		key  func(*testing.T) crypto.Signer
		pass []byte
	}{
		{"ed25519", newEd25519, nil},
		{"ecdsa", newECDSA, nil},
		{"rsa", newRSA, nil},
		{"ed25519 encrypted", newEd25519, []byte("open sesame")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			signer, file := writeKey(t, dir, "key", tc.key(t), tc.pass)
			th := newTestHost(t, hostConfig{authorize: []ssh.PublicKey{signer.PublicKey()}})
			var secrets stringLog
			opts := Options{Secrets: secrets.add, Passphrase: func(keyFile string) ([]byte, error) {
				if keyFile != file {
					t.Errorf("passphrase asked for %s, want %s", keyFile, file)
				}
				return tc.pass, nil
			}}
			c := th.dial(t, opts, th.target(map[string]any{varKeyFile: file}))
			if c.Facts().OS == "" {
				t.Error("no facts after login")
			}
			if tc.pass != nil && !secrets.has(string(tc.pass)) {
				t.Errorf("Secrets not told the passphrase; told %q", secrets.all())
			}
		})
	}
}

// TestPassphraseFromEnv: without Options.Passphrase the passphrase comes
// from ROTPLAY_SSH_PASSPHRASE; without either, the error says how to give
// it.
func TestPassphraseFromEnv(t *testing.T) {
	t.Parallel()
	pass := "from the environment"
	signer, file := writeKey(t, t.TempDir(), "key", newEd25519(t), []byte(pass))
	th := newTestHost(t, hostConfig{authorize: []ssh.PublicKey{signer.PublicKey()}})
	tgt := th.target(map[string]any{varKeyFile: file})

	d := th.dialer(Options{}, map[string]string{passphraseEnv: pass})
	c, err := d.Dial(ctxFor(t), tgt)
	if err != nil {
		t.Fatalf("Dial with %s set: %v", passphraseEnv, err)
	}
	c.Close()

	_, err = th.dialer(Options{}, nil).Dial(ctxFor(t), tgt)
	wantErr(t, "no passphrase", err, transport.ErrUnreachable, "is encrypted", passphraseEnv, "ssh-add")

	_, err = th.dialer(Options{}, map[string]string{passphraseEnv: "wrong guess"}).Dial(ctxFor(t), tgt)
	wantErr(t, "wrong passphrase", err, transport.ErrUnreachable, "wrong passphrase", file)
	if err != nil && strings.Contains(err.Error(), "wrong guess") {
		t.Errorf("error %q contains the passphrase", err)
	}
}

// TestPassphraseFromRealEnv reads the real environment through NewDialer.
// Not parallel: it sets an environment variable.
func TestPassphraseFromRealEnv(t *testing.T) {
	pass := "real environment"
	signer, file := writeKey(t, t.TempDir(), "key", newECDSA(t), []byte(pass))
	th := newTestHost(t, hostConfig{authorize: []ssh.PublicKey{signer.PublicKey()}})
	t.Setenv(passphraseEnv, pass)
	c, err := NewDialer(Options{KnownHostsFiles: []string{th.knownHosts}}).Dial(ctxFor(t), th.target(map[string]any{varKeyFile: file}))
	if err != nil {
		t.Fatalf("Dial: %v", err)
	}
	c.Close()
}

// TestAgent: keys of an agent, given in Options or found at
// $SSH_AUTH_SOCK, log in when no key file is given.
func TestAgent(t *testing.T) {
	t.Parallel()
	priv := newEd25519(t)
	keyring := agent.NewKeyring()
	if err := keyring.Add(agent.AddedKey{PrivateKey: priv}); err != nil {
		t.Fatal(err)
	}
	sock := serveAgent(t, keyring)
	signer, err := ssh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	th := newTestHost(t, hostConfig{authorize: []ssh.PublicKey{signer.PublicKey()}})
	tgt := th.target(map[string]any{varKeyFile: nil}) // no key file

	if _, err := th.dialer(Options{}, map[string]string{"SSH_AUTH_SOCK": sock}).Dial(ctxFor(t), tgt); err != nil {
		t.Errorf("Dial with $SSH_AUTH_SOCK: %v", err)
	}
	nc, err := net.Dial("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	if _, err := th.dialer(Options{Agent: agent.NewClient(nc)}, nil).Dial(ctxFor(t), tgt); err != nil {
		t.Errorf("Dial with Options.Agent: %v", err)
	}
	_, err = th.dialer(Options{}, map[string]string{"SSH_AUTH_SOCK": sock + ".gone"}).Dial(ctxFor(t), tgt)
	wantErr(t, "agent gone, no keys", err, transport.ErrUnreachable, "no credentials", "ssh-agent at $SSH_AUTH_SOCK")
}

// serveAgent serves keyring on a unix socket in a temporary directory.
func serveAgent(t *testing.T, keyring agent.Agent) string {
	t.Helper()
	sock := filepath.Join(t.TempDir(), "agent.sock")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	wg.Go(func() {
		for {
			nc, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Go(func() {
				defer nc.Close()
				_ = agent.ServeAgent(keyring, nc)
			})
		}
	})
	return sock
}

// TestDefaultKeys: with no key file and no agent, ~/.ssh/id_* are tried;
// an encrypted one without a passphrase is skipped, not fatal.
func TestDefaultKeys(t *testing.T) {
	t.Parallel()
	priv := newECDSA(t)
	signer, err := ssh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	th := newTestHost(t, hostConfig{authorize: []ssh.PublicKey{signer.PublicKey()}})
	writeKey(t, filepath.Join(th.home, ".ssh"), "id_ed25519", newEd25519(t), []byte("locked"))
	writeKey(t, filepath.Join(th.home, ".ssh"), "id_ecdsa", priv, nil)
	if _, err := th.dialer(Options{}, nil).Dial(ctxFor(t), th.target(map[string]any{varKeyFile: nil})); err != nil {
		t.Errorf("Dial with default keys: %v", err)
	}
}

// TestPasswordAuth: a password in the inventory logs in, and Secrets is
// told it before it is used.
func TestPasswordAuth(t *testing.T) {
	t.Parallel()
	const pw = "correct horse battery staple"
	th := newTestHost(t, hostConfig{password: pw})
	for _, name := range []string{varPassword, varSSHPass} {
		var secrets stringLog
		d := th.dialer(Options{Secrets: secrets.add}, nil)
		c, err := d.Dial(ctxFor(t), th.target(map[string]any{varKeyFile: nil, name: pw}))
		if err != nil {
			t.Errorf("%s: Dial: %v", name, err)
			continue
		}
		c.Close()
		if !secrets.has(pw) {
			t.Errorf("%s: Secrets not told the password", name)
		}
	}
}

// TestAuthFailureMessages: a refused login says who, how, and what to
// check, and never contains the password.
func TestAuthFailureMessages(t *testing.T) {
	t.Parallel()
	th := newTestHost(t, hostConfig{password: "the real one"})
	wrong, wrongFile := writeKey(t, t.TempDir(), "wrong", newEd25519(t), nil)
	const pw = "hunter2-not-it"
	var secrets stringLog
	d := th.dialer(Options{Secrets: secrets.add}, nil)
	_, err := d.Dial(ctxFor(t), th.target(map[string]any{varKeyFile: wrongFile, varPassword: pw}))
	wantErr(t, "wrong key and password", err, transport.ErrUnreachable,
		"log in to testhost as tester refused", "key file "+wrongFile, ssh.FingerprintSHA256(wrong.PublicKey()),
		"password", "authorized_keys")
	if err != nil && strings.Contains(err.Error(), pw) {
		t.Errorf("error %q contains the password", err)
	}
	if !secrets.has(pw) {
		t.Error("Secrets not told the password")
	}
}

func TestNoCredentials(t *testing.T) {
	t.Parallel()
	th := newTestHost(t, hostConfig{})
	_, err := th.dialer(Options{}, nil).Dial(ctxFor(t), th.target(map[string]any{varKeyFile: nil}))
	wantErr(t, "no credentials", err, transport.ErrUnreachable, "no credentials to log in to testhost as tester", varKeyFile)
}

// stringLog records strings from several goroutines: what Options.Secrets
// is told, the exec requests a test host receives.
type stringLog struct {
	mu sync.Mutex
	s  []string
}

func (l *stringLog) add(s string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.s = append(l.s, s)
}

func (l *stringLog) all() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.s...)
}

func (l *stringLog) has(s string) bool {
	for _, x := range l.all() {
		if x == s {
			return true
		}
	}
	return false
}
