package winrm

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/rotplay/rotplay/transport"
	"github.com/rotplay/rotplay/transport/transporttest"
)

// The optional suite against a real Windows host. It runs only when
// ROTPLAY_WINRM_HOST is set (see docs/windows.md, "Testing against a real
// Windows host"); CI has no Windows host, so there it is skipped, and that
// skip is not counted as a pass of anything Windows does.
//
//	ROTPLAY_WINRM_HOST       host name or address (required)
//	ROTPLAY_WINRM_USER       user, DOMAIN\user for a domain account (required)
//	ROTPLAY_WINRM_PASSWORD   its password (required)
//	ROTPLAY_WINRM_PORT       default 5986 (https) / 5985 (http)
//	ROTPLAY_WINRM_SCHEME     https (default) or http
//	ROTPLAY_WINRM_TRANSPORT  ntlm (default) or basic
//	ROTPLAY_WINRM_CA         PEM file of the CA that signed the host's certificate
//	ROTPLAY_WINRM_INSECURE   "ignore" to skip certificate validation
func realHost(t *testing.T) transport.Target {
	t.Helper()
	addr := os.Getenv("ROTPLAY_WINRM_HOST")
	if addr == "" {
		t.Skip("no real Windows host: set ROTPLAY_WINRM_HOST, ROTPLAY_WINRM_USER and ROTPLAY_WINRM_PASSWORD to run this suite")
	}
	vars := map[string]any{varPassword: os.Getenv("ROTPLAY_WINRM_PASSWORD")}
	for env, v := range map[string]string{"ROTPLAY_WINRM_SCHEME": varScheme, "ROTPLAY_WINRM_TRANSPORT": varAuth,
		"ROTPLAY_WINRM_CA": varCATrustPath, "ROTPLAY_WINRM_INSECURE": varCertValidation} {
		if s := os.Getenv(env); s != "" {
			vars[v] = s
		}
	}
	port, _ := strconv.Atoi(os.Getenv("ROTPLAY_WINRM_PORT"))
	return transport.Target{Name: addr, Address: addr, Port: port, User: os.Getenv("ROTPLAY_WINRM_USER"), Vars: vars}
}

// TestRealWindowsConformance runs the shared transport suite against the
// real host, in a new folder under %TEMP% that it removes afterwards.
func TestRealWindowsConformance(t *testing.T) {
	tgt := realHost(t)
	dial := func(t *testing.T) transport.Conn {
		c, err := NewDialer(Options{}).Dial(context.Background(), tgt)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	tempDir := func(t *testing.T) string {
		c := dial(t)
		defer c.Close()
		b := make([]byte, 6)
		rand.Read(b)
		dir := `%TEMP%\rotplay-test-` + hex.EncodeToString(b)
		res, err := c.Run(context.Background(), transport.Command{Line: `mkdir "` + dir + `" && echo ` + dir})
		if err != nil || res.ExitCode != 0 {
			t.Fatalf("mkdir %s: %v %s", dir, err, res.Stderr)
		}
		real := strings.TrimSpace(string(res.Stdout))
		t.Cleanup(func() {
			c := dial(t)
			defer c.Close()
			c.Run(context.Background(), transport.Command{Line: `rmdir /s /q "` + real + `"`})
		})
		return real
	}
	transporttest.Run(t, transporttest.Harness{Dial: dial, TempDir: tempDir, NoFileModes: true,
		Join: func(elem ...string) string { return strings.Join(elem, `\`) }})
}
