package powershell

import (
	"fmt"
	"regexp"
	"strings"
)

// Script is one constant PowerShell script, identified by the marker on its
// first line: `# rotplay-script: NAME/VERSION`. A simulated host recognises
// a script by its marker and checks that the text is exactly the one it
// emulates, so that script and emulation cannot drift apart unnoticed; the
// version changes whenever the script's input or output changes.
type Script struct {
	Name    string // lower-case words joined by "-", e.g. "read-file"
	Version string // decimal digits
	Text    string // the whole script, marker line included
}

// markerRE is the marker line.
var markerRE = regexp.MustCompile(`^# rotplay-script: ([a-z][a-z0-9-]*)/([0-9]+)$`)

// ParseScript reads the marker of text. Scripts are stored with LF line
// endings; a marker line ending in CR is refused, so that a checkout that
// rewrote line endings (and so the script's bytes) is noticed.
func ParseScript(text string) (Script, error) {
	first, _, _ := strings.Cut(text, "\n")
	m := markerRE.FindStringSubmatch(first)
	if m == nil {
		return Script{}, fmt.Errorf("script does not start with a marker line `# rotplay-script: NAME/VERSION` (first line %.60q)", first)
	}
	return Script{Name: m[1], Version: m[2], Text: text}, nil
}

// MustScript is ParseScript for embedded constants: a script without a
// marker is a programming error, found by the first test that loads it.
func MustScript(text string) Script {
	s, err := ParseScript(text)
	if err != nil {
		panic(err)
	}
	return s
}

// ID is NAME/VERSION, as written in the marker.
func (s Script) ID() string { return s.Name + "/" + s.Version }

// Command is Command(s.Text).
func (s Script) Command() (string, error) { return Command(s.Text) }
