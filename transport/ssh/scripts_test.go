package ssh

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// scripts lists every remote script, for the checks below.
var scripts = map[string]string{
	"facts": scriptFacts,
	"stat":  scriptStat,
	"read":  scriptRead,
	"write": scriptWrite,
}

// shells returns the POSIX shells found on this machine, as argv
// prefixes: dash (Debian's sh, strict), bash in POSIX mode, busybox sh
// (small systems), and sh. Fails when there is none.
func shells(t *testing.T) [][]string {
	t.Helper()
	var found [][]string
	for _, sh := range [][]string{{"dash"}, {"bash", "--posix"}, {"busybox", "sh"}, {"ksh"}, {"sh"}} {
		if _, err := exec.LookPath(sh[0]); err == nil {
			found = append(found, sh)
		}
	}
	if len(found) == 0 {
		t.Fatal("no POSIX shell found")
	}
	return found
}

// TestScriptsSyntax: every script parses (sh -n) in every shell.
func TestScriptsSyntax(t *testing.T) {
	t.Parallel()
	for _, sh := range shells(t) {
		for name, script := range scripts {
			out, err := exec.Command(sh[0], append(sh[1:], "-n", "-c", script)...).CombinedOutput()
			if err != nil {
				t.Errorf("%s -n: script %s: %v\n%s", sh[0], name, err, out)
			}
		}
	}
}

