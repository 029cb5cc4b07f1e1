package scripts

import (
	"os"
	"strings"
	"testing"

	"github.com/rotplay/rotplay/internal/powershell"
)

// TestScripts: every script has its file's name in its marker, fits
// cmd.exe's command line with room to spare, is plain ASCII with LF line
// endings (what is budgeted is what is sent), and All lists every .ps1
// file here.
func TestScripts(t *testing.T) {
	t.Parallel()
	files, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]powershell.Script{}
	for _, s := range All() {
		listed[s.Name+".ps1"] = s
	}
	for _, f := range files {
		if strings.HasSuffix(f.Name(), ".ps1") {
			if _, ok := listed[f.Name()]; !ok {
				t.Errorf("%s is not in All() or its marker names another script", f.Name())
			}
		}
	}
	for file, s := range listed {
		if b := powershell.Budget(s.Text); b < 500 {
			t.Errorf("%s: %d characters of command line left, want >= 500 so that fixes fit", file, b)
		}
		for i, c := range []byte(s.Text) {
			if c >= 0x80 || c == '\r' || c == '\t' {
				t.Errorf("%s: byte %d is %q: scripts are ASCII with LF line endings and spaces", file, i, c)
				break
			}
		}
		if !strings.HasSuffix(s.Text, "\n") {
			t.Errorf("%s does not end with a newline", file)
		}
	}
}
