package ssh

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rotplay/rotplay/lab/sshserver"
	"github.com/rotplay/rotplay/lab/sshserver/sshservertest"
	"github.com/rotplay/rotplay/transport"
)

// loggedHost is a test host running the real sh that records every exec
// request's command; wrap, when set, runs instead of the shell.
func loggedHost(t *testing.T, wrap func(ctx context.Context, req sshserver.ExecRequest) (int, bool)) (*testHost, *stringLog) {
	t.Helper()
	log := &stringLog{}
	sh := sshservertest.Shell{Dir: t.TempDir()}
	th := newTestHost(t, hostConfig{exec: func(ctx context.Context, req sshserver.ExecRequest) int {
		log.add(req.Command)
		if wrap != nil {
			if code, done := wrap(ctx, req); done {
				return code
			}
		}
		return sh.Exec(ctx, req)
	}})
	return th, log
}

// TestPipeliningOneSession: with pipelining (the default) every call of a
// connection runs in its one shell session; without, each has its own.
func TestPipeliningOneSession(t *testing.T) {
	t.Parallel()
	for _, pipelining := range []bool{true, false} {
		th, log := loggedHost(t, nil)
		c := th.dial(t, Options{}, th.target(map[string]any{varPipelining: pipelining}))
		ctx := ctxFor(t)
		file := filepath.Join(t.TempDir(), "f")
		if err := c.WriteFile(ctx, file, []byte("one\ntwo"), transport.WriteOptions{Mode: 0o640}); err != nil {
			t.Fatal(err)
		}
		data, info, err := c.ReadFile(ctx, file)
		if err != nil || string(data) != "one\ntwo" || info.Mode != 0o640 {
			t.Errorf("ReadFile: %q %v %v", data, info.Mode, err)
		}
		res, err := c.Run(ctx, transport.Command{Line: "printf out; printf err >&2; exit 3"})
		if err != nil || string(res.Stdout) != "out" || string(res.Stderr) != "err" || res.ExitCode != 3 {
			t.Errorf("Run: %+v %v", res, err)
		}
		if notes := c.Facts().Notes; len(notes) != 0 {
			t.Errorf("pipelining %v: Notes %q, want none", pipelining, notes)
		}
		got := log.all()
		switch {
		case pipelining && (len(got) != 1 || got[0] != "exec sh -s"):
			t.Errorf("pipelining: exec requests %q, want only the shell", got)
		case !pipelining && len(got) != 4: // facts, write, read, run
			t.Errorf("no pipelining: %d exec requests, want 4: %q", len(got), got)
		}
	}
}

// TestPipeliningStdin: data in memory reaches the command byte for byte
// through the shell, never in an exec request; data the shell cannot
// carry (a NUL byte, a CR, a reader that is not in memory) takes a
// session.
func TestPipeliningStdin(t *testing.T) {
	t.Parallel()
	th, log := loggedHost(t, nil)
	c := th.dial(t, Options{}, th.target(nil))
	big := bytes.Repeat([]byte("0123456789abcdef'\\%s$HOME\n"), 8000)
	cases := map[string][]byte{
		"quotes and escapes": []byte(`it's "x" \n %s %% $HOME $(id) ` + "`id`"),
		"no final newline":   []byte("a\nb"),
		"blank lines":        []byte("\n\n\n"),
		"invalid UTF-8":      {0xff, 0xfe, 'x', 0x80, '\n'},
		"large":              big,
		"empty":              {},
	}
	for name, data := range cases {
		res, err := c.Run(ctxFor(t), transport.Command{Line: "cat", Stdin: bytes.NewReader(data)})
		if err != nil || !bytes.Equal(res.Stdout, data) {
			t.Errorf("%s: got %d bytes %q..., err %v; want %d bytes", name, len(res.Stdout), head(res.Stdout), err, len(data))
		}
	}
	if got := log.all(); len(got) != 1 {
		t.Errorf("exec requests %q, want only the shell's", got)
	}
	for name, stdin := range map[string]io.Reader{
		"NUL byte":      bytes.NewReader([]byte("a\x00b")),
		"CRLF":          bytes.NewReader([]byte("a\r\nb\r\n")),
		"not in memory": io.MultiReader(strings.NewReader("streamed")),
	} {
		before := len(log.all())
		res, err := c.Run(ctxFor(t), transport.Command{Line: "cat", Stdin: stdin})
		want := map[string]string{"NUL byte": "a\x00b", "CRLF": "a\r\nb\r\n", "not in memory": "streamed"}[name]
		if err != nil || string(res.Stdout) != want {
			t.Errorf("%s: got %q, %v", name, res.Stdout, err)
		}
		if len(log.all()) != before+1 {
			t.Errorf("%s: want a session of its own", name)
		}
	}
	for _, cmd := range log.all() {
		if strings.Contains(cmd, "abcdef") || strings.Contains(cmd, "$(id)") {
			t.Errorf("stdin data in an exec request: %.80q", cmd)
		}
	}
}

