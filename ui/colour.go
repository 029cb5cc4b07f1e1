package ui

import "github.com/rotplay/rotplay/engine"

// ANSI SGR codes; only ever written when the caller said colour is wanted.
const (
	ansiReset   = "\x1b[0m"
	ansiBold    = "\x1b[1m"
	ansiRed     = "\x1b[31m"
	ansiGreen   = "\x1b[32m"
	ansiYellow  = "\x1b[33m"
	ansiMagenta = "\x1b[35m"
)

// statusColour is the colour a status is shown in; "" for none.
func statusColour(s engine.Status) string {
	switch s {
	case engine.StatusFailed:
		return ansiRed
	case engine.StatusUnreachable:
		return ansiMagenta
	case engine.StatusChanged:
		return ansiYellow
	case engine.StatusOK:
		return ansiGreen
	}
	return ""
}

// paint wraps s in code when on is true and there is a code.
func paint(on bool, code, s string) string {
	if !on || code == "" || s == "" {
		return s
	}
	return code + s + ansiReset
}
