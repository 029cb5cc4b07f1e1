package winhost

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/rotplay/rotplay/internal/powershell"
	"github.com/rotplay/rotplay/internal/winrmfake"
	"github.com/rotplay/rotplay/transport/winrm/scripts"
)

// exec runs line on h as user with stdin and returns what came back.
func exec(t *testing.T, h *Host, user, line, stdin string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = h.Exec(t.Context(), winrmfake.Request{
		User: user, CommandLine: line, Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errOut,
	})
	return out.String(), errOut.String(), code
}

// runScript runs s with v as its JSON input.
func runScript(t *testing.T, h *Host, s powershell.Script, v any) (stdout, stderr string, code int) {
	t.Helper()
	line, err := s.Command()
	if err != nil {
		t.Fatal(err)
	}
	in, err := powershell.Input(v)
	if err != nil {
		t.Fatal(err)
	}
	return exec(t, h, "ops", line, string(in))
}

func TestExecCommandLines(t *testing.T) {
	t.Parallel()
	h := New("web1", t.TempDir())
	if _, errOut, code := exec(t, h, "ops", "ipconfig /all", ""); code != 9009 ||
		errOut != "'ipconfig' is not recognized as an internal or external command,\r\noperable program or batch file.\r\n" {
		t.Errorf("unknown command: exit %d, %q", code, errOut)
	}
	if _, errOut, code := exec(t, h, "ops", `cd /d "C:\nosuch" && ipconfig`, ""); code != 1 ||
		errOut != "The system cannot find the path specified.\r\n" {
		t.Errorf("cd to a missing directory: exit %d, %q", code, errOut)
	}
	tests := []struct{ name, line, want string }{
		{"other powershell", "powershell.exe -Command Get-Date", "only rotplay's -EncodedCommand scripts"},
		{"no marker", mustCommand(t, "Get-Date\n"), "marker line"},
		{"unknown script", mustCommand(t, "# rotplay-script: nosuch/1\nexit 0\n"), "no emulation of script nosuch/1"},
		{"drifted script", mustCommand(t, scripts.Facts.Text+"# changed\n"), "facts/1 differs from the text"},
	}
	for _, tc := range tests {
		_, errOut, code := exec(t, h, "ops", tc.line, "")
		if code != 1 || !strings.HasPrefix(errOut, "#< CLIXML") || !strings.Contains(powershell.CleanStderr(errOut), tc.want) {
			t.Errorf("%s: exit %d, stderr %q; want exit 1 and a CLIXML error containing %q", tc.name, code, errOut, tc.want)
		}
	}
}

func mustCommand(t *testing.T, script string) string {
	t.Helper()
	line, err := powershell.Command(script)
	if err != nil {
		t.Fatal(err)
	}
	return line
}

// TestScriptReadsStdinToEOF: like @($input), the emulation waits for the
// end of stdin, so a client that never ends stdin hangs here as it would
// on Windows.
func TestScriptReadsStdinToEOF(t *testing.T) {
	t.Parallel()
	h := New("web1", t.TempDir())
	line, _ := scripts.Facts.Command()
	r, w := io.Pipe()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	done := make(chan int, 1)
	go func() {
		done <- h.Exec(ctx, winrmfake.Request{User: "ops", CommandLine: line, Stdin: r, Stdout: io.Discard, Stderr: io.Discard})
	}()
	_, _ = w.Write([]byte("{}\n"))
	select {
	case <-done:
		t.Fatal("the script finished before stdin ended")
	default:
	}
	_ = w.Close()
	if code := <-done; code != 0 {
		t.Errorf("exit %d after EOF", code)
	}
}

func TestFactsScript(t *testing.T) {
	t.Parallel()
	h := New("web1.example.com", t.TempDir())
	out, _, code := runScript(t, h, scripts.Facts, struct{}{})
	if code != 0 || out != `{"arch":"AMD64","hostname":"WEB1","user":"WEB1\\ops"}`+"\n" {
		t.Errorf("facts: exit %d, %q", code, out)
	}
	h.Setenv("PROCESSOR_ARCHITECTURE", "x86")
	h.Setenv("PROCESSOR_ARCHITEW6432", "ARM64")
	if out, _, _ := runScript(t, h, scripts.Facts, struct{}{}); !strings.Contains(out, `"arch":"ARM64"`) {
		t.Errorf("32-bit PowerShell on ARM64: %q", out)
	}
}

