// Package pwsh runs rotplay's constant PowerShell scripts on a Windows host
// for the modules: the input goes as one JSON line on stdin, the answer
// comes back as one JSON line on stdout, so no value (a token) is ever
// spliced into script text or a command line.
package pwsh

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/rotplay/rotplay/internal/powershell"
	"github.com/rotplay/rotplay/modules"
	"github.com/rotplay/rotplay/transport"
)

// failure is what a script prints as its last line when it fails.
type failure struct {
	Error string `json:"error"`
}

// Run runs script on the host with in as its input and decodes its result
// into out. A script that exits non-zero fails with its "error" line, or
// with its cleaned stderr. Errors never contain the input.
func Run(ctx context.Context, conn transport.Conn, script powershell.Script, in, out any) error {
	line, err := script.Command()
	if err != nil {
		return err
	}
	input, err := powershell.Input(in)
	if err != nil {
		return err
	}
	res, err := conn.Run(ctx, transport.Command{Line: line, Stdin: bytes.NewReader(input)})
	if err != nil {
		return fmt.Errorf("run %s: %w", script.ID(), err)
	}
	if res.ExitCode != 0 {
		return fmt.Errorf("%s failed (exit %d): %s", script.ID(), res.ExitCode, reason(res))
	}
	if err := powershell.ParseResult(res.Stdout, out); err != nil {
		return fmt.Errorf("%s: %w", script.ID(), err)
	}
	return nil
}

func reason(res transport.Result) string {
	var f failure
	if powershell.ParseResult(res.Stdout, &f) == nil && f.Error != "" {
		return f.Error
	}
	msg := strings.TrimSpace(powershell.CleanStderr(string(res.Stderr)))
	if msg == "" {
		return "no message"
	}
	first, _, _ := strings.Cut(msg, "\n")
	return first
}

// IsWindows reports whether the module runs on a Windows host: the
// inventory's os var when set, else what the transport found.
func IsWindows(h modules.Host) bool {
	if hv, ok := h.Vars["host"].(map[string]any); ok {
		if os, ok := hv["os"].(string); ok && os != "" {
			return os == "windows"
		}
	}
	return h.Conn != nil && h.Conn.Facts().OS == "windows"
}

// DecodeInput is for simulated hosts and tests: it decodes the JSON line a
// script reads from stdin.
func DecodeInput(stdin []byte, v any) error {
	line, _, _ := bytes.Cut(stdin, []byte("\n"))
	return json.Unmarshal(line, v)
}
