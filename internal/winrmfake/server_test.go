package winrmfake

import (
	"strings"
	"testing"
)

// TestExec runs commands through the real client over HTTP and Basic.
func TestExec(t *testing.T) {
	t.Parallel()
	c := newClient(t, start(t, Config{Basic: true}), clientOpts{})
	large := strings.Repeat("0123456789", 50_000) // several Sends and Receives
	tests := []struct {
		name, line, stdin string
		out, errOut       string
		code              int
	}{
		{"stdout", "echo hello", "", "hello", "", 0},
		{"stderr and exit", "err oops", "", "", "oops", 0},
		{"exit code", "exit 42", "", "", "", 42},
		{"stdin to EOF", "cat", large, large, "", 0},
		{"user", "user", "", "ops", "", 0},
		{"unknown", "nosuch", "", "", "'nosuch' is not recognized as an internal or external command,\r\n", 9009},
		{"panic", "panic", "", "", "winrmfake: command panicked: boom\r\n", 1},
		{"too long", "echo " + strings.Repeat("x", 8187), "", "", "The command line is too long.\r\n", 1},
		{"longest", "echo " + strings.Repeat("x", 8186), "", strings.Repeat("x", 8186), "", 0},
	}
	for _, tc := range tests {
		out, errOut, code, err := runCmd(t, c, tc.line, tc.stdin)
		if err != nil || out != tc.out || errOut != tc.errOut || code != tc.code {
			t.Errorf("%s: stdout %.30q (%d bytes), stderr %q, exit %d, err %v; want %.30q, %q, %d",
				tc.name, out, len(out), errOut, code, err, tc.out, tc.errOut, tc.code)
		}
	}
}

// TestOutputSplit: output larger than one answer arrives over several
// Receive calls, each within the cap.
func TestOutputSplit(t *testing.T) {
	t.Parallel()
	s := start(t, Config{MaxReceiveBytes: 1000})
	out, _, code, err := runCmd(t, newClient(t, s, clientOpts{}), "big 10000", "")
	if err != nil || code != 0 || len(out) != 10000 {
		t.Fatalf("big 10000: %d bytes, exit %d, %v", len(out), code, err)
	}
	if n := count(s.Log(), ActionReceive, 200); n < 10 {
		t.Errorf("%d successful Receives for 10,000 bytes at 1,000 a call, want >= 10", n)
	}
}

// TestTimedOut: a command quiet for longer than the OperationTimeout gets
// w:TimedOut faults, which the client retries.
func TestTimedOut(t *testing.T) {
	t.Parallel()
	s := start(t, Config{})
	c := newClient(t, s, clientOpts{opTimeout: "PT0.3S"})
	if out, _, code, err := runCmd(t, c, "sleep 1000", ""); err != nil || code != 0 || out != "" {
		t.Fatalf("sleep: %q exit %d, %v", out, code, err)
	}
	if n := count(s.Log(), ActionReceive, 500); n < 2 {
		t.Errorf("%d Receives answered with a fault, want >= 2 TimedOut", n)
	}
	for _, r := range s.Log() {
		if r.OperationTimeout != "PT0.3S" {
			t.Fatalf("request logged OperationTimeout %q, want the client's PT0.3S", r.OperationTimeout)
		}
	}
}

// TestShellsDeleted: the client's Delete removes its shell.
func TestShellsDeleted(t *testing.T) {
	t.Parallel()
	s := start(t, Config{})
	c := newClient(t, s, clientOpts{})
	for range 3 {
		if _, _, _, err := runCmd(t, c, "echo x", ""); err != nil {
			t.Fatal(err)
		}
	}
	if n := s.Shells(); n != 0 {
		t.Errorf("%d shells left after 3 runs, want 0", n)
	}
	log := s.Log()
	if c, d := count(log, ActionCreate, 200), count(log, ActionDelete, 200); c != 3 || d != 3 {
		t.Errorf("%d shells created and %d deleted, want 3 and 3", c, d)
	}
}

func TestCommandLines(t *testing.T) {
	t.Parallel()
	s := start(t, Config{})
	c := newClient(t, s, clientOpts{})
	for _, line := range []string{"echo a&b <c>", "exit 0"} {
		if _, _, _, err := runCmd(t, c, line, ""); err != nil {
			t.Fatal(err)
		}
	}
	if got := s.CommandLines(); len(got) != 2 || got[0] != "echo a&b <c>" || got[1] != "exit 0" {
		t.Errorf("CommandLines() = %q", got)
	}
}

func TestListenNeedsConfig(t *testing.T) {
	t.Parallel()
	for name, cfg := range map[string]Config{
		"no handler": {Users: testUsers},
		"no users":   {Handler: testHandler},
		"negative":   {Users: testUsers, Handler: testHandler, MaxEnvelopeSize: -1},
	} {
		if s, err := Listen("127.0.0.1:0", cfg); err == nil {
			_ = s.Close()
			t.Errorf("%s: Listen succeeded", name)
		}
	}
}
