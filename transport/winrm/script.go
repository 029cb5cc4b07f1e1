package winrm

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/rotplay/rotplay/internal/powershell"
)

// Errors the file scripts report, by their "error" kind.
var (
	errIsDir    = errors.New("is a directory")
	errTooLarge = errors.New("file too large")
)

// scriptFailure is a script's answer when it fails: {"error":KIND,
// "message":M} and exit 1.
type scriptFailure struct {
	Error   string `json:"error"`
	Message string `json:"message"`
}

func (f scriptFailure) err() error {
	kinds := map[string]error{
		"notexist":    fs.ErrNotExist,
		"isdir":       errIsDir,
		"denied":      fs.ErrPermission,
		"toolarge":    errTooLarge,
		"unsupported": errors.ErrUnsupported,
	}
	return &hostError{msg: f.Message, kind: kinds[f.Error]}
}

// hostError is a failure a script reported, in its own words, matching
// the error of its kind (fs.ErrNotExist, ...) when it has one.
type hostError struct {
	msg  string
	kind error
}

func (e *hostError) Error() string { return e.msg }
func (e *hostError) Unwrap() error { return e.kind }

// script runs one of package scripts' scripts with in as its JSON input
// and decodes its result line into out. The input goes on stdin only.
func (c *conn) script(ctx context.Context, s powershell.Script, in, out any) error {
	line, err := s.Command()
	if err != nil {
		return err
	}
	input, err := powershell.Input(in)
	if err != nil {
		return err
	}
	res, err := c.execute(ctx, line, bytes.NewReader(input))
	if err != nil {
		return err
	}
	if res.code != 0 {
		var f scriptFailure
		if powershell.ParseResult(res.stdout, &f) == nil && f.Error != "" {
			return f.err()
		}
		return fmt.Errorf("script %s failed on the host (exit %d): %s", s.ID(), res.code, stderrLine(res.stderr))
	}
	if err := powershell.ParseResult(res.stdout, out); err != nil {
		return fmt.Errorf("script %s: %w", s.ID(), err)
	}
	return nil
}

// stderrLine is the first line of PowerShell's stderr as text, bounded.
func stderrLine(b []byte) string {
	s := strings.TrimSpace(powershell.CleanStderr(string(b)))
	s, _, _ = strings.Cut(s, "\n")
	if len(s) > 300 {
		s = s[:300] + "..."
	}
	if s == "" {
		return "no message"
	}
	return strings.TrimSpace(s)
}
