package ssh

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"

	"github.com/rotplay/rotplay/transport"
)

// TestKnownHostsEntries: the host's key is found in plain and hashed
// entries, in the per-host file, and only under "[host]:port".
func TestKnownHostsEntries(t *testing.T) {
	t.Parallel()
	th := newTestHost(t, hostConfig{})
	key := th.hostKey.PublicKey()
	norm := knownhosts.Normalize(th.server.Addr())
	tests := []struct {
		name    string
		content string
		vars    map[string]any // extra file given per host
		ok      bool
	}{
		{"plain", knownhosts.Line([]string{th.server.Addr()}, key), nil, true},
		{"hashed", knownhosts.HashHostname(norm) + " " + string(ssh.MarshalAuthorizedKey(key)), nil, true},
		{"per-host file", "", map[string]any{varKnownHosts: "per-host"}, true},
		{"port 22 entry does not match", "127.0.0.1 " + string(ssh.MarshalAuthorizedKey(key)), nil, false},
	}
	for _, tc := range tests {
		dir := t.TempDir()
		file := filepath.Join(dir, "known_hosts")
		writeFile(t, file, "# comment\n"+tc.content+"\n")
		if tc.vars != nil {
			perHost := filepath.Join(dir, "per-host")
			writeFile(t, perHost, knownhosts.Line([]string{th.server.Addr()}, key)+"\n")
			tc.vars[varKnownHosts] = perHost
		}
		c, err := th.dialer(Options{KnownHostsFiles: []string{file}}, nil).Dial(ctxFor(t), th.target(tc.vars))
		if (err == nil) != tc.ok {
			t.Errorf("%s: Dial error %v, want success %v", tc.name, err, tc.ok)
		}
		if err == nil {
			c.Close()
		}
	}
}

// TestUnknownHostKey: the error names the host, the key type and
// fingerprint, and both ways to proceed.
func TestUnknownHostKey(t *testing.T) {
	t.Parallel()
	th := newTestHost(t, hostConfig{})
	for name, files := range map[string][]string{
		"empty file":   {writeTemp(t, "")},
		"missing file": {filepath.Join(t.TempDir(), "none")},
	} {
		_, err := th.dialer(Options{KnownHostsFiles: files}, nil).Dial(ctxFor(t), th.target(nil))
		wantErr(t, name, err, transport.ErrUnreachable,
			"testhost", "unknown", "ssh-ed25519", ssh.FingerprintSHA256(th.hostKey.PublicKey()),
			fmt.Sprintf("ssh-keyscan -p %d 127.0.0.1 >> %s", th.port, files[0]), "--accept-new-host-keys")
	}
}

// TestChangedHostKey: a different key recorded for the host is refused,
// naming the file and line of the recorded key and the offered key, with
// or without AcceptNewHostKeys.
func TestChangedHostKey(t *testing.T) {
	t.Parallel()
	th := newTestHost(t, hostConfig{})
	other, err := ssh.NewSignerFromKey(newEd25519(t))
	if err != nil {
		t.Fatal(err)
	}
	file := writeTemp(t, "# first line\n"+knownhosts.Line([]string{th.server.Addr()}, other.PublicKey())+"\n")
	for _, acceptNew := range []bool{false, true} {
		_, err := th.dialer(Options{KnownHostsFiles: []string{file}, AcceptNewHostKeys: acceptNew}, nil).Dial(ctxFor(t), th.target(nil))
		wantErr(t, fmt.Sprintf("accept-new %v", acceptNew), err, transport.ErrUnreachable,
			"testhost", "CHANGED", file+":2", ssh.FingerprintSHA256(th.hostKey.PublicKey()),
			ssh.FingerprintSHA256(other.PublicKey()), "attack")
	}
	if data, _ := os.ReadFile(file); strings.Count(string(data), "\n") != 2 {
		t.Errorf("known_hosts changed after a refused key:\n%s", data)
	}
}

// TestChangedHostKeyType: a host that no longer offers the type of key
// recorded for it is refused as changed, not treated as unknown.
func TestChangedHostKeyType(t *testing.T) {
	t.Parallel()
	th := newTestHost(t, hostConfig{})
	other, err := ssh.NewSignerFromKey(newECDSA(t))
	if err != nil {
		t.Fatal(err)
	}
	file := writeTemp(t, knownhosts.Line([]string{th.server.Addr()}, other.PublicKey())+"\n")
	_, err = th.dialer(Options{KnownHostsFiles: []string{file}, AcceptNewHostKeys: true}, nil).Dial(ctxFor(t), th.target(nil))
	wantErr(t, "ecdsa recorded, ed25519 offered", err, transport.ErrUnreachable, "CHANGED", file+":1", "ecdsa-sha2-nistp256")
}

// TestAcceptNewHostKeys: an unknown key is accepted and recorded as
// "[host]:port" in the first file, and a later dial without the option
// succeeds with it.
func TestAcceptNewHostKeys(t *testing.T) {
	t.Parallel()
	th := newTestHost(t, hostConfig{})
	file := filepath.Join(t.TempDir(), "new", "known_hosts") // the directory is created too
	opts := Options{KnownHostsFiles: []string{file, th.knownHosts + ".none"}, AcceptNewHostKeys: true}
	c, err := th.dialer(opts, nil).Dial(ctxFor(t), th.target(nil))
	if err != nil {
		t.Fatalf("Dial with AcceptNewHostKeys: %v", err)
	}
	c.Close()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("[127.0.0.1]:%d ssh-ed25519 ", th.port)
	if !strings.HasPrefix(string(data), want) || strings.Count(string(data), "\n") != 1 {
		t.Errorf("known_hosts holds %q, want one line starting %q", data, want)
	}
	if fi, err := os.Stat(file); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("known_hosts created with mode %v (%v), want 0600", fi.Mode(), err)
	}
	opts.AcceptNewHostKeys = false
	c, err = th.dialer(opts, nil).Dial(ctxFor(t), th.target(nil))
	if err != nil {
		t.Fatalf("second Dial, without AcceptNewHostKeys: %v", err)
	}
	c.Close()
}

func writeTemp(t *testing.T, content string) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "known_hosts")
	writeFile(t, file, content)
	return file
}

// TestKnownHostsParsedOncePerDialer: hosts sharing known_hosts files share
// one parse (a fleet of N hosts used to parse N lines N times and keep every
// copy), and a file that accept-new appended to is read again, so the same
// dialer never records a key twice.
func TestKnownHostsParsedOncePerDialer(t *testing.T) {
	t.Parallel()
	th := newTestHost(t, hostConfig{})
	file := filepath.Join(t.TempDir(), "known_hosts")
	d := th.dialer(Options{KnownHostsFiles: []string{file}, AcceptNewHostKeys: true}, nil)
	for i := 0; i < 3; i++ {
		c, err := d.Dial(ctxFor(t), th.target(nil))
		if err != nil {
			t.Fatalf("dial %d: %v", i, err)
		}
		c.Close()
	}
	data, _ := os.ReadFile(file)
	if n := strings.Count(string(data), "\n"); n != 1 {
		t.Fatalf("known_hosts has %d lines after 3 dials of one host, want 1:\n%s", n, data)
	}
	if len(d.dbs) != 1 {
		t.Fatalf("%d parsed known_hosts sets cached, want 1", len(d.dbs))
	}
	first := d.dbs[file].stamp
	c, err := d.Dial(ctxFor(t), th.target(nil))
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	if d.dbs[file].stamp != first {
		t.Fatal("an unchanged file must not be parsed again")
	}
}
