package vhost

import (
	"bufio"
	"context"
	"io"
	"strings"
	"sync"
	"testing"
	"time"
)

// lineTest is one command line and what it must give.
type lineTest struct {
	line       string
	code       int
	stdout     string
	stderrPart string
}

func runTable(t *testing.T, h *testHost, tests []lineTest) {
	t.Helper()
	for _, tc := range tests {
		check(t, tc.line, h.run(tc.line), tc.code, tc.stdout, tc.stderrPart)
	}
}

func TestShellBasics(t *testing.T) {
	t.Parallel()
	h := newTestHost(t, Options{})
	h.write("/etc/app.conf", "[abc]\ntenantToken = T1\n# c\nserver=x\n", 0o644)
	runTable(t, h, []lineTest{
		{"echo hello", 0, "hello\n", ""},
		{"printf '%s-%d\\n' a 7", 0, "a-7\n", ""},
		{"exit 3", 3, "", ""},
		{"false", 1, "", ""},
		{"/bin/false", 1, "", ""},
		{"nosuch arg", 127, "", "sh: nosuch: not found"},
		{"/opt/nosuch", 127, "", "sh: /opt/nosuch: not found"},
		{"echo 'unterminated", 2, "", ""},
		{"pwd; cd /etc && pwd; cd ../../.. && pwd", 0, "/root\n/etc\n/\n", ""},
		{"ln -s /etc /tmp/e && cd /tmp/e && pwd && pwd -P", 0, "/tmp/e\n/etc\n", ""},
		{"echo $HOME $USER $UID", 0, "/root root 0\n", ""},
		{"uname -s; uname -m; uname -n; hostname", 0, "Linux\nx86_64\nweb-1\nweb-1\n", ""},
		{"id -u; id -g; id -un; id -gn; id", 0, "0\n0\nroot\nroot\nuid=0(root) gid=0(root) groups=0(root)\n", ""},
		{"whoami", 0, "root\n", ""},
		{"test -f /etc/app.conf && test -d /etc && ! test -e /nope && [ -r /etc/app.conf ]", 0, "", ""},
		{"cat /etc/app.conf | grep -c Token", 0, "1\n", ""},
		{"grep -q tenantToken /etc/app.conf", 0, "", ""},
		{"grep -q nothing /etc/app.conf", 1, "", ""},
		{"grep -v '^#' /etc/app.conf | wc -l", 0, "3\n", ""},
		{"grep -E '^(server|x)=' /etc/app.conf", 0, "server=x\n", ""},
		{"grep -F '[abc]' /etc/app.conf", 0, "[abc]\n", ""},
		{"grep -x 'server=x' /etc/app.conf", 0, "server=x\n", ""},
		{"grep -x 'server' /etc/app.conf", 1, "", ""},
		{"grep '\\(tenant\\)Token' /etc/app.conf", 0, "tenantToken = T1\n", ""},
		{"grep x /nope", 2, "", "grep: /nope: No such file or directory"},
		{"sed -n 's/^tenantToken = //p' /etc/app.conf", 0, "T1\n", ""},
		{"sed 's/T1/T2/' /etc/app.conf | head -n 2", 0, "[abc]\ntenantToken = T2\n", ""},
		{"head -n 1 /etc/app.conf; tail -n 1 /etc/app.conf; tail -n +4 /etc/app.conf", 0, "[abc]\nserver=x\nserver=x\n", ""},
		{"wc -c < /etc/app.conf; wc -l /etc/app.conf", 0, "36\n4 /etc/app.conf\n", ""},
		{"env FOO=bar printenv FOO", 0, "bar\n", ""},
		{"FOO=1 env | grep '^FOO='", 0, "FOO=1\n", ""},
		{"env | grep -c '^UID='", 1, "0\n", ""},
		{"command -v ls; command -v echo; command -v systemctl; command -v nosuch", 1, "/usr/bin/ls\necho\n/usr/bin/systemctl\n", ""},
		{"which sh service", 0, "/usr/bin/sh\n/usr/sbin/service\n", ""},
		{"type cd", 0, "cd is a shell builtin\n", ""},
		{"basename /a/b.conf .conf; dirname /a/b.conf", 0, "b\n/a\n", ""},
		{"printf abc | base64; printf YWJj | base64 -d", 0, "YWJj\nabc", ""},
		{"printf abc | sha256sum", 0, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  -\n", ""},
		{"date +%s | grep -cE '^[0-9]+$'", 0, "1\n", ""},
		{"sync; true", 0, "", ""},
		{"echo err >&2; echo out >/dev/stdout; echo gone >/dev/null", 0, "out\n", "err"},
	})
}

func TestShNesting(t *testing.T) {
	t.Parallel()
	h := newTestHost(t, Options{User: "ops", UID: 1001})
	runTable(t, h, []lineTest{
		{`sh -c 'echo "$0:$1:$2"' zero one two`, 0, "zero:one:two\n", ""},
		{`sh -c 'echo $#'`, 0, "0\n", ""},
		{`sh -c 'sh -c "echo \$1 \$(id -u)" in "$1"' out deep`, 0, "deep 1001\n", ""},
		{`sudo -n sh -c 'id -u; echo "$1"' sh arg`, 0, "0\narg\n", ""},
		{`bash -ec 'false; echo not reached'`, 1, "", ""},
		{`sh -c 'exit 7'; echo $?`, 0, "7\n", ""},
		{`echo 'echo from stdin $(id -un)' | sh`, 0, "from stdin ops\n", ""},
		{`printf '#!/bin/sh\necho script "$1"\n' > s.sh; chmod 755 s.sh; ./s.sh x; sh s.sh y`, 0, "script x\nscript y\n", ""},
		{`printf 'echo hi\n' > n.sh; ./n.sh`, 126, "", "Permission denied"},
		{`sudo -n echo hi; sudo -n printf '%s\n' a; sudo test -d /root && echo dir`, 0, "hi\na\ndir\n", ""},
		{`sudo -n nosuch`, 1, "", "sudo: nosuch: command not found"},
	})
}

func TestStdinAndRedirections(t *testing.T) {
	t.Parallel()
	h := newTestHost(t, Options{})
	check(t, "cat > f", h.runIn("cat > f; cat f", strings.NewReader("line1\nline2\n")), 0, "line1\nline2\n", "")
	check(t, "read", h.runIn("read a; read b; echo $b$a", strings.NewReader("x\ny\n")), 0, "yx\n", "")
	check(t, "tee", h.runIn("tee t1 >/dev/null; cat t1", strings.NewReader("teed")), 0, "teed", "")
	check(t, "sudo tee", h.runIn("sudo tee -a t1 > /dev/null; cat t1", strings.NewReader("+more")), 0, "teed+more", "")
	check(t, "heredoc", h.run("cat <<EOF\nhere $USER\nEOF"), 0, "here root\n", "")
	runTable(t, h, []lineTest{
		{"echo a > nc; set -C; echo b > nc", 1, "", "cannot overwrite existing file"},
		{"set -C; echo a >> nc; echo new > fresh; cat nc fresh", 0, "a\na\nnew\n", ""},
		{"set -eC; echo b > nc; echo not reached", 1, "", "cannot overwrite"},
		{"set -o noclobber; echo b > nc", 1, "", "cannot overwrite"},
		{"set -C; set +C; echo b > nc; cat nc", 0, "b\n", ""},
		{"set -C; echo x > /dev/null && echo ok", 0, "ok\n", ""},
		{"set -C; sh -c 'echo c > nc'; cat nc", 0, "c\n", ""},
		{"umask; umask 077; umask; touch u; ls -l u", 0, "0022\n0077\n-rw------- 1 root root 0 " + lsTimeNow() + " u\n", ""},
		{"umask -S", 0, "u=rwx,g=rx,o=rx\n", ""},
		{"echo x > /nodir/f", 1, "", "cannot create /nodir/f: No such file or directory"},
		{"cat < /nodir/f", 1, "", "cannot open /nodir/f: No such file or directory"},
	})
}

// lsTimeNow is ls's date column for a file written just now.
func lsTimeNow() string { return lsTime(time.Now()) }

func TestExecEndsWithContext(t *testing.T) {
	t.Parallel()
	h := newTestHost(t, Options{})
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	code := h.Exec(ctx, Request{Command: "sleep 30; echo not reached"})
	if code != -15 || time.Since(start) > 5*time.Second {
		t.Errorf("exit %d after %v", code, time.Since(start))
	}
}

func TestUnknownUser(t *testing.T) {
	t.Parallel()
	h := newTestHost(t, Options{User: "ops"})
	var errb strings.Builder
	if code := h.Exec(t.Context(), Request{User: "mallory", Command: "id", Stderr: &errb}); code != 255 {
		t.Errorf("exit %d, %s", code, errb.String())
	}
	check(t, "root login", h.runAs("root", "id -u"), 0, "0\n", "")
	check(t, "login user", h.runAs("ops", "id -un; pwd"), 0, "ops\n/home/ops\n", "")
}

func (h *testHost) runAs(user, line string) result {
	var out, errb strings.Builder
	code := h.Exec(h.t.Context(), Request{User: user, Command: line, Stdout: &out, Stderr: &errb})
	return result{code, out.String(), errb.String()}
}

func TestConcurrentSessions(t *testing.T) {
	t.Parallel()
	h := newTestHost(t, Options{User: "ops"})
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			line := "f=$(mktemp); echo " + strings.Repeat("x", i) + " > $f; sudo chown 5:5 $f; ls -ln $f | grep -c ' 5 5 '; sudo rm -f $f"
			if r := h.run(line); r.code != 0 || r.stdout != "1\n" {
				t.Errorf("session %d: %+v", i, r)
			}
		})
	}
	wg.Wait()
}