// runScript runs a script directly in sh (no SSH), in dir.
func runLocal(t *testing.T, sh []string, script, stdin string, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(sh[0], append(append(sh[1:], "-c", script, "sh"), args...)...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	if _, ok := err.(*exec.ExitError); err != nil && !ok {
		t.Fatal(err)
	}
	return out.String(), errOut.String(), cmd.ProcessState.ExitCode()
}

// TestWriteScriptKeepsModes runs the write script in each shell over
// files with special bits, which the script reads from ls output and turns
// back into an octal mode.
func TestWriteScriptKeepsModes(t *testing.T) {
	t.Parallel()
	modes := []fs.FileMode{0o644, 0o400, 0o751 | fs.ModeSetuid, 0o755 | fs.ModeSetgid, 0o644 | fs.ModeSetuid | fs.ModeSetgid,
		0o777 | fs.ModeSticky, 0o600 | fs.ModeSticky, 0o070}
	for _, sh := range shells(t) {
		dir := t.TempDir()
		for i, mode := range modes {
			p := filepath.Join(dir, "f"+strconv.Itoa(i))
			if err := os.WriteFile(p, []byte("old"), 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(p, mode); err != nil {
				t.Fatal(err)
			}
			_, errOut, code := runLocal(t, sh, scriptWrite, "new!", p, tempName(), "600", "", "4", "sync")
			fi, err := os.Stat(p)
			if code != 0 || err != nil || fi.Mode()&^fs.ModeType != mode {
				t.Errorf("%s: rewrite of a %v file: exit %d %q, now %v (%v)", sh[0], mode, code, errOut, fi.Mode(), err)
			}
		}
		assertOnly(t, dir, len(modes))
	}
}

// TestWriteScriptRefusesShortInput: fewer bytes on stdin than announced
// (a session cut short) leave the target and the directory untouched.
func TestWriteScriptRefusesShortInput(t *testing.T) {
	t.Parallel()
	for _, sh := range shells(t) {
		dir := t.TempDir()
		p := filepath.Join(dir, "f")
		writeFile(t, p, "old")
		_, errOut, code := runLocal(t, sh, scriptWrite, "ne", p, tempName(), "600", "", "4", "")
		if data, _ := os.ReadFile(p); code != exitFailed || string(data) != "old" || !strings.Contains(errOut, "short write") {
			t.Errorf("%s: short input: exit %d %q, file %q", sh[0], code, errOut, data)
		}
		assertOnly(t, dir, 1)
	}
}

// TestWriteScriptNoClobber: an existing file (or a link planted) at the
// temporary name is never written through nor removed.
func TestWriteScriptNoClobber(t *testing.T) {
	t.Parallel()
	for _, sh := range shells(t) {
		dir := t.TempDir()
		victim := filepath.Join(t.TempDir(), "victim")
		writeFile(t, victim, "victim")
		name := tempName()
		if err := os.Symlink(victim, filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
		_, _, code := runLocal(t, sh, scriptWrite, "evil", filepath.Join(dir, "f"), name, "600", "", "4", "")
		data, _ := os.ReadFile(victim)
		if _, err := os.Lstat(filepath.Join(dir, name)); code != exitFailed || string(data) != "victim" || err != nil {
			t.Errorf("%s: planted link: exit %d, victim %q, link %v", sh[0], code, data, err)
		}
	}
}

// TestReadAndStatScripts: the first line parses as metadata; the rest is
// the content, byte for byte.
func TestReadAndStatScripts(t *testing.T) {
	t.Parallel()
	content := "line 1\nno newline at the end\x00\xff"
	for _, sh := range shells(t) {
		dir := t.TempDir()
		p := filepath.Join(dir, "name with\nnewline")
		writeFile(t, p, content)
		out, errOut, code := runLocal(t, sh, scriptRead, "", p, dir)
		line, data, _ := strings.Cut(out, "\n")
		info, err := parseLS([]byte(line))
		if code != 0 || err != nil || data != content || info.Mode != 0o600 || info.IsDir {
			t.Errorf("%s: read: exit %d %q, info %+v (%v), content %q", sh[0], code, errOut, info, err, data)
		}
		out, _, code = runLocal(t, sh, scriptStat, "", dir, filepath.Dir(dir))
		if info, err := parseLS([]byte(strings.TrimSuffix(out, "\n"))); code != 0 || err != nil || !info.IsDir {
			t.Errorf("%s: stat of a directory: exit %d, %+v, %v", sh[0], code, info, err)
		}
		for script, want := range map[string]int{scriptRead: exitNotExist, scriptStat: exitNotExist} {
			if _, _, code := runLocal(t, sh, script, "", filepath.Join(dir, "missing"), dir); code != want {
				t.Errorf("%s: missing file: exit %d, want %d", sh[0], code, want)
			}
		}
		if _, _, code := runLocal(t, sh, scriptRead, "", dir, filepath.Dir(dir)); code != exitIsDir {
			t.Errorf("%s: read of a directory: exit %d, want %d", sh[0], code, exitIsDir)
		}
	}
}

// TestFactsScript: in every shell, the facts script prints what uname -s
// -n -m prints (read from /proc/sys/kernel where the kernel has
// /proc/sys/kernel/arch, as this one may) and the login user: $LOGNAME, or
// id -un without it.
func TestFactsScript(t *testing.T) {
	t.Parallel()
	uname, err := exec.Command("uname", "-s", "-n", "-m").Output()
	if err != nil {
		t.Fatal(err)
	}
	idun, err := exec.Command("id", "-un").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, sh := range shells(t) {
		for _, tc := range []struct{ logname, want string }{
			{"LOGNAME=ops", "ops\n"},
			{"", string(idun)},
		} {
			cmd := exec.Command(sh[0], append(sh[1:], "-c", scriptFacts)...)
			cmd.Env = []string{"PATH=" + os.Getenv("PATH")}
			if tc.logname != "" {
				cmd.Env = append(cmd.Env, tc.logname)
			}
			var errOut bytes.Buffer
			cmd.Stderr = &errOut
			out, err := cmd.Output()
			if want := string(uname) + tc.want; err != nil || string(out) != want || errOut.Len() != 0 {
				t.Errorf("%s, %q: facts printed %q (%v, stderr %q), want %q", sh[0], tc.logname, out, err, errOut.String(), want)
			}
		}
	}
}

// assertOnly checks that dir holds n entries: no temporary file is left.
func assertOnly(t *testing.T, dir string, n int) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != n {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("%s holds %q, want %d entries", dir, names, n)
	}
}
