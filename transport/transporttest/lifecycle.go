package transporttest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/rotplay/rotplay/transport"
)

var lifecycleTests = []test{
	{name: "Facts", shell: false, modes: false, run: testFacts},
	{name: "Closed", shell: false, modes: false, run: testClosed},
	{name: "CancelledContext", shell: false, modes: false, run: testCancelledContext},
	{name: "ConcurrentFiles", shell: false, modes: false, run: testConcurrentFiles},
}

func testFacts(t *testing.T, h Harness) {
	if f := h.conn(t).Facts(); f.OS == "" {
		t.Errorf("Facts().OS is empty: %+v", f)
	}
}

// calls exercises every I/O method of c on p and returns their errors by
// name. Run's command is harmless wherever it might run, but it must not.
func calls(ctx context.Context, c transport.Conn, p string) map[string]error {
	_, runErr := c.Run(ctx, transport.Command{Line: "exit 0"})
	_, _, readErr := c.ReadFile(ctx, p)
	_, statErr := c.Stat(ctx, p)
	return map[string]error{
		"Run":       runErr,
		"ReadFile":  readErr,
		"Stat":      statErr,
		"WriteFile": c.WriteFile(ctx, p, []byte("x"), transport.WriteOptions{}),
	}
}

// testClosed: Close is idempotent and every later call fails with
// ErrClosed, doing nothing.
func testClosed(t *testing.T, h Harness) {
	c := h.Dial(t)
	if err := c.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := c.Close(); err != nil {
		t.Errorf("second Close: %v, want nil (Close is idempotent)", err)
	}
	p := h.join(h.TempDir(t), "after-close")
	for name, err := range calls(testContext(t), c, p) {
		if !errors.Is(err, transport.ErrClosed) {
			t.Errorf("%s after Close: error = %v, want one wrapping ErrClosed", name, err)
		}
	}
	if _, err := h.conn(t).Stat(testContext(t), p); !transport.IsNotExist(err) {
		t.Errorf("WriteFile after Close created the file (Stat error %v)", err)
	}
}

// testCancelledContext: a call whose ctx has already ended does nothing
// and fails with an error wrapping ctx.Err().
func testCancelledContext(t *testing.T, h Harness) {
	c := h.conn(t)
	p := h.join(h.TempDir(t), "cancelled")
	ctx, cancel := context.WithCancel(testContext(t))
	cancel()
	for name, err := range calls(ctx, c, p) {
		if !errors.Is(err, context.Canceled) {
			t.Errorf("%s with a cancelled ctx: error = %v, want one wrapping context.Canceled", name, err)
		}
	}
	if _, err := c.Stat(testContext(t), p); !transport.IsNotExist(err) {
		t.Errorf("WriteFile with a cancelled ctx created the file (Stat error %v)", err)
	}
}

// testConcurrentFiles: file calls on different paths may run at once.
func testConcurrentFiles(t *testing.T, h Harness) {
	c := h.conn(t)
	dir := h.TempDir(t)
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Go(func() {
			ctx := testContext(t)
			p := h.join(dir, fmt.Sprintf("f%d", i))
			want := fmt.Sprintf("content %d", i)
			if err := c.WriteFile(ctx, p, []byte(want), transport.WriteOptions{}); err != nil {
				t.Errorf("WriteFile %d: %v", i, err)
				return
			}
			data, _, err := c.ReadFile(ctx, p)
			if err != nil || string(data) != want {
				t.Errorf("ReadFile %d: %q, %v; want %q", i, data, err, want)
			}
		})
	}
	wg.Wait()
}
