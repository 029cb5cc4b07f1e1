package winrmfake

import (
	"bytes"
	"encoding/hex"
	"net/http"
	"strings"
	"testing"

	"github.com/Azure/go-ntlmssp"
)

// TestAuth logs in with the real client's Basic and NTLM (go-ntlmssp)
// over HTTP and HTTPS, with good and bad credentials.
func TestAuth(t *testing.T) {
	t.Parallel()
	servers := map[string]*Server{
		"http":  start(t, Config{}),
		"https": start(t, Config{TLS: true}),
		"corp":  start(t, Config{Domain: "CORP"}),
	}
	basicOnly, ntlmOnly := start(t, Config{Basic: true}), start(t, Config{NTLM: true})
	tests := []struct {
		name string
		s    *Server
		o    clientOpts
		want string // the user the command runs as; "" means refused
	}{
		{"basic", servers["http"], clientOpts{}, "ops"},
		{"ntlm", servers["http"], clientOpts{ntlm: true}, "ops"},
		{"ntlm https", servers["https"], clientOpts{ntlm: true, ca: servers["https"].CACertPEM()}, "ops"},
		{"basic https", servers["https"], clientOpts{ca: servers["https"].CACertPEM()}, "ops"},
		{"ntlm domain user", servers["corp"], clientOpts{ntlm: true, user: `corp\ADMIN`, password: "adm1n"}, `CORP\admin`},
		{"ntlm domain user, workgroup host", servers["http"], clientOpts{ntlm: true, user: `CORP\admin`, password: "adm1n"}, ""},
		{"basic domain user", servers["http"], clientOpts{user: `CORP\admin`, password: "adm1n"}, `CORP\admin`},
		{"user name case", servers["http"], clientOpts{ntlm: true, user: "OPS", password: "s3cret"}, "ops"},
		{"basic wrong password", servers["http"], clientOpts{user: "ops", password: "guess"}, ""},
		{"ntlm wrong password", servers["http"], clientOpts{ntlm: true, user: "ops", password: "guess"}, ""},
		{"ntlm unknown user", servers["http"], clientOpts{ntlm: true, user: "nobody", password: "s3cret"}, ""},
		{"ntlm wrong domain", servers["http"], clientOpts{ntlm: true, user: `OTHER\admin`, password: "adm1n"}, ""},
		{"basic client, ntlm-only server", ntlmOnly, clientOpts{}, ""},
		{"ntlm client, basic-only server", basicOnly, clientOpts{ntlm: true}, "ops"}, // go-ntlmssp falls back to Basic
	}
	for _, tc := range tests {
		out, _, _, err := runCmd(t, newClient(t, tc.s, tc.o), "user", "")
		switch {
		case tc.want == "" && err == nil:
			t.Errorf("%s: logged in as %q, want refused", tc.name, out)
		case tc.want != "" && (err != nil || out != tc.want):
			t.Errorf("%s: ran as %q, err %v; want %q", tc.name, out, err, tc.want)
		}
	}
}

// TestNTLMPerConnection: the handshake happens once per TCP connection;
// later requests on it pass without credentials.
func TestNTLMPerConnection(t *testing.T) {
	t.Parallel()
	s := start(t, Config{NTLM: true})
	c := newClient(t, s, clientOpts{ntlm: true})
	for range 3 {
		if _, _, _, err := runCmd(t, c, "echo x", ""); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(s.Log()); n < 15 {
		t.Fatalf("only %d requests logged", n)
	}
	// An anonymous request on a fresh connection is refused.
	resp, err := http.Post(s.URL(), "application/soap+xml", strings.NewReader("<x/>"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized || resp.Header.Get("WWW-Authenticate") != "Negotiate" {
		t.Errorf("anonymous request: %d %q, want 401 Negotiate", resp.StatusCode, resp.Header.Values("WWW-Authenticate"))
	}
}

// TestVerifyNTLMv2Vector checks the NTLMv2 computation against the test
// vector of MS-NLMP section 4.2.4 (User/Domain/Password, server challenge
// 0123456789abcdef, client challenge aa..., time 0).
func TestVerifyNTLMv2Vector(t *testing.T) {
	t.Parallel()
	info := append(append([]byte{2, 0, 12, 0}, utf16le("Domain")...), append([]byte{1, 0, 12, 0}, utf16le("Server")...)...)
	info = append(info, 0, 0, 0, 0)
	blob := append([]byte{1, 1, 0, 0, 0, 0, 0, 0}, make([]byte, 8)...)
	blob = append(append(blob, bytes.Repeat([]byte{0xaa}, 8)...), 0, 0, 0, 0)
	blob = append(append(blob, info...), 0, 0, 0, 0)
	proof, _ := hex.DecodeString("68cd0ab851e51c96aabc927bebef6a1c")
	m := authenticateMessage{domain: "Domain", user: "User", ntResponse: append(proof, blob...)}
	challenge := [8]byte{0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef}
	if !verifyNTLMv2(m, challenge, "Password") {
		t.Error("the MS-NLMP test vector does not verify")
	}
	if verifyNTLMv2(m, challenge, "password") {
		t.Error("a wrong password verifies")
	}
	m.ntResponse[20] ^= 1 // tamper with the blob
	if verifyNTLMv2(m, challenge, "Password") {
		t.Error("a tampered blob verifies")
	}
}

// TestNTLMWithGoNTLMSSP: a CHALLENGE from newChallenge is accepted by
// go-ntlmssp, and its AUTHENTICATE verifies.
func TestNTLMWithGoNTLMSSP(t *testing.T) {
	t.Parallel()
	msg, challenge := newChallenge("WINHOST", "WINHOST")
	auth, err := ntlmssp.ProcessChallenge(msg, "ops", "s3cret", true)
	if err != nil {
		t.Fatal(err)
	}
	m, err := parseAuthenticate(auth)
	if err != nil {
		t.Fatal(err)
	}
	if m.user != "ops" || m.domain != "WINHOST" || !verifyNTLMv2(m, challenge, "s3cret") {
		t.Errorf("AUTHENTICATE %+v does not verify", m)
	}
	for _, bad := range [][]byte{nil, []byte("NTLMSSP\x00\x03\x00\x00\x00"), auth[:40]} {
		if _, err := parseAuthenticate(bad); err == nil {
			t.Errorf("parseAuthenticate(%q) succeeded", bad)
		}
	}
}

// TestTLS: a client without the CA refuses the certificate; with it, or
// with Insecure, it connects.
func TestTLS(t *testing.T) {
	t.Parallel()
	s, other := start(t, Config{TLS: true}), start(t, Config{TLS: true})
	if !strings.HasPrefix(s.URL(), "https://127.0.0.1:") {
		t.Errorf("URL() = %s", s.URL())
	}
	tests := []struct {
		name string
		o    clientOpts
		ok   bool
	}{
		{"pinned CA", clientOpts{ca: s.CACertPEM()}, true},
		{"system roots", clientOpts{}, false},
		{"another server's CA", clientOpts{ca: other.CACertPEM()}, false},
		{"insecure", clientOpts{insecure: true}, true},
	}
	for _, tc := range tests {
		_, _, _, err := runCmd(t, newClient(t, s, tc.o), "echo x", "")
		if (err == nil) != tc.ok {
			t.Errorf("%s: err %v, want success %v", tc.name, err, tc.ok)
		}
	}
}
