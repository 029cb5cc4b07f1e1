package engine

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/rotplay/rotplay/internal/powershell"
	"github.com/rotplay/rotplay/transport"
)

// tracingConn records every operation on a host for CommandRan events
// (-vv), wrapping the transport rather than living in each implementation.
// The records are held until the task's module has returned, so that the
// secrets it learnt (a token a command printed) are known to the run's
// redaction before anything is shown.
type tracingConn struct {
	transport.Conn
	mu      sync.Mutex
	pending []traced
}

type traced struct{ msg, output string }

func (c *tracingConn) emit(msg, output string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.pending = append(c.pending, traced{msg, output})
}

// take returns and forgets what was recorded so far.
func (c *tracingConn) take() []traced {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.pending
	c.pending = nil
	return out
}

func (c *tracingConn) Run(ctx context.Context, cmd transport.Command) (transport.Result, error) {
	res, err := c.Conn.Run(ctx, cmd)
	status := fmt.Sprintf("exit %d", res.ExitCode)
	if err != nil {
		status = "error: " + err.Error()
	}
	out := strings.TrimRight(string(res.Stdout)+string(res.Stderr), "\n")
	c.emit(fmt.Sprintf("$ %s (%s)", summarizeLine(cmd.Line), status), truncate(out, 2000))
	return res, err
}

func (c *tracingConn) ReadFile(ctx context.Context, path string) ([]byte, transport.FileInfo, error) {
	data, info, err := c.Conn.ReadFile(ctx, path)
	c.emit(fmt.Sprintf("read %s (%d bytes%s)", path, len(data), errText(err)), "")
	return data, info, err
}

func (c *tracingConn) WriteFile(ctx context.Context, path string, data []byte, opts transport.WriteOptions) error {
	err := c.Conn.WriteFile(ctx, path, data, opts)
	c.emit(fmt.Sprintf("write %s (%d bytes%s)", path, len(data), errText(err)), "")
	return err
}

func errText(err error) string {
	if err != nil {
		return ", " + err.Error()
	}
	return ""
}

// summarizeLine shortens a command line for the operator: a PowerShell
// -EncodedCommand line becomes the name of its script, anything else is
// cut at 300 characters.
func summarizeLine(line string) string {
	if script, err := powershell.Decode(line); err == nil {
		if s, err := powershell.ParseScript(script); err == nil {
			return "powershell.exe -EncodedCommand <script " + s.ID() + ">"
		}
	}
	return truncate(line, 300)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + fmt.Sprintf(" … (%d more bytes)", len(s)-n)
}
