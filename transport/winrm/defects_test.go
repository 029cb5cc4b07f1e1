package winrm

import (
	"bytes"
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/masterzen/winrm"

	"github.com/rotplay/rotplay/internal/winrmfake"
	"github.com/rotplay/rotplay/transport"
)

// Each test here checks one workaround of a client-library defect listed
// in the research note (P1-P12), against a fake host that misbehaves the
// way real ones are reported to. Without the workaround, each fails: the
// library's own Run hangs, succeeds, or loses data in these cases.

// TestFaultIsError (P1): a SOAP fault, on any action, is an error naming
// the fault, with no result, and the shell is cleaned up; the library
// passes an HTTP 500 for success (on Send it then hangs for ever).
func TestFaultIsError(t *testing.T) {
	t.Parallel()
	for _, action := range []winrmfake.Action{winrmfake.ActionCreate, winrmfake.ActionCommand,
		winrmfake.ActionSend, winrmfake.ActionReceive} {
		t.Run(string(action), func(t *testing.T) {
			t.Parallel()
			th := newTestHost(t, hostConfig{handler: cmdHandler})
			c := th.dial(t, Options{}, th.target(t, nil))
			th.server.Inject(winrmfake.Fault{Action: action, Kind: winrmfake.SOAPFault, Times: 1})
			start := time.Now()
			res, err := c.Run(ctxFor(t), transport.Command{Line: "cat", Stdin: strings.NewReader("x")})
			wantErr(t, "Run", err, nil, "WinRM fault w:InternalError", "HTTP 500")
			if errors.Is(err, transport.ErrUnreachable) || res.ExitCode != 0 || res.Stdout != nil {
				t.Errorf("fault on %s: result %+v, err %v; want no result, and not unreachable: the host answered", action, res, err)
			}
			if time.Since(start) > 5*time.Second {
				t.Errorf("fault on %s took %v", action, time.Since(start))
			}
			if !waitFor(func() bool { return th.server.Shells() == 0 }) {
				t.Errorf("fault on %s left %d shells", action, th.server.Shells())
			}
			if res, err := c.Run(ctxFor(t), transport.Command{Line: "out ok"}); err != nil || string(res.Stdout) != "ok" {
				t.Errorf("the Conn does not work after the fault: %v", err)
			}
		})
	}
}

// TestEnvelopeTooLarge (P7): a Send the host refuses with HTTP 413 is an
// error that says what to change, not a command run with empty stdin.
func TestEnvelopeTooLarge(t *testing.T) {
	t.Parallel()
	th := newTestHost(t, hostConfig{handler: cmdHandler, fake: winrmfake.Config{MaxEnvelopeSize: 50_000}})
	c := th.dial(t, Options{}, th.target(t, nil))
	res, err := c.Run(ctxFor(t), transport.Command{Line: "cat", Stdin: bytes.NewReader(make([]byte, 200_000))})
	wantErr(t, "Run with a 413 on Send", err, nil, "send stdin", "HTTP 413", "MaxEnvelopeSizekb")
	if res.Stdout != nil || res.ExitCode != 0 {
		t.Errorf("a result came back: %+v", res)
	}
}

