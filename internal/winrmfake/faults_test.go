package winrmfake

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/masterzen/winrm"
)

// TestSOAPFault: an injected fault is an HTTP 500 with a fault envelope
// related to the request; Times bounds it.
func TestSOAPFault(t *testing.T) {
	t.Parallel()
	s := start(t, Config{})
	c := newRaw(t, s)
	s.Inject(Fault{Action: ActionCreate, Kind: SOAPFault, Times: 1})
	msg := winrm.NewOpenShellRequest(s.URL(), c.params)
	status, body, err := c.post(msg)
	if err != nil || status != http.StatusInternalServerError || !strings.Contains(body, "w:InternalError") ||
		!strings.Contains(body, "http://schemas.dmtf.org/wbem/wsman/1/wsman/fault") {
		t.Fatalf("faulted Create: %d %v\n%s", status, err, body)
	}
	if _, err := winrm.ParseOpenShellResponse(body); err == nil {
		t.Error("the client library parsed the fault as a shell")
	}
	c.createShell() // the fault is spent
	log := s.Log()
	if log[0].Status != 500 || log[1].Status != 200 {
		t.Errorf("logged statuses %d, %d; want 500, 200", log[0].Status, log[1].Status)
	}
}

// TestEnvelopeTooLarge: a request over MaxEnvelopeSize gets 413 with no
// body, after authentication, on a connection that stays usable.
func TestEnvelopeTooLarge(t *testing.T) {
	t.Parallel()
	s := start(t, Config{MaxEnvelopeSize: 4000})
	c := newRaw(t, s)
	shell := c.createShell()
	cmd := c.command(shell, "cat")
	big := winrm.NewSendInputRequest(s.URL(), shell, cmd, make([]byte, 4000), false, c.params)
	if status, _, err := c.post(big); err != nil || status != http.StatusRequestEntityTooLarge {
		t.Fatalf("large Send: %d, %v; want 413", status, err)
	}
	c.mustPost(winrm.NewSendInputRequest(s.URL(), shell, cmd, []byte("ok"), true, c.params))
	if out, _, code := c.receive(shell, cmd); out != "ok" || code != 0 {
		t.Errorf("after the 413: %q exit %d", out, code)
	}
	if n := count(s.Log(), "", http.StatusRequestEntityTooLarge); n != 1 {
		t.Errorf("%d requests logged as 413, want 1", n)
	}
}

// TestHangAndDrop: a hung request answers nothing until the client gives
// up; a dropped one closes the connection.
func TestHangAndDrop(t *testing.T) {
	t.Parallel()
	s := start(t, Config{})
	c := newRaw(t, s)
	c.http.Timeout = 300 * time.Millisecond
	s.Inject(Fault{Action: ActionCreate, Kind: Hang, Times: 1})
	start := time.Now()
	if _, _, err := c.post(winrm.NewOpenShellRequest(s.URL(), c.params)); err == nil || time.Since(start) < 250*time.Millisecond {
		t.Errorf("hung Create: %v after %v, want a client timeout", err, time.Since(start))
	}
	s.Inject(Fault{Action: ActionCreate, Kind: Drop})
	if status, _, err := c.post(winrm.NewOpenShellRequest(s.URL(), c.params)); err == nil {
		t.Errorf("dropped Create: status %d, want a connection error", status)
	}
	s.ClearFaults()
	c.http.Timeout = 10 * time.Second
	c.createShell()
}

// TestSignalAndDelete: terminate ends the Handler's ctx, and the last
// Receive reports its exit code; Delete ends a running command too.
func TestSignalAndDelete(t *testing.T) {
	t.Parallel()
	s := start(t, Config{})
	c := newRaw(t, s)
	shell := c.createShell()
	cmd := c.command(shell, "wait")
	c.mustPost(winrm.NewSignalRequest(s.URL(), shell, cmd, c.params))
	if _, _, code := c.receive(shell, cmd); code != 99 {
		t.Errorf("after terminate: exit %d, want 99 from the ended wait", code)
	}
	cmd2 := c.command(shell, "wait")
	c.mustPost(winrm.NewDeleteShellRequest(s.URL(), shell, c.params))
	if s.Shells() != 0 {
		t.Errorf("%d shells after Delete", s.Shells())
	}
	status, body, _ := c.post(winrm.NewGetOutputRequest(s.URL(), shell, cmd2, "stdout stderr", c.params))
	if status != http.StatusInternalServerError || !strings.Contains(body, "w:InvalidSelectors") {
		t.Errorf("Receive on a deleted shell: %d\n%s", status, body)
	}
}

// TestDropConnectionsKeepsShells: shells outlive connections, as on
// Windows.
func TestDropConnectionsKeepsShells(t *testing.T) {
	t.Parallel()
	s := start(t, Config{})
	c := newRaw(t, s)
	shell := c.createShell()
	cmd := c.command(shell, "echo still here")
	s.DropConnections()
	waitFor(t, "connections to close", func() bool { return s.Connections() == 0 })
	c.http.CloseIdleConnections() // the client's pooled connection is dead now
	if out, _, _ := c.receive(shell, cmd); out != "still here" {
		t.Errorf("after DropConnections: %q", out)
	}
}

// TestOtherUsersShell: a shell belongs to the user who created it.
func TestOtherUsersShell(t *testing.T) {
	t.Parallel()
	s := start(t, Config{Users: map[string]string{"ops": "s3cret", "eve": "eve"}})
	shell := newRaw(t, s).createShell()
	c := newClient(t, s, clientOpts{user: "eve", password: "eve"})
	_, err := c.NewShell(shell).Execute("echo x")
	if err == nil {
		t.Error("another user ran a command in ops's shell")
	}
}