// TestFileScripts runs the file scripts' emulations with every failure
// their .ps1 files have.
func TestFileScripts(t *testing.T) {
	t.Parallel()
	h := New("web1", t.TempDir())
	if err := h.WriteFile(`C:\ProgramData\dt\a.conf`, []byte("hello")); err != nil {
		t.Fatal(err)
	}
	b64 := base64.StdEncoding.EncodeToString
	tests := []struct {
		name   string
		script powershell.Script
		in     any
		want   string
		code   int
	}{
		{"stat file", scripts.StatFile, map[string]any{"path": `%ProgramData%\DT\a.conf`}, `{"isDir":false,"size":5}`, 0},
		{"stat dir", scripts.StatFile, map[string]any{"path": `C:\ProgramData`}, `{"isDir":true,"size":0}`, 0},
		{"stat missing", scripts.StatFile, map[string]any{"path": `C:\nosuch\x`}, `{"error":"notexist","message":"C:\\nosuch\\x does not exist"}`, 1},
		{"stat illegal", scripts.StatFile, map[string]any{"path": `C:\a|b`}, `{"error":"other","message":"Illegal characters in path."}`, 1},
		{"stat no input", scripts.StatFile, nil, `{"error":"other","message":"Value cannot be null.\r\nParameter name: name"}`, 1},
		{"read", scripts.ReadFile, map[string]any{"path": `C:\ProgramData\dt\a.conf`, "max": 5}, `{"size":5,"data":"aGVsbG8="}`, 0},
		{"read too large", scripts.ReadFile, map[string]any{"path": `C:\ProgramData\dt\a.conf`, "max": 4}, `{"error":"toolarge","message":"C:\\ProgramData\\dt\\a.conf has 5 bytes, more than 4"}`, 1},
		{"read dir", scripts.ReadFile, map[string]any{"path": `C:\ProgramData`, "max": 5}, `{"error":"isdir","message":"C:\\ProgramData is a directory"}`, 1},
		{"read missing", scripts.ReadFile, map[string]any{"path": `x`, "max": 5}, `{"error":"notexist","message":"x does not exist"}`, 1},
		{"write", scripts.WriteFile, map[string]any{"path": `C:\ProgramData\dt\b.conf`, "size": 2, "data": b64([]byte("hi"))}, `{"written":2}`, 0},
		{"write short", scripts.WriteFile, map[string]any{"path": `C:\ProgramData\dt\b.conf`, "size": 3, "data": b64([]byte("hi"))}, `{"error":"other","message":"received 2 of 3 bytes"}`, 1},
		{"write bad base64", scripts.WriteFile, map[string]any{"path": `C:\x`, "size": 0, "data": "!"}, `{"error":"other","message":"The input is not a valid Base-64 string as it contains a non-base 64 character."}`, 1},
		{"write dir", scripts.WriteFile, map[string]any{"path": `C:\ProgramData\dt`, "size": 0, "data": ""}, `{"error":"isdir","message":"C:\\ProgramData\\dt is a directory"}`, 1},
		{"write no parent", scripts.WriteFile, map[string]any{"path": `C:\nosuch\x`, "size": 0, "data": ""}, `{"error":"notexist","message":"directory C:\\nosuch does not exist"}`, 1},
		{"write chown new", scripts.WriteFile, map[string]any{"path": `C:\ProgramData\dt\c.conf`, "size": 0, "data": "", "chown": true}, `{"error":"unsupported","message":"Windows files have no UID/GID owner to set"}`, 1},
		{"write chown existing", scripts.WriteFile, map[string]any{"path": `C:\ProgramData\dt\a.conf`, "size": 0, "data": "", "chown": true}, `{"written":0}`, 0},
		{"bad JSON", scripts.WriteFile, "not an object", ``, 1},
	}
	for _, tc := range tests {
		out, _, code := runScript(t, h, tc.script, tc.in)
		if code != tc.code || (tc.want != "" && out != tc.want+"\n") {
			t.Errorf("%s: exit %d, %q; want %d, %q", tc.name, code, out, tc.code, tc.want)
		}
		var v map[string]any
		if err := json.Unmarshal([]byte(out), &v); err != nil {
			t.Errorf("%s: output is not one JSON line: %q", tc.name, out)
		}
	}
	if b, _ := h.ReadFile(`C:\ProgramData\dt\b.conf`); string(b) != "hi" {
		t.Errorf("written file holds %q", b)
	}
	assertOnly(t, h, `C:\ProgramData\dt`, "a.conf", "b.conf")
}

// TestWriteKeepsACL: Replace keeps the target's ACL; a new file gets its
// directory's.
func TestWriteKeepsACL(t *testing.T) {
	t.Parallel()
	h := New("web1", t.TempDir())
	_ = h.MkdirAll(`C:\dt`)
	_ = h.SetACL(`C:\dt`, "dir-acl")
	_ = h.WriteFile(`C:\dt\kept.conf`, []byte("old"))
	_ = h.SetACL(`C:\dt\kept.conf`, "file-acl")
	for _, name := range []string{"kept.conf", "new.conf"} {
		in := map[string]any{"path": `C:\dt\` + name, "size": 3, "data": "bmV3"}
		if out, _, code := runScript(t, h, scripts.WriteFile, in); code != 0 {
			t.Fatalf("write %s: %d %s", name, code, out)
		}
	}
	if acl, _ := h.ACL(`C:\dt\kept.conf`); acl != "file-acl" {
		t.Errorf("replaced file's ACL = %q, want file-acl", acl)
	}
	if acl, _ := h.ACL(`C:\dt\new.conf`); acl != "dir-acl" {
		t.Errorf("new file's ACL = %q, want dir-acl", acl)
	}
	h.mu.Lock()
	n := len(h.acls)
	h.mu.Unlock()
	if n != 3 {
		t.Errorf("%d ACLs recorded, want 3: temporary files' must go", n)
	}
}

func assertOnly(t *testing.T, h *Host, dir string, names ...string) {
	t.Helper()
	local, _ := h.Path(dir)
	entries, err := os.ReadDir(local)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if strings.Join(got, " ") != strings.Join(names, " ") {
		t.Errorf("%s holds %q, want %q", dir, got, names)
	}
}