// TestEnvelopeSize (P7): with the host at the old default of 150 KB, a
// 1 MiB file goes through, and no request is larger than 100 KiB.
func TestEnvelopeSize(t *testing.T) {
	t.Parallel()
	th := newTestHost(t, hostConfig{fake: winrmfake.Config{MaxEnvelopeSize: 150 << 10}})
	c := th.dial(t, Options{}, th.target(t, nil))
	data := bytes.Repeat([]byte("0123456789abcdef"), 1<<16)
	p := th.tempDir(t) + `\big`
	if err := c.WriteFile(ctxFor(t), p, data, transport.WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	if got, _, err := c.ReadFile(ctxFor(t), p); err != nil || !bytes.Equal(got, data) {
		t.Fatalf("read back %d bytes, %v", len(got), err)
	}
	sends := 0
	for _, r := range th.server.Log() {
		if r.Size > envelopeSize {
			t.Errorf("a %s request of %d bytes, over the %d announced", r.Action, r.Size, envelopeSize)
		}
		if r.Action == winrmfake.ActionSend {
			sends++
		}
	}
	if sends < 10 {
		t.Errorf("%d Sends for a 1 MiB file, want it chunked", sends)
	}
}

// TestQuietCommand (P3): a command quiet for longer than the
// OperationTimeout finishes normally: the host's w:TimedOut answers come
// before the HTTP timeout and mean "ask again".
func TestQuietCommand(t *testing.T) {
	t.Parallel()
	th := newTestHost(t, hostConfig{handler: cmdHandler})
	// The production dialer, with its own HTTP timeout.
	c, err := NewDialer(Options{OperationTimeout: 300 * time.Millisecond}).Dial(ctxFor(t), th.target(t, nil))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	res, err := c.Run(ctxFor(t), transport.Command{Line: "sleep 1200"})
	if err != nil || res.ExitCode != 0 {
		t.Fatalf("quiet command: %+v, %v", res, err)
	}
	timedOut := 0
	for _, r := range th.server.Log() {
		if r.Action == winrmfake.ActionReceive && r.Status == 500 {
			timedOut++
		}
	}
	if timedOut < 2 {
		t.Errorf("%d TimedOut answers, want >= 2: the test did not exercise the long poll", timedOut)
	}
}

// TestQuietCommandShortHTTPTimeout is the control for TestQuietCommand:
// with an HTTP timeout below the OperationTimeout, the client gives up on
// a quiet command, which is the defect the ordering avoids.
func TestQuietCommandShortHTTPTimeout(t *testing.T) {
	t.Parallel()
	th := newTestHost(t, hostConfig{handler: cmdHandler})
	opts := Options{OperationTimeout: 2 * time.Second}
	d := testDialer(opts)
	tgt := th.target(t, nil)
	d.httpMargin = -1800 * time.Millisecond // HTTP timeout 200ms
	cn, err := d.Dial(ctxFor(t), tgt)
	if err != nil {
		t.Fatal(err)
	}
	defer cn.Close()
	_, err = cn.Run(ctxFor(t), transport.Command{Line: "sleep 1000"})
	wantErr(t, "quiet command with HTTP timeout < OperationTimeout", err, transport.ErrUnreachable, "timeout")
}

// TestHostStopsAnswering: a Receive that never gets an answer fails after
// the HTTP timeout as unreachable, instead of hanging.
func TestHostStopsAnswering(t *testing.T) {
	t.Parallel()
	th := newTestHost(t, hostConfig{handler: cmdHandler})
	c := th.dial(t, Options{OperationTimeout: 300 * time.Millisecond}, th.target(t, nil))
	th.server.Inject(winrmfake.Fault{Action: winrmfake.ActionReceive, Kind: winrmfake.Hang})
	start := time.Now()
	_, err := c.Run(ctxFor(t), transport.Command{Line: "out x"})
	wantErr(t, "hung Receive", err, transport.ErrUnreachable)
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("hung Receive took %v, want about the 2.3s HTTP timeout", d)
	}
}

