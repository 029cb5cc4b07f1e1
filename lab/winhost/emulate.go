package winhost

import (
	"errors"
	"io"
	"io/fs"

	"github.com/rotplay/rotplay/internal/powershell"
)

// reply writes v as a script's result line: ASCII-only JSON, as the
// scripts' Out-Json writes it.
func reply(w io.Writer, v any) {
	line, err := powershell.Input(v)
	if err != nil {
		panic(err) // the emulations reply with plain structs
	}
	_, _ = w.Write(line)
}

// failure is a script's Fail: {"error":KIND,"message":M} and exit 1.
func failure(w io.Writer, kind, msg string) int {
	reply(w, struct {
		Error   string `json:"error"`
		Message string `json:"message"`
	}{kind, msg})
	return 1
}

// kindOf classifies an error as the scripts' catch blocks classify .NET
// exceptions: not found, access denied, or other.
func kindOf(err error) string {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "notexist"
	case errors.Is(err, fs.ErrPermission):
		return "denied"
	}
	return "other"
}
