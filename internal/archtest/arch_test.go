// Package archtest checks the direction of imports between rotplay's
// packages (STYLE.md: config packages know nothing of execution, transports
// nothing of modules, the engine no concrete module or transport).
package archtest

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/rotplay/rotplay/"

// forbidden maps a package directory prefix to import prefixes its
// non-test code must not use. Nothing on the path of a real run (engine,
// modules, transports, the API client) may import lab/: simulators are for
// tests and the practice lab only.
var forbidden = map[string][]string{
	"diag":      {"engine", "transport", "modules", "ui", "cmd", "playbook", "inventory"},
	"playbook":  {"engine", "transport", "modules", "ui", "cmd", "inventory"},
	"inventory": {"engine", "transport", "modules", "ui", "cmd", "playbook", "tmpl"},
	"tmpl":      {"engine", "transport", "modules", "ui", "cmd", "playbook", "inventory"},
	"secret":    {"engine", "transport", "modules", "ui", "cmd", "playbook", "inventory"},
	"transport": {"engine", "modules", "ui", "cmd", "playbook", "inventory", "tmpl", "lab"},
	"modules":   {"engine", "ui", "cmd", "playbook", "inventory", "transport/local", "transport/fake", "lab"},
	"engine":    {"ui", "cmd", "transport/", "modules/", "lab", "dynatrace"},
	"dynatrace": {"engine", "transport", "modules", "ui", "cmd", "playbook", "inventory", "lab", "state"},
	"state":     {"engine", "transport", "modules", "ui", "cmd", "playbook", "inventory", "lab", "dynatrace"},
	"ui":        {"cmd", "transport/", "modules/"},
}

func TestImportDirection(t *testing.T) {
	root := "../.."
	checked := 0
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		rel, _ := filepath.Rel(root, filepath.Dir(path))
		rules := rulesFor(filepath.ToSlash(rel))
		if rules == nil {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		checked++
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			for _, bad := range rules {
				if strings.HasPrefix(p, module+bad) {
					t.Errorf("%s imports %s: %s must not depend on %s", path, p, rel, bad)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 20 {
		t.Fatalf("only %d files checked; is the walk rooted right?", checked)
	}
}

func rulesFor(dir string) []string {
	best := ""
	for prefix := range forbidden {
		if (dir == prefix || strings.HasPrefix(dir, prefix+"/")) && len(prefix) > len(best) {
			best = prefix
		}
	}
	if best == "" {
		return nil
	}
	return forbidden[best]
}
