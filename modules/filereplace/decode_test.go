package filereplace

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/rotplay/rotplay/internal/golden"

	"go.yaml.in/yaml/v3"

	"github.com/rotplay/rotplay/diag"
	"github.com/rotplay/rotplay/modules"
)

// playFile is the file name Decode puts in positions; testdata paths would
// make the golden files depend on the directory layout.
const playFile = "play.yml"

// taskArgs parses a playbook snippet holding one task and returns the node
// under its file_replace key, as the compiler hands it to Decode.
func taskArgs(t *testing.T, src string) *yaml.Node {
	t.Helper()
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
		t.Fatalf("parse task: %v", err)
	}
	task := doc.Content[0].Content[0]
	for i := 0; i+1 < len(task.Content); i += 2 {
		if task.Content[i].Value == moduleName {
			return task.Content[i+1]
		}
	}
	t.Fatalf("no %s key in task:\n%s", moduleName, src)
	return nil
}

// fixedNow is the clock of tests: backups are named after it.
var fixedNow = time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC)

func testModule() *module { return &module{now: func() time.Time { return fixedNow }} }

// TestDecodeDiagnostics decodes each testdata/decode/<scenario>/task.yaml
// and compares the diagnostics with want.txt (go test -update rewrites it).
func TestDecodeDiagnostics(t *testing.T) {
	t.Parallel()
	dirs, err := filepath.Glob("testdata/decode/*")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no scenarios under testdata/decode: %v", err)
	}
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			t.Parallel()
			src, err := os.ReadFile(filepath.Join(dir, "task.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			_, err = testModule().Decode(playFile, taskArgs(t, string(src)))
			if err == nil {
				t.Fatal("Decode succeeded, want diagnostics")
			}
			assertPositioned(t, err)
			golden.Check(t, filepath.Join(dir, "want.txt"), err.Error()+"\n")
		})
	}
}

// assertPositioned checks that every diagnostic carries file:line:col.
func assertPositioned(t *testing.T, err error) {
	t.Helper()
	var list diag.List
	if !errors.As(err, &list) {
		t.Fatalf("error %T is not a diag.List: %v", err, err)
	}
	for _, e := range list {
		if e.Pos.File != playFile || e.Pos.Line == 0 || e.Pos.Col == 0 {
			t.Errorf("diagnostic without file:line:col: %v", e)
		}
	}
}

// TestDecodeAccepts checks argument sets that must decode, templates
// included: those are checked again once rendered.
func TestDecodeAccepts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		src  string
	}{
		{"key mode", "- file_replace: {path: /x, key: tenantToken, value: abc, section: env1, expect: 1, missing: skip, backup: true}"},
		{"regexp mode", "- file_replace: {path: /x, regexp: '^a(.*)$', replace: 'b${1}'}"},
		{"empty value", `- file_replace: {path: /x, key: k, value: ""}`},
		{"templated value with blanks", `- file_replace: {path: /x, key: k, value: "{{ token }}"}`},
		{"templated key", `- file_replace: {path: /x, key: "{{ key }}", value: v}`},
		{"templated regexp that would not compile", `- file_replace: {path: /x, regexp: "{{ re }}(", replace: v}`},
		{"templated missing", `- file_replace: {path: /x, key: k, value: v, missing: "{{ how }}"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			act, err := testModule().Decode(playFile, taskArgs(t, tt.src))
			if err != nil || act == nil {
				t.Fatalf("Decode: %v", err)
			}
		})
	}
}

func TestInfo(t *testing.T) {
	t.Parallel()
	var m modules.Module = New()
	if got := m.Info(); got.Name != "file_replace" || got.Controller || got.Summary == "" {
		t.Errorf("Info() = %+v, want name file_replace, a summary, not controller-only", got)
	}
}
