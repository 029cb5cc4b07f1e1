// Package winemu emulates, in Go, what rotplay's constant PowerShell
// scripts for Windows modules do on a real host (registry, services,
// oneagentctl.exe), on in-memory state. Simulated Windows hosts (the lab)
// and module tests run them in place of powershell.exe, with the same JSON
// input and output and the same failure cases as the real scripts.
//
// Nothing here is on the path of a real run.
package winemu

import (
	"encoding/json"
	"io"
)

// reply writes v as the script's one-line JSON answer.
func reply(w io.Writer, v any) {
	b, _ := json.Marshal(v)
	w.Write(append(b, '\n'))
}

// fail answers as a script's catch block does: {"error": msg}, exit 1.
func fail(w io.Writer, msg string) int {
	reply(w, map[string]string{"error": msg})
	return 1
}
