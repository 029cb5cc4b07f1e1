package syntaxcheck

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// requireEnv makes a missing checker a failure instead of a skip.
const requireEnv = "ROTPLAY_PS_SYNTAX"

// checker returns the node binary, or skips (fails under
// ROTPLAY_PS_SYNTAX=require) when node or the npm packages are missing.
func checker(t *testing.T) string {
	t.Helper()
	node, err := exec.LookPath("node")
	missing := ""
	switch {
	case err != nil:
		missing = "node is not installed"
	case !exists("node_modules/tree-sitter/package.json") || !exists("node_modules/tree-sitter-powershell/package.json"):
		missing = "the npm packages are not installed (npm ci --prefix internal/powershell/syntaxcheck)"
	}
	if missing == "" {
		return node
	}
	if os.Getenv(requireEnv) == "require" {
		t.Fatalf("PowerShell syntax check required (%s=require), but %s", requireEnv, missing)
	}
	t.Skipf("PowerShell syntax check skipped: %s", missing)
	return ""
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// check runs check.mjs on files and returns its output and whether all
// parsed.
func check(t *testing.T, node string, files ...string) (string, bool) {
	t.Helper()
	out, err := exec.Command(node, append([]string{"--no-deprecation", "check.mjs"}, files...)...).CombinedOutput()
	if _, ok := err.(*exec.ExitError); err != nil && !ok {
		t.Fatalf("run node: %v", err)
	}
	return string(out), err == nil
}

// repoScripts returns every .ps1 file of the repository outside
// node_modules and hidden directories; testdata is included, so that a
// fixture too must be valid PowerShell.
func repoScripts(t *testing.T) []string {
	t.Helper()
	root := filepath.Join("..", "..", "..")
	var files []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && p != root && (d.Name() == "node_modules" || strings.HasPrefix(d.Name(), ".")) {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(d.Name(), ".ps1") {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestScriptsParse: every .ps1 file in the repository parses.
func TestScriptsParse(t *testing.T) {
	t.Parallel()
	node := checker(t)
	files := repoScripts(t)
	if len(files) < 4 {
		t.Fatalf("found %d .ps1 files, want at least the winrm transport's 4", len(files))
	}
	if out, ok := check(t, node, files...); !ok {
		t.Errorf("PowerShell syntax errors:\n%s", out)
	}
}

// TestBrokenScriptsFlagged: the checker catches the kinds of break it is
// there for, with file and line.
func TestBrokenScriptsFlagged(t *testing.T) {
	t.Parallel()
	node := checker(t)
	dir := t.TempDir()
	broken := map[string]string{
		"brace.ps1":  "if ($x) {\n    'open'\n",
		"string.ps1": "$s = \"never closed\n",
		"paren.ps1":  "Write-Output (1 + 2\n",
		"try.ps1":    "try { 1 } catch {\n",
	}
	var files []string
	for name, text := range broken {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		files = append(files, p)
	}
	out, ok := check(t, node, files...)
	if ok {
		t.Fatalf("broken scripts passed:\n%s", out)
	}
	for _, p := range files {
		if !strings.Contains(out, p+":") {
			t.Errorf("%s not reported:\n%s", filepath.Base(p), out)
		}
	}
	good := filepath.Join(dir, "good.ps1")
	if err := os.WriteFile(good, []byte("if ($x) { 'closed' }\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, ok := check(t, node, good); !ok {
		t.Errorf("a valid script was flagged:\n%s", out)
	}
}
