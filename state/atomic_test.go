package state

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// tempFiles lists leftover temporary files in d.
func tempFiles(t *testing.T, d *Dir) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(d.Path(), ".tmp-*"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestWriteReadRemove(t *testing.T) {
	t.Parallel()
	d := open(t)
	if _, err := d.ReadFile("x.json"); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("ReadFile of an absent file = %v, want fs.ErrNotExist", err)
	}
	for _, content := range []string{"first", "second, longer", ""} {
		if err := d.WriteFileAtomic("x.json", []byte(content)); err != nil {
			t.Fatal(err)
		}
		got, err := d.ReadFile("x.json")
		if err != nil || string(got) != content {
			t.Fatalf("ReadFile = %q, %v; want %q", got, err, content)
		}
	}
	skipOnWindows(t)
	if m := mode(t, filepath.Join(d.Path(), "x.json")); m != 0o600 {
		t.Errorf("file mode %04o, want 0600", m)
	}
	if left := tempFiles(t, d); len(left) != 0 {
		t.Errorf("temporary files left: %q", left)
	}
	for range 2 { // removing is repeatable
		if err := d.Remove("x.json"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := d.ReadFile("x.json"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("after Remove, ReadFile = %v, want fs.ErrNotExist", err)
	}
}

// TestWriteFailureKeepsOldContent: a write that fails midway, or whose
// rename fails, leaves the old content and no temporary file.
func TestWriteFailureKeepsOldContent(t *testing.T) {
	t.Parallel()
	full := errors.New("no space left on device")
	tests := []struct {
		name  string
		setup func(t *testing.T, d *Dir) string // returns the file to write
		want  error
	}{
		{"writer fails after part of the data", func(t *testing.T, d *Dir) string {
			d.write = func(f *os.File, data []byte) error {
				_, _ = f.Write(data[:len(data)/2])
				return full
			}
			return "x.json"
		}, full},
		{"rename over a directory fails", func(t *testing.T, d *Dir) string {
			// A non-empty directory where the file should go: the
			// temporary file is complete but cannot be renamed.
			if err := os.MkdirAll(filepath.Join(d.Path(), "busy", "inside"), 0o700); err != nil {
				t.Fatal(err)
			}
			return "busy"
		}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d := open(t)
			if err := d.WriteFileAtomic("x.json", []byte("old content")); err != nil {
				t.Fatal(err)
			}
			name := tc.setup(t, d)
			err := d.WriteFileAtomic(name, []byte("new content that must not appear"))
			if err == nil || (tc.want != nil && !errors.Is(err, tc.want)) {
				t.Fatalf("WriteFileAtomic = %v, want an error wrapping %v", err, tc.want)
			}
			if got, err := d.ReadFile("x.json"); err != nil || string(got) != "old content" {
				t.Errorf("after the failure x.json = %q, %v; want the old content", got, err)
			}
			if left := tempFiles(t, d); len(left) != 0 {
				t.Errorf("temporary files left: %q", left)
			}
		})
	}
}

// TestWriteIntoVanishedDir: a directory replaced by a file after Open
// fails the write cleanly, saying where.
func TestWriteIntoVanishedDir(t *testing.T) {
	t.Parallel()
	d := open(t)
	if err := os.Remove(d.Path()); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(d.Path(), []byte("not a dir"), 0o600); err != nil {
		t.Fatal(err)
	}
	err := d.WriteFileAtomic("x.json", []byte("x"))
	if err == nil || !strings.Contains(err.Error(), d.Path()) {
		t.Errorf("WriteFileAtomic = %v, want an error naming the directory", err)
	}
	if data, _ := os.ReadFile(d.Path()); string(data) != "not a dir" {
		t.Errorf("the file in its place changed to %q", data)
	}
}