// TestShStdinStreams: sh -s runs each line once it is complete, while
// the rest of the script has not arrived (as rotplay's pipelining needs),
// keeps its variables from line to line, carries a statement over lines,
// runs background jobs and waits for them, and ends with exit's status.
func TestShStdinStreams(t *testing.T) {
	t.Parallel()
	h := newTestHost(t, Options{})
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- h.Exec(t.Context(), Request{Command: "exec sh -s", Stdin: inR, Stdout: outW, Stderr: io.Discard})
		_ = outW.Close()
	}()
	out := bufio.NewReader(outR)
	send := func(script string) {
		t.Helper()
		if _, err := io.WriteString(inW, script); err != nil {
			t.Fatal(err)
		}
	}
	expect := func(want string) {
		t.Helper()
		if got, err := out.ReadString('\n'); err != nil || got != want {
			t.Fatalf("read %q, %v; want %q", got, err, want)
		}
	}
	send("case $(command -V printf 2>&1) in *builtin*) b=1 ;; *) b=0 ;; esac; echo \"b=$b\"\n")
	expect("b=1\n")
	send("x=one\n")
	send("d='multi\nline'\nprintf '%s|%s' \"$x\" \"$d\" | cat &\n")
	send("c=$!; wait \"$c\"; echo \" exit $?\"\n")
	expect("one|multi\n")
	expect("line exit 0\n")
	send("exit 3\necho never\n")
	if code := <-done; code != 3 {
		t.Errorf("sh -s after exit 3: exit %d", code)
	}
	_ = inW.Close()
}
