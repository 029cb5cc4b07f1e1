package vhost

import (
	"context"
	"go/ast"
	"go/constant"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The SSH transport's remote scripts (transport/ssh/scripts.go) must run on
// lab hosts unchanged. They are loaded from the source file itself, so
// this test follows every change to them.
func loadTransportScripts(t *testing.T) map[string]string {
	t.Helper()
	src := filepath.Join("..", "..", "transport", "ssh", "scripts.go")
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, src, nil, 0)
	if os.IsNotExist(err) {
		t.Skip("transport/ssh/scripts.go is not there")
	}
	if err != nil {
		t.Fatal(err)
	}
	pkg, err := (&types.Config{}).Check("ssh", fset, []*ast.File{f}, nil)
	if err != nil {
		t.Fatal(err)
	}
	scripts := map[string]string{}
	for _, name := range pkg.Scope().Names() {
		if c, ok := pkg.Scope().Lookup(name).(*types.Const); ok && c.Val().Kind() == constant.String {
			scripts[name] = constant.StringVal(c.Val())
		}
	}
	for _, want := range []string{"scriptFacts", "scriptStat", "scriptRead", "scriptWrite"} {
		if scripts[want] == "" {
			t.Fatalf("%s not found in %s", want, src)
		}
	}
	return scripts
}

// shQuote is the transport's quote: one single-quoted sh word.
func shQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// scriptLine is the exec line the transport sends: [sudo -n -- ]sh -c SCRIPT sh ARGS.
func scriptLine(sudo bool, script string, args ...string) string {
	line := "sh -c " + shQuote(script) + " sh"
	for _, a := range args {
		line += " " + shQuote(a)
	}
	if sudo {
		line = "sudo -n -- " + line
	}
	return line
}

// lsFields checks an `ls -lnd` line the way the transport parses it.
func lsFields(t *testing.T, line string) (mode string, uid, gid, size int) {
	t.Helper()
	f := strings.Fields(line)
	if len(f) < 9 {
		t.Fatalf("ls line %q", line)
	}
	uid, _ = strconv.Atoi(f[2])
	gid, _ = strconv.Atoi(f[3])
	size, _ = strconv.Atoi(f[4])
	return f[0], uid, gid, size
}

func TestTransportFactsScript(t *testing.T) {
	t.Parallel()
	s := loadTransportScripts(t)
	h := newTestHost(t, Options{User: "ops", UID: 1001})
	check(t, "facts", h.run(scriptLine(false, s["scriptFacts"])), 0, "Linux web-1 x86_64\nops\n", "")
}

func TestTransportStatAndReadScripts(t *testing.T) {
	t.Parallel()
	s := loadTransportScripts(t)
	for _, sudo := range []bool{false, true} {
		h := newTestHost(t, Options{User: "ops", UID: 1001})
		h.write("/etc/app/conf", "token=1\n", 0o644)
		h.write("/etc/secret/key", "k", 0o600)
		if err := os.Chmod(filepath.Join(h.Root(), "/etc/secret"), 0o700); err != nil {
			t.Fatal(err)
		}
		h.must("sudo ln -s conf /etc/app/link && sudo chown 998:997 /etc/app/conf")

		r := h.run(scriptLine(sudo, s["scriptStat"], "/etc/app/link", "/etc/app"))
		mode, uid, gid, size := lsFields(t, r.stdout)
		if r.code != 0 || mode != "-rw-r--r--" || uid != 998 || gid != 997 || size != 8 {
			t.Errorf("sudo=%v stat: %+v", sudo, r)
		}
		r = h.run(scriptLine(sudo, s["scriptRead"], "/etc/app/link", "/etc/app"))
		if _, body, _ := strings.Cut(r.stdout, "\n"); r.code != 0 || body != "token=1\n" {
			t.Errorf("sudo=%v read: %+v", sudo, r)
		}
		check(t, "stat missing", h.run(scriptLine(sudo, s["scriptStat"], "/etc/app/nope", "/etc/app")), 3, "", "")
		check(t, "read dir", h.run(scriptLine(sudo, s["scriptRead"], "/etc/app", "/etc")), 4, "", "")
		wantDenied := map[bool]int{false: 5, true: 0}[sudo]
		if r := h.run(scriptLine(sudo, s["scriptRead"], "/etc/secret/key", "/etc/secret")); r.code != wantDenied {
			t.Errorf("sudo=%v read in a root-only directory: %+v", sudo, r)
		}
	}
}

// writeScript runs the transport's write script for data.
func writeScript(h *testHost, s map[string]string, sudo bool, path, tmp, mode, owner, data string) result {
	h.t.Helper()
	line := scriptLine(sudo, s["scriptWrite"], path, tmp, mode, owner, strconv.Itoa(len(data)), "sync")
	return h.runIn(line, strings.NewReader(data))
}