func head(b []byte) []byte { return b[:min(len(b), 40)] }

// TestPipeliningMarkerInOutput: output that looks like a marker, or has
// no final newline, is returned as it is.
func TestPipeliningMarkerInOutput(t *testing.T) {
	t.Parallel()
	th := newTestHost(t, hostConfig{})
	c := th.dial(t, Options{}, th.target(nil))
	for _, out := range []string{"rotplay-\n", "rotplay-ABCDEFGHIJKLMNOPQRSTUVWXYZ0\n", "x", ""} {
		res, err := c.Run(ctxFor(t), transport.Command{Line: "printf '%s' " + quote(out)})
		if err != nil || string(res.Stdout) != out || res.ExitCode != 0 {
			t.Errorf("printed %q, got %q (exit %d, %v)", out, res.Stdout, res.ExitCode, err)
		}
	}
}

func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// TestPipeliningCancel: a command whose ctx ends is killed by PID from a
// session of its own and Run returns at once; later calls still work, in
// sessions of their own.
func TestPipeliningCancel(t *testing.T) {
	t.Parallel()
	th, log := loggedHost(t, nil)
	c := th.dial(t, Options{}, th.target(nil))
	marker := filepath.Join(t.TempDir(), "ran-on")
	ctx, cancel := context.WithTimeout(ctxFor(t), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.Run(ctx, transport.Command{Line: "sleep 3; touch " + quote(marker)})
	if err == nil || time.Since(start) > 2*time.Second {
		t.Fatalf("cancelled Run returned %v after %v", err, time.Since(start))
	}
	res, err := c.Run(ctxFor(t), transport.Command{Line: "echo next"})
	if err != nil || string(res.Stdout) != "next\n" {
		t.Errorf("Run after a cancelled one: %q, %v", res.Stdout, err)
	}
	got := log.all()
	if len(got) != 3 || !strings.HasPrefix(got[1], "kill -s KILL ") || got[2] != "sh -c 'echo next'" {
		t.Errorf("exec requests %q: want the shell, kill -s KILL PID, then a session for the call after the cancel", got)
	}
	time.Sleep(3500 * time.Millisecond)
	if _, err := os.Stat(marker); err == nil {
		t.Error("the cancelled command ran on")
	}
}

// TestPipeliningNoAnswer: a host whose sh -s does not answer (it reads
// all of its stdin first) is still dialed, and gets a session per call.
func TestPipeliningNoAnswer(t *testing.T) {
	t.Parallel()
	th, log := loggedHost(t, func(ctx context.Context, req sshserver.ExecRequest) (int, bool) {
		if req.Command != "exec sh -s" {
			return 0, false
		}
		_, _ = io.Copy(io.Discard, req.Stdin)
		return 0, true
	})
	c := th.dial(t, Options{shellStart: 200 * time.Millisecond}, th.target(nil))
	res, err := c.Run(ctxFor(t), transport.Command{Line: "echo ok"})
	if err != nil || string(res.Stdout) != "ok\n" {
		t.Errorf("Run: %q, %v", res.Stdout, err)
	}
	if got := log.all(); len(got) != 3 { // the shell, facts, the command
		t.Errorf("exec requests %q", got)
	}
	// The operator is told why the host is slower, and what to do.
	if notes := c.Facts().Notes; len(notes) != 1 || !strings.HasPrefix(notes[0], "pipelining off (start shell: no answer from sh -s") ||
		!strings.Contains(notes[0], varPipelining+": false") {
		t.Errorf("Notes = %q, want one saying pipelining is off, why, and how to skip it", notes)
	}
}

// TestPipeliningConcurrent: concurrent calls on one connection all get
// their own answers, whether in the shell or in sessions.
func TestPipeliningConcurrent(t *testing.T) {
	t.Parallel()
	th := newTestHost(t, hostConfig{})
	c := th.dial(t, Options{}, th.target(nil))
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			want := strconv.Itoa(i)
			res, err := c.Run(ctxFor(t), transport.Command{Line: "cat; echo " + want, Stdin: strings.NewReader(want)})
			if err != nil || string(res.Stdout) != want+want+"\n" {
				t.Errorf("call %d: %q, %v", i, res.Stdout, err)
			}
		})
	}
	wg.Wait()
}