// TestCancelHungReceive (P5): cancelling aborts even a Receive the host
// never answers.
func TestCancelHungReceive(t *testing.T) {
	t.Parallel()
	th := newTestHost(t, hostConfig{handler: cmdHandler})
	c := th.dial(t, Options{}, th.target(t, nil))
	th.server.Inject(winrmfake.Fault{Action: winrmfake.ActionReceive, Kind: winrmfake.Hang})
	ctx, cancel := context.WithTimeout(ctxFor(t), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.Run(ctx, transport.Command{Line: "out x"})
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > time.Second {
		t.Errorf("Run = %v after %v; want DeadlineExceeded after about 200ms", err, time.Since(start))
	}
}

// TestDroppedConnection: a connection closed under a request makes the
// call fail as unreachable; the next call reconnects.
func TestDroppedConnection(t *testing.T) {
	t.Parallel()
	th := newTestHost(t, hostConfig{handler: cmdHandler})
	c := th.dial(t, Options{}, th.target(t, nil))
	th.server.Inject(winrmfake.Fault{Action: winrmfake.ActionReceive, Kind: winrmfake.Drop, Times: 1})
	_, err := c.Run(ctxFor(t), transport.Command{Line: "out x"})
	wantErr(t, "dropped Receive", err, transport.ErrUnreachable)
	if res, err := c.Run(ctxFor(t), transport.Command{Line: "out y"}); err != nil || string(res.Stdout) != "y" {
		t.Errorf("after the drop: %q, %v", res.Stdout, err)
	}
}

// TestDefaultParametersUntouched (P6): dialing and running, with NTLM,
// leave the library's shared DefaultParameters as they were, and every
// request carries rotplay's own OperationTimeout and envelope size.
func TestDefaultParametersUntouched(t *testing.T) {
	before := *winrm.DefaultParameters // not parallel: reads a global
	th := newTestHost(t, hostConfig{fake: winrmfake.Config{NTLM: true, TLS: true}})
	c := th.dial(t, Options{OperationTimeout: 7 * time.Second}, th.target(t, map[string]any{varAuth: "ntlm"}))
	if _, err := c.Stat(ctxFor(t), `C:\Windows`); err != nil {
		t.Fatal(err)
	}
	after := winrm.DefaultParameters
	if after.Timeout != before.Timeout || after.Locale != before.Locale || after.EnvelopeSize != before.EnvelopeSize ||
		after.TransportDecorator != nil || after.Dial != nil || before.TransportDecorator != nil {
		t.Errorf("DefaultParameters changed: %+v, was %+v", *after, before)
	}
	for _, r := range th.server.Log() {
		if r.OperationTimeout != "PT7S" || r.MaxEnvelopeSize != strconv.Itoa(envelopeSize) {
			t.Fatalf("%s sent OperationTimeout %s, MaxEnvelopeSize %s; want PT7S, %d", r.Action, r.OperationTimeout, r.MaxEnvelopeSize, envelopeSize)
		}
	}
}

// TestStdinPipe (P9): commands are started with WINRS_CONSOLEMODE_STDIN
// FALSE, so that stdin is a pipe PowerShell reads to its end (what
// Ansible sends); the library hard-codes TRUE.
func TestStdinPipe(t *testing.T) {
	t.Parallel()
	th := newTestHost(t, hostConfig{})
	th.dial(t, Options{}, th.target(t, nil))
	for _, r := range th.server.Log() {
		if r.Action == winrmfake.ActionCommand && (r.Options["WINRS_CONSOLEMODE_STDIN"] != "FALSE" || r.Options["WINRS_SKIP_CMD_SHELL"] != "FALSE") {
			t.Errorf("Command options %v", r.Options)
		}
	}
}

// TestCommandLineTooLong (P8): cmd.exe refuses a line over 8,191
// characters; that is the command's result, not a transport error.
func TestCommandLineTooLong(t *testing.T) {
	t.Parallel()
	th := newTestHost(t, hostConfig{handler: cmdHandler})
	c := th.dial(t, Options{}, th.target(t, nil))
	res, err := c.Run(ctxFor(t), transport.Command{Line: "out " + strings.Repeat("x", 8188)})
	if err != nil || res.ExitCode != 1 || string(res.Stderr) != "The command line is too long.\r\n" {
		t.Errorf("8,192-character line: %+v, %v", res, err)
	}
}

// TestTransporterInLibraryClient: strictTransport works as the library's
// TransportDecorator too, and gives its Client typed errors (P12).
func TestTransporterInLibraryClient(t *testing.T) {
	t.Parallel()
	th := newTestHost(t, hostConfig{fake: winrmfake.Config{Basic: true}})
	h, err := testDialer(Options{}).resolve(th.target(t, map[string]any{varPassword: "wrong", varAuth: "basic"}))
	if err != nil {
		t.Fatal(err)
	}
	st, err := newStrictTransport(h, time.Second, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	p := winrm.NewParameters("PT5S", "en-US", envelopeSize)
	p.TransportDecorator = func() winrm.Transporter { return st }
	client, err := winrm.NewClientWithParameters(winrm.NewEndpoint("127.0.0.1", th.port, false, false, nil, nil, nil, 5*time.Second), h.user, h.password, p)
	if err != nil {
		t.Fatal(err)
	}
	_, err = client.CreateShell()
	var httpErr *HTTPError
	if !errors.As(err, &httpErr) || httpErr.Status != 401 {
		t.Errorf("CreateShell with a wrong password: %v, want an *HTTPError with status 401", err)
	}
}
