package main

import (
	"bytes"
	"testing"

	"github.com/alecthomas/kong"

	"github.com/rotplay/rotplay/internal/golden"
)

// TestReference keeps docs/reference.md equal to what the CLI definition
// and the module registry say.
func TestReference(t *testing.T) {
	t.Parallel()
	var c cli
	parser, err := kong.New(&c, kong.Name("rotplay"), kong.Vars{"version": "test"})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	writeReference(&buf, parser.Model.Node)
	golden.Check(t, "../../docs/reference.md", buf.String())
}