func TestTransportWriteScript(t *testing.T) {
	t.Parallel()
	s := loadTransportScripts(t)
	h := newTestHost(t, Options{User: "ops", UID: 1001})
	h.write("/var/lib/dynatrace/gateway/config/authorization.properties", "[t]\ntenantToken = OLD\n", 0o640)
	props := "/var/lib/dynatrace/gateway/config/authorization.properties"
	h.must("sudo mkdir -p /etc /opt && sudo chown 998:998 " + props + " && sudo ln -s " + props + " /etc/auth")

	// An existing file keeps owner and mode; the symlink is followed and kept.
	check(t, "write existing", writeScript(h, s, true, "/etc/auth", ".rotplay-1", "600", "", "[t]\ntenantToken = NEW\n"), 0, "", "")
	if got := h.read(props); got != "[t]\ntenantToken = NEW\n" {
		t.Errorf("content %q", got)
	}
	mode, uid, gid, _ := lsFields(t, h.must("ls -lnd "+props))
	if mode != "-rw-r-----" || uid != 998 || gid != 998 {
		t.Errorf("after write: %s %d:%d", mode, uid, gid)
	}
	if out := h.must("ls -ld /etc/auth"); !strings.HasSuffix(out, "/etc/auth -> "+props+"\n") {
		t.Errorf("symlink not kept: %q", out)
	}

	// A new file gets the given mode and owner exactly, special bits too.
	check(t, "write new", writeScript(h, s, true, "/opt/new", ".rotplay-2", "4750", "1234:1234", "x"), 0, "", "")
	mode, uid, gid, _ = lsFields(t, h.must("ls -lnd /opt/new"))
	if mode != "-rwsr-x---" || uid != 1234 || gid != 1234 {
		t.Errorf("new file: %s %d:%d", mode, uid, gid)
	}

	// Without sudo the login user cannot write root's directory.
	if r := writeScript(h, s, false, "/opt/other", ".rotplay-3", "600", "", "x"); r.code != 5 && r.code != 6 || h.exists("/opt/other") {
		t.Errorf("unprivileged write: %+v", r) // exitDenied, or exitFailed before the script checked -w
	}
	// ... but may rewrite its own files without chown.
	check(t, "own file", writeScript(h, s, false, "/home/ops/f", ".rotplay-4", "640", "", "mine"), 0, "", "")
	if mode, uid, _, _ := lsFields(t, h.must("ls -lnd /home/ops/f")); mode != "-rw-r-----" || uid != 1001 {
		t.Errorf("own file: %s %d", mode, uid)
	}
	assertEntries(t, h, "/opt", "new")
}

func TestTransportWriteScriptFailsSafely(t *testing.T) {
	t.Parallel()
	s := loadTransportScripts(t)
	h := newTestHost(t, Options{})
	h.write("/etc/app.conf", "old", 0o644)

	// A short stdin (session cut) must not replace the file.
	line := scriptLine(false, s["scriptWrite"], "/etc/app.conf", ".rotplay-s", "644", "", "10", "")
	if r := h.runIn(line, strings.NewReader("new")); r.code != 6 || !strings.Contains(r.stderr, "short write") {
		t.Errorf("short write: %+v", r)
	}
	// A planted file at the temporary name is never overwritten (set -C).
	h.write("/etc/.rotplay-p", "planted", 0o644)
	if r := writeScript(h, s, false, "/etc/app.conf", ".rotplay-p", "644", "", "new"); r.code != 6 {
		t.Errorf("noclobber: %+v", r)
	}
	if h.read("/etc/app.conf") != "old" || h.read("/etc/.rotplay-p") != "planted" {
		t.Error("a failed write changed files")
	}
	assertEntries(t, h, "/etc", ".rotplay-p", "app.conf")
	check(t, "directory", writeScript(h, s, false, "/etc", ".rotplay-d", "644", "", "x"), 4, "", "")
	check(t, "no parent", writeScript(h, s, false, "/nope/f", ".rotplay-n", "644", "", "x"), 3, "", "")
}

// assertEntries checks that dir holds exactly names (no temporary files).
func assertEntries(t *testing.T, h *testHost, dir string, names ...string) {
	t.Helper()
	got := strings.Fields(h.must("ls -A " + dir))
	if strings.Join(got, " ") != strings.Join(names, " ") {
		t.Errorf("%s holds %q, want %q", dir, got, names)
	}
}

// TestTransportWriteScriptCancelled ends the session in the middle of a
// write, as the transport does when its ctx ends: the script's TERM trap
// must remove the temporary file and leave the target alone.
func TestTransportWriteScriptCancelled(t *testing.T) {
	t.Parallel()
	s := loadTransportScripts(t)
	h := newTestHost(t, Options{})
	h.write("/etc/app.conf", "old", 0o644)
	pr, pw := io.Pipe()
	defer pw.Close()
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan int)
	go func() {
		line := scriptLine(false, s["scriptWrite"], "/etc/app.conf", ".rotplay-c", "644", "", "100", "")
		done <- h.Exec(ctx, Request{Command: line, Stdin: pr})
	}()
	_, _ = pw.Write([]byte("partial"))
	deadline := time.Now().Add(5 * time.Second)
	for !h.exists("/etc/.rotplay-c") && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	cancel()
	if code := <-done; code != -15 {
		t.Errorf("exit %d, want -15", code)
	}
	if h.read("/etc/app.conf") != "old" {
		t.Error("the target changed")
	}
	assertEntries(t, h, "/etc", "app.conf")
}

func (h *testHost) exists(name string) bool {
	_, err := os.Lstat(filepath.Join(h.Root(), name))
	return err == nil
}
