package ui

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/rotplay/rotplay/internal/golden"

	"github.com/rotplay/rotplay/engine"
)

func sampleRecap() *engine.Recap {
	return &engine.Recap{Duration: 2 * time.Second, Hosts: []*engine.HostRecap{
		{Name: "ag-1", Result: engine.StatusOK, Counts: map[engine.Status]int{engine.StatusOK: 3}},
		{Name: "ag-2", Result: engine.StatusChanged, Counts: map[engine.Status]int{engine.StatusOK: 1, engine.StatusChanged: 2}},
		{Name: "ag-3", Result: engine.StatusUnreachable, Reason: "connect: refused", Phase: "gates",
			Counts: map[engine.Status]int{engine.StatusUnreachable: 1}},
		{Name: "ag-long-name-4", Result: engine.StatusFailed, Reason: "exit 1: no such file\nmore", Phase: "gates",
			Counts: map[engine.Status]int{engine.StatusOK: 1, engine.StatusFailed: 1}},
	}}
}

// TestRecapGolden compares the recap, plain and coloured, with golden
// files; without colour the table is exactly text/tabwriter's.
func TestRecapGolden(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		file   string
		colour bool
	}{{"testdata/recap/plain.txt", false}, {"testdata/recap/colour.txt", true}} {
		var buf bytes.Buffer
		WriteRecapColour(&buf, sampleRecap(), tc.colour)
		golden.Check(t, tc.file, buf.String())
		if got := strings.Contains(buf.String(), "\x1b["); got != tc.colour {
			t.Errorf("%s: colour codes present: %v", tc.file, got)
		}
	}
	var plain bytes.Buffer
	WriteRecap(&plain, sampleRecap())
	var stripped bytes.Buffer
	WriteRecapColour(&stripped, sampleRecap(), true)
	if got := ansi.ReplaceAllString(stripped.String(), ""); got != plain.String() {
		t.Errorf("coloured recap without its codes differs from plain:\n%s\n%s", got, plain.String())
	}
}

// TestUseColour: never on a file that is not a terminal, never with
// NO_COLOR set to anything.
func TestUseColour(t *testing.T) {
	t.Parallel()
	f, err := os.Create(filepath.Join(t.TempDir(), "out"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	env := func(v string) func(string) string { return func(string) string { return v } }
	for _, tc := range []struct {
		name string
		w    any
		env  string
	}{{"file", f, ""}, {"pipe", w, ""}, {"buffer", &bytes.Buffer{}, ""}, {"nil file", (*os.File)(nil), ""},
		{"file NO_COLOR", f, "1"}} {
		out := tc.w.(interface{ Write([]byte) (int, error) })
		if IsTerminal(out) {
			t.Errorf("%s: IsTerminal is true", tc.name)
		}
		if UseColour(out, env(tc.env)) {
			t.Errorf("%s: UseColour is true", tc.name)
		}
	}
}

// TestTextVeryVerbose: -vv prints every line of a message, -v only the
// first.
func TestTextVeryVerbose(t *testing.T) {
	t.Parallel()
	task := &engine.Task{Index: 1, ModuleName: "command"}
	e := engine.Event{Kind: engine.TaskFinished, Host: "h", Task: task, Status: engine.StatusOK, Msg: "one\ntwo\nthree\n"}
	for v, want := range map[int]string{
		1: "  ok           h | command: one …\n",
		2: "  ok           h | command: one\n      | two\n      | three\n",
	} {
		var buf bytes.Buffer
		(&Text{W: &buf, Verbose: v}).Event(e)
		if buf.String() != want {
			t.Errorf("-v x%d: got %q, want %q", v, buf.String(), want)
		}
	}
}

var ansi = regexp.MustCompile("\x1b\\[[0-9;]*m")
