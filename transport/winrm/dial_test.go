package winrm

import (
	"net"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/rotplay/rotplay/internal/winrmfake"
	"github.com/rotplay/rotplay/transport"
)

func TestFacts(t *testing.T) {
	t.Parallel()
	th := newTestHost(t, hostConfig{})
	want := transport.Facts{OS: "windows", Arch: "amd64", Hostname: "WIN1", User: `WIN1\ops`}
	if got := th.dial(t, Options{}, th.target(t, nil)).Facts(); !reflect.DeepEqual(got, want) {
		t.Errorf("Facts() = %+v, want %+v", got, want)
	}
	for in, want := range map[string]string{"AMD64": "amd64", "ARM64": "arm64", "x86": "386", "IA64": "ia64"} {
		if got := goarch(in); got != want {
			t.Errorf("goarch(%q) = %q, want %q", in, got, want)
		}
	}
}

// dialErr dials tgt with a dialer that collects secrets, expects an error
// and checks that no secret is in it.
func dialErr(t *testing.T, tgt transport.Target) error {
	t.Helper()
	var mu sync.Mutex
	var secrets []string
	opts := Options{Secrets: func(s string) { mu.Lock(); secrets = append(secrets, s); mu.Unlock() }}
	c, err := testDialer(opts).Dial(ctxFor(t), tgt)
	if err == nil {
		_ = c.Close()
		t.Fatal("Dial succeeded")
	}
	mu.Lock()
	defer mu.Unlock()
	for _, s := range append(secrets, testPassword) {
		if strings.Contains(err.Error(), s) {
			t.Errorf("the error shows a password: %v", err)
		}
	}
	return err
}

// TestAuthFailures: a refused login names the user and the
// authentication used, says what to check, and never shows the password.
func TestAuthFailures(t *testing.T) {
	t.Parallel()
	both := newTestHost(t, hostConfig{})
	basicOnly := newTestHost(t, hostConfig{fake: winrmfake.Config{Basic: true}})
	ntlmOnly := newTestHost(t, hostConfig{fake: winrmfake.Config{NTLM: true}})
	tests := []struct {
		name  string
		th    *testHost
		vars  map[string]any
		parts []string
	}{
		{"ntlm, wrong password", both, map[string]any{varPassword: "wrong"}, []string{"as ops with ntlm", "HTTP 401", varPassword, varAuth}},
		{"basic, wrong password", both, map[string]any{varPassword: "wrong", varAuth: "basic"}, []string{"with basic", "HTTP 401"}},
		{"basic, host without Basic", ntlmOnly, map[string]any{varAuth: "basic"}, []string{"with basic", "winrm get winrm/config/service/auth"}},
		{"ntlm, host with only Basic", basicOnly, nil, []string{"offers no NTLM", "ansible_winrm_transport: basic"}},
	}
	for _, tc := range tests {
		err := dialErr(t, tc.th.target(t, tc.vars))
		wantErr(t, tc.name, err, transport.ErrUnreachable, tc.parts...)
	}
	if n := len(basicOnly.server.Log()); n != 0 {
		t.Errorf("the Basic-only host got %d authenticated requests: the password went out in a Basic header", n)
	}
}

// TestTLS: the certificate is checked against the CA bundle given, or
// the system's roots; ignoring it is an explicit per-host opt-in.
func TestTLS(t *testing.T) {
	t.Parallel()
	th := newTestHost(t, hostConfig{fake: winrmfake.Config{TLS: true}})
	other := newTestHost(t, hostConfig{fake: winrmfake.Config{TLS: true}})
	plain := newTestHost(t, hostConfig{})
	otherCA := other.target(t, nil).Vars[varCATrustPath]
	tests := []struct {
		name  string
		tgt   transport.Target
		parts []string
	}{
		{"another server's CA", th.target(t, map[string]any{varCATrustPath: otherCA}), []string{"not signed by a CA", varCATrustPath, varCertValidation}},
		{"system roots", th.target(t, map[string]any{varCATrustPath: nil}), []string{"not signed by a CA"}},
		{"https to an http listener", plain.target(t, map[string]any{varScheme: "https"}), []string{"set ansible_winrm_scheme: http"}},
		{"http to an https listener", th.target(t, map[string]any{varScheme: "http"}), []string{"http://127.0.0.1"}},
	}
	for _, tc := range tests {
		wantErr(t, tc.name, dialErr(t, tc.tgt), transport.ErrUnreachable, tc.parts...)
	}
	th.dial(t, Options{}, th.target(t, map[string]any{varCATrustPath: nil, varCertValidation: "ignore"}))
	th.dial(t, Options{}, th.target(t, nil))
}

func TestConnectionRefused(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	tgt := transport.Target{Name: "gone", Address: "127.0.0.1", Port: port, User: "ops", Vars: map[string]any{varPassword: testPassword}}
	wantErr(t, "refused", dialErr(t, tgt), transport.ErrUnreachable, "connection refused", "ansible_port", strconv.Itoa(port))
}

