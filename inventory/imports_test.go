package inventory

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestImportsStayConfigOnly keeps inventory a config package: besides the
// standard library it may use only YAML and diagnostics, never transports,
// modules or the engine.
func TestImportsStayConfigOnly(t *testing.T) {
	t.Parallel()
	allowed := map[string]bool{
		"go.yaml.in/yaml/v3":              true,
		"github.com/rotplay/rotplay/diag": true,
	}
	files, err := filepath.Glob("*.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("no Go files found: %v", err)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			isStd := !strings.Contains(strings.Split(path, "/")[0], ".")
			if !isStd && !allowed[path] {
				t.Errorf("%s imports %s; inventory may only import the standard library, yaml and diag", name, path)
			}
		}
	}
}
