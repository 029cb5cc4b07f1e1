package ssh

import (
	"errors"
	"net"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

func pubKey(t *testing.T) ssh.PublicKey {
	t.Helper()
	s, err := ssh.NewSignerFromSigner(newEd25519(t))
	if err != nil {
		t.Fatal(err)
	}
	return s.PublicKey()
}

// The index answers exactly as knownhosts does for plain files.
func TestPlainIndexAnswersAsKnownhosts(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	k1, k2, k3, other := pubKey(t), pubKey(t), pubKey(t), pubKey(t)
	f1, f2 := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	write := func(path string, lines ...string) {
		var data []byte
		for _, l := range lines {
			data = append(data, l+"\n"...)
		}
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(f1,
		"# comment", "",
		knownhosts.Line([]string{"[127.0.0.1]:2222"}, k1),
		knownhosts.Line([]string{"web.example.com", "10.0.0.1"}, k2),
		"  "+knownhosts.Line([]string{"[127.0.0.1]:2222", "[127.0.0.1]:2222"}, k2)+"  ",
		knownhosts.Line([]string{"db:2200"}, k3),
		knownhosts.Line([]string{"::1"}, k3))
	write(f2, knownhosts.Line([]string{"web.example.com"}, k3))
	files := []string{f1, f2}
	x := indexPlain(files)
	if x == nil {
		t.Fatal("indexPlain = nil for plain files")
	}
	db, err := knownhosts.New(files...)
	if err != nil {
		t.Fatal(err)
	}
	remote := &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 22}
	for _, addr := range []string{"127.0.0.1:2222", "127.0.0.1:22", "web.example.com:22", "WEB.example.com:22",
		"10.0.0.1:22", "db:2200", "db:22", "[::1]:22", "nowhere:22"} {
		for _, key := range []ssh.PublicKey{k1, k2, k3, other} {
			answered, got := x.check(addr, key)
			want := db(addr, remote, key)
			var gotKE, wantKE *knownhosts.KeyError
			if !answered || (got == nil) != (want == nil) ||
				errors.As(got, &gotKE) != errors.As(want, &wantKE) ||
				(gotKE != nil && !reflect.DeepEqual(gotKE.Want, wantKE.Want)) {
				t.Errorf("%s, key %s: index %v, %v; knownhosts %v", addr, ssh.FingerprintSHA256(key), answered, got, want)
			}
		}
	}
}

func TestPlainIndexRefusesOtherEntries(t *testing.T) {
	t.Parallel()
	k := pubKey(t)
	for name, line := range map[string]string{
		"revoked":   "@revoked " + knownhosts.Line([]string{"web"}, k),
		"authority": "@cert-authority " + knownhosts.Line([]string{"*.example.com"}, k),
		"hashed":    knownhosts.Line([]string{knownhosts.HashHostname("web")}, k),
		"wildcard":  knownhosts.Line([]string{"web-?.example.com"}, k),
		"negation":  knownhosts.Line([]string{"*.example.com", "!db.example.com"}, k),
	} {
		path := filepath.Join(t.TempDir(), "known_hosts")
		if err := os.WriteFile(path, []byte(knownhosts.Line([]string{"plain"}, k)+"\n"+line+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		if x := indexPlain([]string{path}); x != nil {
			t.Errorf("%s: indexPlain = %v, want nil (knownhosts must answer)", name, x)
		}
	}
	var x *plainIndex
	if answered, _ := x.check("web:22", k); answered {
		t.Error("a nil index answered")
	}
}
