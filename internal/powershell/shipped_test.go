package powershell

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rotplay/rotplay/internal/golden"
)

// shippedScripts returns every .ps1 file of the module outside testdata
// and node_modules, by path relative to the module root.
func shippedScripts(t *testing.T) map[string]string {
	t.Helper()
	root := filepath.Join("..", "..")
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("module root not found: %v", err)
	}
	scripts := map[string]string{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() && p != root && (name == "testdata" || name == "node_modules" || strings.HasPrefix(name, ".")) {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(name, ".ps1") {
			return nil
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(root, p)
		scripts[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return scripts
}

// TestShippedScripts: every .ps1 in the repository has a marker line, a
// marker no other script has, and fits cmd.exe's command line when sent
// with Command.
func TestShippedScripts(t *testing.T) {
	t.Parallel()
	scripts := shippedScripts(t)
	if len(scripts) < 4 {
		t.Fatalf("found %d scripts, want at least the winrm transport's 4", len(scripts))
	}
	seen := map[string]string{}
	for file, text := range scripts {
		s, err := ParseScript(text)
		if err != nil {
			t.Errorf("%s: %v", file, err)
			continue
		}
		if other, dup := seen[s.ID()]; dup {
			t.Errorf("%s and %s both have marker %s", file, other, s.ID())
		}
		seen[s.ID()] = file
		if b := Budget(text); b < 0 {
			t.Errorf("%s: command line %d characters over cmd.exe's limit", file, -b)
		} else {
			t.Logf("%s (%s): %d characters, %d left of the command line", file, s.ID(), len(text), b)
		}
		// The exact command line each script is sent as, so that a change
		// to any shipped script shows up in review as a golden diff.
		if line, err := s.Command(); err == nil {
			golden.Check(t, filepath.Join("testdata", "commands", s.Name+".txt"), line+"\n")
		}
	}
}
