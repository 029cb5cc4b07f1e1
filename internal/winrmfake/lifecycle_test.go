package winrmfake

import (
	"crypto/tls"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/masterzen/winrm"
)

// TestCloseLeavesNoGoroutines is not parallel: it counts the goroutines
// of the whole test binary, which parallel tests would change. Running
// commands, a hung request and a long-poll are all ended by Close.
func TestCloseLeavesNoGoroutines(t *testing.T) {
	before := runtime.NumGoroutine()
	s, err := Listen("127.0.0.1:0", Config{Users: testUsers, Handler: testHandler, TLS: true})
	if err != nil {
		t.Fatal(err)
	}
	c := newRaw(t, s)
	c.http.Transport = insecureTransport()
	shell := c.createShell()
	c.command(shell, "wait")
	cmd := c.command(shell, "wait")
	done := make(chan struct{})
	go func() { // a Receive long-polling when Close comes
		defer close(done)
		_, _, _ = c.post(winrm.NewGetOutputRequest(s.URL(), shell, cmd, "stdout stderr", winrm.NewParameters("PT60S", "en-US", 102400)))
	}()
	s.Inject(Fault{Action: ActionCreate, Kind: Hang})
	go func() { _, _, _ = c.post(winrm.NewOpenShellRequest(s.URL(), c.params)) }()
	waitFor(t, "the requests to arrive", func() bool { return len(s.Log()) >= 5 })
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	<-done
	c.http.CloseIdleConnections()
	if _, err := http.Get(s.URL()); err == nil {
		t.Error("request after Close succeeded")
	}
	waitFor(t, "goroutines to end", func() bool { return runtime.NumGoroutine() <= before })
	if n := runtime.NumGoroutine(); n > before {
		buf := make([]byte, 1<<16)
		buf = buf[:runtime.Stack(buf, true)]
		t.Errorf("%d goroutines before, %d after Close:\n%s", before, n, firstLines(string(buf), 60))
	}
}

func insecureTransport() *http.Transport {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = &tls.Config{InsecureSkipVerify: true}
	tr.IdleConnTimeout = time.Second
	return tr
}

func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	return strings.Join(lines[:min(n, len(lines))], "\n")
}