// TestPipeliningInline: rotplay's own scripts run in a subshell of the
// pipelining shell, not a new sh: their $$ is the shell's PID, their
// arguments arrive intact, the shell's variables are not theirs, and a
// script that does not parse fails alone (exit 2), the shell going on.
// Under sudo (and for Run's lines) they keep a sh of their own.
func TestPipeliningInline(t *testing.T) {
	t.Parallel()
	th, log := loggedHost(t, nil)
	c := th.dial(t, Options{}, th.target(nil))
	ctx := ctxFor(t)
	// Run's lines: a sh each, whose parent is the shell.
	shellPID, err := c.execute(ctx, command{script: `echo $PPID`}, nil, "KILL")
	if err != nil {
		t.Fatal(err)
	}
	out, err := c.execute(ctx, command{script: `echo $$`}, nil, "KILL")
	if err != nil || bytes.Equal(out.stdout, shellPID.stdout) {
		t.Fatalf("a line's sh is %q (%v), want a process other than the shell %q", out.stdout, err, shellPID.stdout)
	}
	inline := command{script: `printf '%s|' "$$" "$#" "$1" "$2" "$b$c$d$r"`, args: []string{"it's a $HOME", ""}, inline: true}
	out, err = c.execute(ctx, inline, strings.NewReader("data"), "KILL")
	pid := strings.TrimSpace(string(shellPID.stdout))
	if want := pid + "|2|it's a $HOME|||"; err != nil || string(out.stdout) != want {
		t.Errorf("inline script printed %q (%v), want %q: $$ is the shell's, args intact, no shell variables", out.stdout, err, want)
	}
	out, err = c.execute(ctx, command{script: `if then fi (`, inline: true}, nil, "KILL")
	if err != nil || out.code != 2 {
		t.Errorf("an inline script that does not parse: exit %d, %v; want 2", out.code, err)
	}
	out, err = c.execute(ctx, command{script: `echo still here`, inline: true}, nil, "KILL")
	if err != nil || string(out.stdout) != "still here\n" {
		t.Errorf("after it, the shell printed %q, %v", out.stdout, err)
	}
	if got := log.all(); len(got) != 1 {
		t.Errorf("exec requests %q, want only the shell's", got)
	}
	c.sudo = "sudo -n -- "
	if got := c.inShell(inline); got != c.line(inline) || !strings.HasPrefix(got, "sudo -n -- sh -c ") {
		t.Errorf("under sudo the shell runs %q, want the session's line", got)
	}
}

// TestOutputLimit: a command printing more than the limit on stdout or
// stderr fails with ErrOutputTooLarge after running to its end, whether
// in the shell or in a session; exactly the limit is kept whole; a file
// larger than the limit is never returned in part; and the connection
// (and its shell) go on.
func TestOutputLimit(t *testing.T) {
	t.Parallel()
	const limit = 256 << 10
	for _, pipelining := range []bool{true, false} {
		th, log := loggedHost(t, nil)
		c := th.dial(t, Options{}, th.target(map[string]any{varPipelining: pipelining}))
		c.maxOutput = limit
		ctx := ctxFor(t)
		dir := t.TempDir()
		for _, line := range []string{
			fmt.Sprintf("head -c %d /dev/zero; touch %s/ran1", limit+1, dir),
			fmt.Sprintf("head -c %d /dev/zero >&2; touch %s/ran2", limit+1, dir),
			fmt.Sprintf("head -c %d /dev/zero >&2; sleep 0.05; head -c %d /dev/zero >&2; touch %s/ran3", limit/2, limit/2+1, dir),
			fmt.Sprintf("yes 0123456789 | head -c %d", 50*limit),
		} {
			_, err := c.Run(ctx, transport.Command{Line: line})
			if !errors.Is(err, transport.ErrOutputTooLarge) {
				t.Errorf("pipelining %v: %.40q: %v, want ErrOutputTooLarge", pipelining, line, err)
			}
		}
		for i := 1; i <= 3; i++ {
			if _, err := os.Stat(filepath.Join(dir, fmt.Sprintf("ran%d", i))); err != nil {
				t.Errorf("pipelining %v: command %d did not run to its end: %v", pipelining, i, err)
			}
		}
		res, err := c.Run(ctx, transport.Command{Line: fmt.Sprintf("head -c %d /dev/zero; head -c %d /dev/zero >&2", limit, limit)})
		if err != nil || len(res.Stdout) != limit || len(res.Stderr) != limit {
			t.Errorf("pipelining %v: exactly the limit: %d and %d bytes, %v", pipelining, len(res.Stdout), len(res.Stderr), err)
		}
		big := filepath.Join(dir, "big")
		if err := os.WriteFile(big, bytes.Repeat([]byte("x"), limit+1), 0o644); err != nil {
			t.Fatal(err)
		}
		if data, _, err := c.ReadFile(ctx, big); !errors.Is(err, transport.ErrOutputTooLarge) || data != nil {
			t.Errorf("pipelining %v: ReadFile of a file over the limit: %d bytes, %v", pipelining, len(data), err)
		}
		res, err = c.Run(ctx, transport.Command{Line: "echo still here"})
		if err != nil || string(res.Stdout) != "still here\n" {
			t.Errorf("pipelining %v: after: %q, %v", pipelining, res.Stdout, err)
		}
		if got := log.all(); pipelining && len(got) != 1 {
			t.Errorf("exec requests %q: the shell should have gone on", got)
		}
	}
}

