package winrm

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rotplay/rotplay/internal/winrmfake"
	"github.com/rotplay/rotplay/transport"
)

// cmdHandler stands in for cmd.exe with a tiny language: "exit N", "cat"
// (stdin to stdout), "out X" and "err X" (to stdout, stderr), "big N"
// (N bytes), "sleep MS", "wait" (until terminated, then exit 99),
// "line" (prints the command line it got).
func cmdHandler(ctx context.Context, req winrmfake.Request) int {
	cmd, arg, _ := strings.Cut(req.CommandLine, " ")
	switch cmd {
	case "exit":
		n, _ := strconv.Atoi(arg)
		return n
	case "cat":
		if _, err := io.Copy(req.Stdout, req.Stdin); err != nil {
			return 2
		}
	case "out":
		fmt.Fprint(req.Stdout, arg)
	case "err":
		fmt.Fprint(req.Stderr, arg)
	case "big":
		n, _ := strconv.Atoi(arg)
		_, _ = req.Stdout.Write(bytes.Repeat([]byte("x"), n))
	case "sleep":
		ms, _ := strconv.Atoi(arg)
		select {
		case <-time.After(time.Duration(ms) * time.Millisecond):
		case <-ctx.Done():
			return 98
		}
	case "wait":
		<-ctx.Done()
		return 99
	default:
		fmt.Fprint(req.Stdout, req.CommandLine)
	}
	return 0
}

func TestRun(t *testing.T) {
	t.Parallel()
	th := newTestHost(t, hostConfig{handler: cmdHandler, fake: winrmfake.Config{MaxReceiveBytes: 4096}})
	c := th.dial(t, Options{}, th.target(t, nil))
	large := make([]byte, 1<<20+17)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range large {
		large[i] = byte(rng.Uint32())
	}
	tests := []struct {
		name   string
		cmd    transport.Command
		stdout string
		stderr string
		code   int
	}{
		{"exit code", transport.Command{Line: "exit 42"}, "", "", 42},
		{"stdout", transport.Command{Line: "out hello"}, "hello", "", 0},
		{"stderr", transport.Command{Line: "err oops"}, "", "oops", 0},
		{"nil stdin reads as empty", transport.Command{Line: "cat"}, "", "", 0},
		{"stdin to EOF", transport.Command{Line: "cat", Stdin: strings.NewReader("hello\r\nworld\n")}, "hello\r\nworld\n", "", 0},
		{"binary stdin, many Sends", transport.Command{Line: "cat", Stdin: bytes.NewReader(large)}, string(large), "", 0},
		{"output over many Receives", transport.Command{Line: "big 100000"}, strings.Repeat("x", 100000), "", 0},
		{"dir", transport.Command{Line: "line", Dir: `C:\Program Files\x`}, `cd /d "C:\Program Files\x" && line`, "", 0},
		{"CDATA end in the line", transport.Command{Line: "echo a]]>b<c>&d"}, "echo a]]>b<c>&d", "", 0},
	}
	for _, tc := range tests {
		res, err := c.Run(ctxFor(t), tc.cmd)
		if err != nil || string(res.Stdout) != tc.stdout || string(res.Stderr) != tc.stderr || res.ExitCode != tc.code {
			t.Errorf("%s: stdout %.40q (%d bytes), stderr %q, exit %d, err %v; want %.40q, %q, %d",
				tc.name, res.Stdout, len(res.Stdout), res.Stderr, res.ExitCode, err, tc.stdout, tc.stderr, tc.code)
		}
	}
	if _, err := c.Run(ctxFor(t), transport.Command{Line: "x", Dir: `C:\a"b`}); err == nil {
		t.Error("a Dir with a quote was accepted")
	}
}

// TestRunDirOnHost: a missing working directory is a failed command, as
// cmd.exe reports it, not a transport error.
func TestRunDirOnHost(t *testing.T) {
	t.Parallel()
	th := newTestHost(t, hostConfig{})
	c := th.dial(t, Options{}, th.target(t, nil))
	res, err := c.Run(ctxFor(t), transport.Command{Line: "ipconfig", Dir: `C:\nosuch`})
	if err != nil || res.ExitCode != 1 || string(res.Stderr) != "The system cannot find the path specified.\r\n" {
		t.Errorf("Run in a missing directory: %+v, %v", res, err)
	}
}

// TestRunConcurrent: more calls at once than there are shells per Conn
// all get their own output.
func TestRunConcurrent(t *testing.T) {
	t.Parallel()
	th := newTestHost(t, hostConfig{handler: cmdHandler})
	c := th.dial(t, Options{}, th.target(t, nil))
	var wg sync.WaitGroup
	for i := range 3 * maxShells {
		wg.Go(func() {
			res, err := c.Run(ctxFor(t), transport.Command{Line: fmt.Sprintf("exit %d", i)})
			if err != nil || res.ExitCode != i {
				t.Errorf("run %d: exit %d, %v", i, res.ExitCode, err)
			}
		})
	}
	wg.Wait()
	if n := th.server.Shells(); n != 0 {
		t.Errorf("%d shells left open on the host", n)
	}
}

