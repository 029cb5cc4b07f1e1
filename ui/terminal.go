package ui

import (
	"io"
	"os"

	"golang.org/x/term"
)

// IsTerminal reports whether w is a terminal: only an *os.File can be one,
// so wrapped or buffered writers never are.
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && f != nil && term.IsTerminal(int(f.Fd()))
}

// UseColour reports whether output to w may be coloured: only on a terminal,
// and not when NO_COLOR (https://no-color.org) has any non-empty value.
// getenv is os.Getenv outside tests.
func UseColour(w io.Writer, getenv func(string) string) bool {
	return getenv("NO_COLOR") == "" && IsTerminal(w)
}