// TestPipeliningVar: rotplay_ssh_pipelining is read as Ansible writes
// booleans, -e's strings included; anything else is an error.
func TestPipeliningVar(t *testing.T) {
	t.Parallel()
	th := newTestHost(t, hostConfig{})
	d := th.dialer(Options{}, nil)
	for v, want := range map[any]bool{nil: true, true: true, false: false, "false": false, "no": false, "True": true, "on": true, 0: false} {
		h, err := d.resolve(th.target(map[string]any{varPipelining: v}))
		if err != nil || h.pipelining != want {
			t.Errorf("%s: %#v: pipelining %v, %v; want %v", varPipelining, v, h != nil && h.pipelining, err, want)
		}
	}
	if _, err := d.resolve(th.target(map[string]any{varPipelining: "maybe"})); err == nil ||
		!strings.Contains(err.Error(), varPipelining+" must be true or false, got maybe") {
		t.Errorf("maybe: %v", err)
	}
}

// chunked hands out its data n bytes per Read.
type chunked struct {
	data []byte
	n    int
}

func (c *chunked) Read(p []byte) (int, error) {
	if len(c.data) == 0 {
		return 0, io.EOF
	}
	k := min(c.n, len(p), len(c.data))
	copy(p, c.data[:k])
	c.data = c.data[k:]
	return k, nil
}

// TestStreamUntil: whatever the chunk boundaries (a marker split across
// reads included), until returns exactly what came before the marker, up
// to the limit, says whether more came, and leaves what follows the
// marker's line for the next call.
func TestStreamUntil(t *testing.T) {
	t.Parallel()
	const nonce = "rotplay-NONCE0123456789"
	long := strings.Repeat("x", 1000)
	for _, tc := range []struct {
		before string
		limit  int
		want   string
		over   bool
	}{
		{"", 100, "", false},
		{"short", 100, "short", false},
		{"rotplay-NONCE012 almost a marker", 100, "rotplay-NONCE012 almost a marker", false},
		{long, 1000, long, false},
		{long, 999, long[:999], true},
		{long, 10, long[:10], true},
	} {
		for _, n := range []int{1, 3, len(nonce) - 1, len(nonce), 64, 1 << 16} {
			done := make(chan struct{})
			s := newStream(&chunked{data: []byte(tc.before + nonce + "42\nnext" + nonce + "\n"), n: n}, done)
			before, rest, over, err := s.until(t.Context(), nonce, tc.limit)
			if err != nil || string(before) != tc.want || rest != "42" || over != tc.over {
				t.Errorf("%.20q, limit %d, chunks of %d: %.20q (%d bytes) %q %v %v; want %.20q (%d bytes) 42 %v",
					tc.before, tc.limit, n, before, len(before), rest, over, err, tc.want, len(tc.want), tc.over)
			}
			if next, _, _, err := s.until(t.Context(), nonce, tc.limit); err != nil || string(next) != "next" {
				t.Errorf("chunks of %d: the next call got %q, %v", n, next, err)
			}
			close(done)
		}
	}
}