// TestRunCancel: ending ctx stops a command promptly, even with the
// default 20s OperationTimeout the library would wait out (P5); the
// command is terminated and its shell deleted on the host.
func TestRunCancel(t *testing.T) {
	t.Parallel()
	ended := make(chan struct{}, 2)
	handler := func(ctx context.Context, req winrmfake.Request) int {
		<-ctx.Done()
		ended <- struct{}{}
		return 99
	}
	th := newTestHost(t, hostConfig{handler: handler})
	c := th.dial(t, Options{}, th.target(t, nil))
	for _, tc := range []struct {
		name string
		ctx  func() (context.Context, context.CancelFunc)
		want error
	}{
		{"cancel", func() (context.Context, context.CancelFunc) {
			ctx, cancel := context.WithCancel(ctxFor(t))
			time.AfterFunc(200*time.Millisecond, cancel)
			return ctx, cancel
		}, context.Canceled},
		{"deadline", func() (context.Context, context.CancelFunc) {
			return context.WithTimeout(ctxFor(t), 200*time.Millisecond)
		}, context.DeadlineExceeded},
	} {
		ctx, cancel := tc.ctx()
		start := time.Now()
		res, err := c.Run(ctx, transport.Command{Line: "wait"})
		elapsed := time.Since(start)
		cancel()
		if !errors.Is(err, tc.want) || res.ExitCode != 0 || res.Stdout != nil {
			t.Errorf("%s: Run = %+v, %v; want no result and an error wrapping %v", tc.name, res, err, tc.want)
		}
		if elapsed > time.Second {
			t.Errorf("%s: Run returned %v after it started, want about 200ms", tc.name, elapsed)
		}
		select {
		case <-ended:
		case <-time.After(5 * time.Second):
			t.Errorf("%s: the command was not terminated on the host", tc.name)
		}
	}
	if !waitFor(func() bool { return th.server.Shells() == 0 }) {
		t.Errorf("%d shells left open after cancelled runs", th.server.Shells())
	}
}

// TestCloseDuringRun: Close aborts a call in progress, which fails with
// ErrClosed, and terminates its command.
func TestCloseDuringRun(t *testing.T) {
	t.Parallel()
	th := newTestHost(t, hostConfig{handler: cmdHandler})
	c := th.dial(t, Options{}, th.target(t, nil))
	done := make(chan error, 1)
	go func() {
		_, err := c.Run(ctxFor(t), transport.Command{Line: "wait"})
		done <- err
	}()
	time.Sleep(200 * time.Millisecond)
	start := time.Now()
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if err := <-done; !errors.Is(err, transport.ErrClosed) {
		t.Errorf("Run during Close: %v, want ErrClosed", err)
	}
	if time.Since(start) > 2*time.Second {
		t.Errorf("Close took %v", time.Since(start))
	}
	if n := th.server.Shells(); n != 0 {
		t.Errorf("Close left %d shells on the host", n)
	}
}

// TestCancelBlockedStdin: a stdin whose Read blocks does not keep Run
// from returning when ctx ends.
func TestCancelBlockedStdin(t *testing.T) {
	t.Parallel()
	th := newTestHost(t, hostConfig{handler: cmdHandler})
	c := th.dial(t, Options{}, th.target(t, nil))
	r, w := io.Pipe()
	defer w.Close()
	ctx, cancel := context.WithTimeout(ctxFor(t), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.Run(ctx, transport.Command{Line: "cat", Stdin: r})
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > time.Second {
		t.Errorf("Run = %v after %v; want DeadlineExceeded after about 200ms", err, time.Since(start))
	}
}

// TestRunOutputLimit: more than the limit on stdout fails the call with
// ErrOutputTooLarge; exactly the limit is kept whole.
func TestRunOutputLimit(t *testing.T) {
	t.Parallel()
	th := newTestHost(t, hostConfig{handler: cmdHandler, fake: winrmfake.Config{MaxReceiveBytes: 4096}})
	c := th.dial(t, Options{}, th.target(t, nil))
	const limit = 20000
	for _, r := range c.runners {
		r.maxOutput = limit
	}
	if _, err := c.Run(ctxFor(t), transport.Command{Line: fmt.Sprintf("big %d", limit+1)}); !errors.Is(err, transport.ErrOutputTooLarge) {
		t.Errorf("over the limit: %v, want ErrOutputTooLarge", err)
	}
	res, err := c.Run(ctxFor(t), transport.Command{Line: fmt.Sprintf("big %d", limit)})
	if err != nil || len(res.Stdout) != limit {
		t.Errorf("exactly the limit: %d bytes, %v", len(res.Stdout), err)
	}
}
