package ssh

import (
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"sync"
	"testing"

	"github.com/rotplay/rotplay/transport"
	"github.com/rotplay/rotplay/transport/transporttest"
)

// TestConformance runs the shared suite over SSH against a host running
// the real /bin/sh, so that the remote scripts run in a real shell with
// real utilities. MaxSessions is OpenSSH's default, which the suite's 16
// concurrent calls exceed: the Conn must queue them.
func TestConformance(t *testing.T) {
	t.Parallel()
	th := newTestHost(t, hostConfig{maxSessions: maxSessions})
	transporttest.Run(t, transporttest.Harness{
		Dial:       func(t *testing.T) transport.Conn { return th.dial(t, Options{}, th.target(nil)) },
		TempDir:    func(t *testing.T) string { return t.TempDir() },
		CanChown:   os.Geteuid() == 0,
		POSIXShell: true,
	})
}

// TestConformanceBecome runs the suite with every call going through a
// sudo that runs what it is given: the wrapping must not change results.
func TestConformanceBecome(t *testing.T) {
	t.Parallel()
	sudo := installFakeSudo(t, "")
	th := newTestHost(t, hostConfig{env: sudo.env})
	t.Cleanup(func() { // after the parallel subtests
		if sudo.calls() == 0 {
			t.Error("fake sudo never called")
		}
	})
	transporttest.Run(t, transporttest.Harness{
		Dial: func(t *testing.T) transport.Conn {
			return th.dial(t, Options{}, becomeTarget(th, "svc"))
		},
		TempDir:    func(t *testing.T) string { return t.TempDir() },
		CanChown:   os.Geteuid() == 0,
		POSIXShell: true,
	})
}

func TestFacts(t *testing.T) {
	t.Parallel()
	th := newTestHost(t, hostConfig{})
	host, err := os.Hostname()
	if err != nil {
		t.Fatal(err)
	}
	want := transport.Facts{OS: runtime.GOOS, Arch: runtime.GOARCH, Hostname: host, User: currentUser(t)}
	if got := th.dial(t, Options{}, th.target(nil)).Facts(); !reflect.DeepEqual(got, want) {
		t.Errorf("Facts() = %+v, want %+v", got, want)
	}
}

// TestOneConnectionPerConn: concurrent calls of every kind share the
// Conn's one SSH connection.
func TestOneConnectionPerConn(t *testing.T) {
	t.Parallel()
	th := newTestHost(t, hostConfig{})
	c := th.dial(t, Options{}, th.target(nil))
	dir := t.TempDir()
	var wg sync.WaitGroup
	for i := range 12 {
		wg.Go(func() {
			p := filepath.Join(dir, string(rune('a'+i)))
			if err := c.WriteFile(ctxFor(t), p, []byte("x"), transport.WriteOptions{}); err != nil {
				t.Error(err)
			}
			if _, err := c.Run(ctxFor(t), transport.Command{Line: "sleep 0.1"}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if n := th.server.Connections(); n != 1 {
		t.Errorf("server has %d connections for one Conn, want 1", n)
	}
	_ = c.Close()
	if !waitFor(func() bool { return th.server.Connections() == 0 }) {
		t.Errorf("Close left %d connections open", th.server.Connections())
	}
}
