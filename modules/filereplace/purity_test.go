package filereplace

import (
	"go/parser"
	"go/token"
	"strconv"
	"strings"
	"testing"
)

// textFiles hold the text editing, which must not depend on the transport
// or anything else of rotplay: it is pure and fuzzed on its own.
var textFiles = []string{"encoding.go", "lines.go", "kv.go", "section.go", "edit.go"}

func TestTextEditingIsPure(t *testing.T) {
	t.Parallel()
	fset := token.NewFileSet()
	for _, name := range textFiles {
		f, err := parser.ParseFile(fset, name, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			if strings.HasPrefix(path, "github.com/rotplay/") {
				t.Errorf("%s imports %s; keep the text editing free of rotplay packages", name, path)
			}
		}
	}
}
