package vhost

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"

	"github.com/rotplay/rotplay/lab/sshserver"
	"github.com/rotplay/rotplay/transport"
	tssh "github.com/rotplay/rotplay/transport/ssh"
	"github.com/rotplay/rotplay/transport/transporttest"
)

// TestTransportConformance runs the transports' shared suite over real SSH
// (lab/sshserver, transport/ssh) against a lab host: as root, and as a
// user who becomes root through sudo; with pipelining (the simulated
// sh -s runs each command as it arrives) and without.
func TestTransportConformance(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		user       string
		become     bool
		pipelining bool
	}{{"root", false, true}, {"ops", true, true}, {"root", false, false}, {"ops", true, false}} {
		t.Run(fmt.Sprintf("%s/pipelining=%v", tc.user, tc.pipelining), func(t *testing.T) {
			t.Parallel()
			h := newTestHost(t, Options{User: tc.user})
			dial := serveSSH(t, h.Host, tc.user, tc.become, tc.pipelining)
			transporttest.Run(t, transporttest.Harness{
				Dial:       dial,
				TempDir:    func(t *testing.T) string { return h.tempDir(t, tc.user) },
				CanChown:   true,
				POSIXShell: true,
			})
		})
	}
}

// tempDir makes a fresh directory on the host owned by user.
func (h *testHost) tempDir(t *testing.T, user string) string {
	t.Helper()
	var out, errb strings.Builder
	if code := h.Exec(t.Context(), Request{User: user, Command: "mktemp -d", Stdout: &out, Stderr: &errb}); code != 0 {
		t.Fatalf("mktemp -d: %s", errb.String())
	}
	return strings.TrimSpace(out.String())
}

// serveSSH serves h on 127.0.0.1 and returns a func dialing it with
// transport/ssh as user.
func serveSSH(t *testing.T, h *Host, user string, become, pipelining bool) func(*testing.T) transport.Conn {
	t.Helper()
	dir := t.TempDir()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := ssh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	block, err := ssh.MarshalPrivateKey(priv, "")
	if err != nil {
		t.Fatal(err)
	}
	keyFile := filepath.Join(dir, "id_ed25519")
	hostKey, err := sshserver.GenerateHostKey()
	if err != nil {
		t.Fatal(err)
	}
	srv, err := sshserver.Listen("127.0.0.1:0", sshserver.Config{
		HostKey: hostKey, AuthorizedKeys: []ssh.PublicKey{signer.PublicKey()},
		Users: []string{user}, Exec: h.Exec, MaxSessions: 10,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	knownHosts := filepath.Join(dir, "known_hosts")
	line := knownhosts.Line([]string{srv.Addr()}, hostKey.PublicKey()) + "\n"
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(block), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(knownHosts, []byte(line), 0o600); err != nil {
		t.Fatal(err)
	}
	_, portText, _ := strings.Cut(srv.Addr(), ":")
	port, _ := strconv.Atoi(portText)
	dialer := tssh.NewDialer(tssh.Options{KnownHostsFiles: []string{knownHosts}, KeepaliveInterval: -1})
	target := transport.Target{
		Name: h.Name(), Address: "127.0.0.1", Port: port, User: user, Become: become,
		Vars: map[string]any{"ansible_ssh_private_key_file": keyFile, "rotplay_ssh_pipelining": pipelining},
	}
	return func(t *testing.T) transport.Conn {
		c, err := dialer.Dial(t.Context(), target)
		if err != nil {
			t.Fatalf("dial %s: %v", h.Name(), err)
		}
		if notes := c.Facts().Notes; len(notes) != 0 {
			t.Fatalf("dial %s: %q: the simulated sh -s must serve pipelining", h.Name(), notes)
		}
		return c
	}
}
