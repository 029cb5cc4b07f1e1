package winrm

import (
	"strings"
	"testing"

	"github.com/rotplay/rotplay/internal/winrmfake"
	"github.com/rotplay/rotplay/transport"
	"github.com/rotplay/rotplay/transport/transporttest"
)

// TestConformance runs the shared suite through the real client library,
// over HTTP with Basic and over HTTPS with NTLM and a pinned CA, against
// the simulated Windows host. POSIXShell is false: the host runs cmd.exe
// command lines, not sh.
func TestConformance(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		fake winrmfake.Config
		vars map[string]any
	}{
		{"HTTPBasic", winrmfake.Config{Basic: true}, map[string]any{varAuth: "basic"}},
		{"HTTPSNTLM", winrmfake.Config{NTLM: true, TLS: true}, map[string]any{varAuth: "ntlm"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			th := newTestHost(t, hostConfig{fake: tc.fake})
			tgt := th.target(t, tc.vars)
			transporttest.Run(t, transporttest.Harness{
				Dial:    func(t *testing.T) transport.Conn { return th.dial(t, Options{}, tgt) },
				TempDir: th.tempDir,
				ListDir: th.list,
				Join:    func(elem ...string) string { return strings.Join(elem, `\`) },
				// Windows has ACLs, kept by WriteFile, not modes and owners.
				NoFileModes: true,
			})
		})
	}
}
