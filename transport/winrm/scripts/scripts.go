// Package scripts holds the PowerShell scripts that the winrm transport
// runs on Windows hosts, embedded from the .ps1 files beside this one.
// Each is a constant with a marker line (see internal/powershell): data
// reaches it as one JSON line on stdin, its result leaves as one JSON line
// on stdout. Package lab/winhost emulates each of them; change a script's
// input or output, and its version in the marker, together with the
// emulation.
package scripts

import (
	_ "embed"

	"github.com/rotplay/rotplay/internal/powershell"
)

var (
	//go:embed facts.ps1
	factsText string
	//go:embed stat-file.ps1
	statText string
	//go:embed read-file.ps1
	readText string
	//go:embed write-file.ps1
	writeText string
)

// The scripts. Their inputs and outputs are described in their headers.
var (
	// Facts tells the host's architecture, name and the user commands run as.
	Facts = powershell.MustScript(factsText)
	// StatFile tells whether a path is a directory, and a file's size.
	StatFile = powershell.MustScript(statText)
	// ReadFile returns a file's content, base64-encoded, up to a maximum size.
	ReadFile = powershell.MustScript(readText)
	// WriteFile replaces a file atomically with the base64 content given.
	WriteFile = powershell.MustScript(writeText)
)

// All returns every script, for checks and simulated hosts.
func All() []powershell.Script { return []powershell.Script{Facts, StatFile, ReadFile, WriteFile} }
