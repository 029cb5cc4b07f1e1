package dynatrace

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestTokenFromEnvOrFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, content string, mode os.FileMode) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, mode); err != nil { // umask may have narrowed it
			t.Fatal(err)
		}
		return p
	}
	good := write("good", "  dt0c01.FILE.token\n", 0o600)
	strict := write("strict", "dt0c01.FILE.token", 0o400)
	loose := write("loose", "dt0c01.FILE.token", 0o644)
	group := write("group", "dt0c01.FILE.token", 0o640)
	empty := write("empty", " \n", 0o600)
	twoWords := write("two", "dt0c01.A dt0c01.B", 0o600)
	tests := []struct {
		name, env, file string
		want, wantErr   string
	}{
		{name: "env wins over file", env: " dt0c01.ENV.token ", file: good, want: "dt0c01.ENV.token"},
		{name: "env wins over a bad file", env: "dt0c01.ENV.token", file: loose, want: "dt0c01.ENV.token"},
		{name: "file trimmed", file: good, want: "dt0c01.FILE.token"},
		{name: "file 0400", file: strict, want: "dt0c01.FILE.token"},
		{name: "file 0644 rejected", file: loose, wantErr: "chmod 600 " + loose},
		{name: "file 0640 rejected", file: group, wantErr: "has mode 0640"},
		{name: "blank env falls back to the file", env: "  ", file: good, want: "dt0c01.FILE.token"},
		{name: "missing file", file: filepath.Join(dir, "none"), wantErr: "is not set and the token file"},
		{name: "nothing given", wantErr: "no Dynatrace API token: set"},
		{name: "empty file", file: empty, wantErr: "is empty"},
		{name: "two words", file: twoWords, wantErr: "more than one word"},
		{name: "directory", file: dir, wantErr: "not a regular file"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if runtime.GOOS == "windows" && strings.Contains(tt.wantErr, "chmod") {
				t.Skip("no Unix modes on Windows")
			}
			// A variable of its own per case, so parallel cases cannot interfere.
			env := "ROTPLAY_TEST_TOKEN_" + strings.Repeat("X", i+1)
			if tt.env != "" {
				os.Setenv(env, tt.env)
				t.Cleanup(func() { os.Unsetenv(env) })
			}
			got, err := TokenFromEnvOrFile(env, tt.file)
			if tt.wantErr == "" {
				if err != nil || got != tt.want {
					t.Fatalf("got %q %v, want %q", got, err, tt.want)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err %v, want %q", err, tt.wantErr)
			}
			if strings.Contains(err.Error(), "dt0c01") {
				t.Fatalf("error leaks the token: %v", err)
			}
			if tt.file == "" && !strings.Contains(err.Error(), env) {
				t.Fatalf("error does not name the variable: %v", err)
			}
		})
	}
}
