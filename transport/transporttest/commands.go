package transporttest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rotplay/rotplay/transport"
)

var commandTests = []test{
	{name: "RunExitCode", shell: true, modes: false, run: testRunExitCode},
	{name: "RunSeparatesStdoutAndStderr", shell: true, modes: false, run: testRunOutput},
	{name: "RunStdin", shell: true, modes: false, run: testRunStdin},
	{name: "RunDir", shell: true, modes: false, run: testRunDir},
	{name: "RunCancel", shell: true, modes: false, run: testRunCancel},
	{name: "RunConcurrent", shell: true, modes: false, run: testRunConcurrent},
}

// testRunExitCode: a non-zero exit is a Result, never an error.
func testRunExitCode(t *testing.T, h Harness) {
	c := h.conn(t)
	for _, code := range []int{0, 1, 3, 42} {
		res := run(t, c, transport.Command{Line: fmt.Sprintf("exit %d", code)})
		if res.ExitCode != code {
			t.Errorf("exit %d: ExitCode = %d", code, res.ExitCode)
		}
	}
}

func testRunOutput(t *testing.T, h Harness) {
	c := h.conn(t)
	res := run(t, c, transport.Command{Line: "printf 'out\\n'; printf 'err\\n' >&2; printf 'out2'; exit 5"})
	if got, want := string(res.Stdout), "out\nout2"; got != want {
		t.Errorf("Stdout = %q, want %q", got, want)
	}
	if got, want := string(res.Stderr), "err\n"; got != want {
		t.Errorf("Stderr = %q, want %q", got, want)
	}
	if res.ExitCode != 5 {
		t.Errorf("ExitCode = %d, want 5", res.ExitCode)
	}
}

// testRunStdin feeds stdin to cat and expects it back byte for byte; nil
// stdin must read as empty, not hang.
func testRunStdin(t *testing.T, h Harness) {
	large := make([]byte, 1<<20+17)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range large {
		large[i] = byte(rng.Uint32())
	}
	tests := []struct {
		name string
		in   []byte
	}{
		{"nil", nil},
		{"text", []byte("hello\r\nworld\n")},
		{"binary-1MiB", large},
	}
	c := h.conn(t)
	for _, tc := range tests {
		cmd := transport.Command{Line: "cat"}
		if tc.in != nil {
			cmd.Stdin = bytes.NewReader(tc.in)
		}
		res := run(t, c, cmd)
		if !bytes.Equal(res.Stdout, tc.in) {
			t.Errorf("%s: cat returned %d bytes, want the %d given", tc.name, len(res.Stdout), len(tc.in))
		}
		if res.ExitCode != 0 {
			t.Errorf("%s: ExitCode = %d, stderr %q", tc.name, res.ExitCode, res.Stderr)
		}
	}
}

// testRunDir checks Dir by reading a file by its relative name, which does
// not depend on how the host spells the directory (symlinks, pwd -P).
func testRunDir(t *testing.T, h Harness) {
	c := h.conn(t)
	dir := h.TempDir(t)
	write(t, c, h.join(dir, "marker"), []byte("here"), transport.WriteOptions{})
	res := run(t, c, transport.Command{Line: "cat marker", Dir: dir})
	if string(res.Stdout) != "here" || res.ExitCode != 0 {
		t.Errorf("cat marker in %s: exit %d, stdout %q, stderr %q", dir, res.ExitCode, res.Stdout, res.Stderr)
	}
}

// testRunCancel: ending ctx stops a long command promptly, with an error
// wrapping ctx.Err().
func testRunCancel(t *testing.T, h Harness) {
	tests := []struct {
		name string
		ctx  func() (context.Context, context.CancelFunc)
		want error
	}{
		{"cancel", func() (context.Context, context.CancelFunc) {
			ctx, cancel := context.WithCancel(testContext(t))
			time.AfterFunc(200*time.Millisecond, cancel)
			return ctx, cancel
		}, context.Canceled},
		{"deadline", func() (context.Context, context.CancelFunc) {
			return context.WithTimeout(testContext(t), 200*time.Millisecond)
		}, context.DeadlineExceeded},
	}
	c := h.conn(t)
	for _, tc := range tests {
		ctx, cancel := tc.ctx()
		start := time.Now()
		_, err := c.Run(ctx, transport.Command{Line: "sleep 30"})
		elapsed := time.Since(start)
		cancel()
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: Run(sleep 30) error = %v, want one wrapping %v", tc.name, err, tc.want)
		}
		if elapsed > 2*time.Second {
			t.Errorf("%s: Run returned %v after ctx ended, want < 2s", tc.name, elapsed)
		}
	}
}

// testRunConcurrent: many Runs at once on one Conn each get their own
// output.
func testRunConcurrent(t *testing.T, h Harness) {
	c := h.conn(t)
	const n = 16
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			line := fmt.Sprintf("printf 'out%d'; printf 'err%d' >&2; exit %d", i, i, i)
			res, err := c.Run(testContext(t), transport.Command{Line: line})
			if err != nil {
				t.Errorf("run %d: %v", i, err)
				return
			}
			got := strings.Join([]string{string(res.Stdout), string(res.Stderr), fmt.Sprint(res.ExitCode)}, " ")
			if want := fmt.Sprintf("out%d err%d %d", i, i, i); got != want {
				t.Errorf("run %d: got %q, want %q", i, got, want)
			}
		})
	}
	wg.Wait()
}
