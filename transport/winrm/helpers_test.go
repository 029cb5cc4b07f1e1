package winrm

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rotplay/rotplay/internal/testkit"
	"github.com/rotplay/rotplay/internal/winrmfake"
	"github.com/rotplay/rotplay/lab/winhost"
	"github.com/rotplay/rotplay/transport"
)

const (
	testUser     = "ops"
	testPassword = "Pa55-w0rd!secret"
)

// testHost is an in-process WinRM server in front of a simulated Windows
// host (winhost), unless hostConfig.handler replaces the host.
type testHost struct {
	server *winrmfake.Server
	host   *winhost.Host
	port   int
	dirs   atomic.Int64
}

// hostConfig tunes newTestHost; its fake fields are passed on.
type hostConfig struct {
	fake winrmfake.Config
	// handler runs every command line but rotplay's PowerShell scripts,
	// which the winhost runs (Dial needs the facts script); nil: the
	// winhost runs everything.
	handler winrmfake.Handler
}

func newTestHost(t *testing.T, hc hostConfig) *testHost {
	t.Helper()
	th := &testHost{host: winhost.New("win1.example.com", t.TempDir())}
	cfg := hc.fake
	cfg.Handler = th.host.Exec
	if hc.handler != nil {
		cfg.Handler = func(ctx context.Context, req winrmfake.Request) int {
			if strings.HasPrefix(req.CommandLine, "powershell.exe ") {
				return th.host.Exec(ctx, req)
			}
			return hc.handler(ctx, req)
		}
	}
	if cfg.Users == nil {
		cfg.Users = map[string]string{testUser: testPassword}
	}
	var err error
	if th.server, err = winrmfake.Listen("127.0.0.1:0", cfg); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = th.server.Close() })
	_, port, _ := strings.Cut(th.server.Addr(), ":")
	th.port, _ = strconv.Atoi(port)
	return th
}

// target addresses th with the test user's password, over https when th
// serves TLS (trusting its CA through a file, as an inventory would) and
// http otherwise; vars are added on top.
func (th *testHost) target(t *testing.T, vars map[string]any) transport.Target {
	t.Helper()
	all := map[string]any{varPassword: testPassword}
	if ca := th.server.CACertPEM(); ca != nil {
		file := filepath.Join(t.TempDir(), "ca.pem")
		if err := os.WriteFile(file, ca, 0o600); err != nil {
			t.Fatal(err)
		}
		all[varCATrustPath] = file
	} else {
		all[varScheme] = "http"
	}
	for k, v := range vars {
		all[k] = v
	}
	return transport.Target{Name: "win1", Address: "127.0.0.1", Port: th.port, User: testUser, Vars: all}
}

// testDialer is NewDialer with a short HTTP margin, so that a host that
// hangs fails in seconds.
func testDialer(opts Options) *dialer {
	d := NewDialer(opts).(*dialer)
	d.httpMargin = 2 * time.Second
	return d
}

// dial dials tgt and fails t on error; the Conn is closed when t ends.
func (th *testHost) dial(t *testing.T, opts Options, tgt transport.Target) *conn {
	t.Helper()
	c, err := testDialer(opts).Dial(ctxFor(t), tgt)
	if err != nil {
		t.Fatalf("Dial: %v", err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c.(*conn)
}

// tempDir makes a new directory on the simulated host and returns its
// Windows path.
func (th *testHost) tempDir(t *testing.T) string {
	t.Helper()
	dir := fmt.Sprintf(`C:\Users\%s\AppData\Local\Temp\t%d`, testUser, th.dirs.Add(1))
	if err := th.host.MkdirAll(dir); err != nil {
		t.Fatal(err)
	}
	return dir
}

// list returns the names in the Windows directory dir.
func (th *testHost) list(t *testing.T, dir string) []string {
	t.Helper()
	local, err := th.host.Path(dir)
	if err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(local)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// ctxFor bounds a test's calls so that a hang fails instead of stalling.
func ctxFor(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// The shared assertions, under the names these tests use.
var (
	wantErr = testkit.WantErr
	waitFor = testkit.Eventually
)