// TestTargetErrors: bad inventory variables are reported together, as
// unreachable, before any connection.
func TestTargetErrors(t *testing.T) {
	t.Parallel()
	notPEM := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(notPEM, []byte("not a certificate"), 0o600); err != nil {
		t.Fatal(err)
	}
	base := func(vars map[string]any) transport.Target {
		v := map[string]any{varPassword: "pw"}
		for k, x := range vars {
			v[k] = x
		}
		return transport.Target{Name: "w", Address: "127.0.0.1", Port: 1, User: "ops", Vars: v}
	}
	tests := []struct {
		name  string
		tgt   transport.Target
		parts []string
	}{
		{"kerberos", base(map[string]any{varAuth: "kerberos"}), []string{"kerberos is not supported yet", "ntlm"}},
		{"unknown transport", base(map[string]any{varAuth: "smoke"}), []string{`"smoke"`}},
		{"scheme", base(map[string]any{varScheme: "ftp"}), []string{varScheme}},
		{"validation", base(map[string]any{varCertValidation: "maybe"}), []string{varCertValidation}},
		{"CA not PEM", base(map[string]any{varCATrustPath: notPEM}), []string{"holds no PEM certificate"}},
		{"CA missing", base(map[string]any{varCATrustPath: "/nonexistent/ca.pem"}), []string{varCATrustPath}},
		{"no password", base(map[string]any{varPassword: nil}), []string{"no password", "env("}},
		{"password not a string", base(map[string]any{varPassword: 42}), []string{"must be a string"}},
		{"no user", transport.Target{Name: "w", Vars: map[string]any{varPassword: "pw"}}, []string{"ansible_user"}},
		{"become", transport.Target{Name: "w", User: "ops", Become: true, Vars: map[string]any{varPassword: "pw"}}, []string{"ansible_become"}},
		{"two problems", base(map[string]any{varAuth: "kerberos", varScheme: "ftp"}), []string{"kerberos", varScheme}},
	}
	for _, tc := range tests {
		c, err := testDialer(Options{}).Dial(ctxFor(t), tc.tgt)
		if err == nil {
			_ = c.Close()
		}
		wantErr(t, tc.name, err, transport.ErrUnreachable, tc.parts...)
	}
}

func TestTargetDefaults(t *testing.T) {
	t.Parallel()
	d := testDialer(Options{})
	tests := []struct {
		vars    map[string]any
		port    int
		wantURL string
		auth    string
	}{
		{nil, 0, "https://win1.example.com:5986/wsman", authNTLM},
		{map[string]any{varScheme: "HTTP"}, 0, "http://win1.example.com:5985/wsman", authNTLM},
		{map[string]any{varAuth: "plaintext"}, 443, "https://win1.example.com:443/wsman", authBasic},
	}
	for _, tc := range tests {
		vars := map[string]any{varPassword: "pw"}
		for k, v := range tc.vars {
			vars[k] = v
		}
		h, err := d.resolve(transport.Target{Name: "win1.example.com", Port: tc.port, User: "ops", Vars: vars})
		if err != nil || h.url != tc.wantURL || h.auth != tc.auth || h.insecure {
			t.Errorf("%v: %+v, %v; want %s with %s", tc.vars, h, err, tc.wantURL, tc.auth)
		}
	}
	if got := NewDialer(Options{}).(*dialer); got.opts.operationTimeout()+got.httpMargin <= got.opts.operationTimeout() {
		t.Error("the HTTP timeout is not above the OperationTimeout")
	}
	if got := wsmanDuration(1500 * 1e6); got != "PT1.5S" {
		t.Errorf("wsmanDuration = %s", got)
	}
}

// TestSecrets: the password is told to Options.Secrets before use, and
// no command line carries file content or paths: they go on stdin.
func TestSecrets(t *testing.T) {
	t.Parallel()
	th := newTestHost(t, hostConfig{})
	var told []string
	var mu sync.Mutex
	c := th.dial(t, Options{Secrets: func(s string) { mu.Lock(); told = append(told, s); mu.Unlock() }}, th.target(t, nil))
	mu.Lock()
	if len(told) != 1 || told[0] != testPassword {
		t.Errorf("Secrets told %q, want the password", told)
	}
	mu.Unlock()
	const token = "dt0c01.ST2EY72KQINMH574WMNVI7YN.G3DFPBEJYMODIDAEX454M7YWBUVEFOWKPRVMWFASS64NFH52PX6BNDVFFM572RZM"
	dir := th.tempDir(t) + `\secret-dir`
	if err := th.host.MkdirAll(dir); err != nil {
		t.Fatal(err)
	}
	p := dir + `\installation.conf`
	if err := c.WriteFile(ctxFor(t), p, []byte("tenant_token="+token+"\n"), transport.WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.ReadFile(ctxFor(t), p); err != nil {
		t.Fatal(err)
	}
	lines := th.server.CommandLines()
	if len(lines) < 3 {
		t.Fatalf("only %d command lines recorded", len(lines))
	}
	for _, line := range lines {
		for _, bad := range []string{token, "secret-dir", testPassword, "dGVuYW50X3Rva2Vu"} {
			if strings.Contains(line, bad) {
				t.Errorf("a command line carries %q: %.100s", bad, line)
			}
		}
	}
}
