package ssh

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rotplay/rotplay/internal/shquote"

	"golang.org/x/crypto/ssh"

	"github.com/rotplay/rotplay/lab/sshserver"
	"github.com/rotplay/rotplay/lab/sshserver/sshservertest"
	"github.com/rotplay/rotplay/transport"
)

// TestRunSignalExitCode: a command killed by a signal is a Result with
// exit code 128+n, whether the shell reports it as a status or the server
// as an exit-signal.
func TestRunSignalExitCode(t *testing.T) {
	t.Parallel()
	th := newTestHost(t, hostConfig{})
	c := th.dial(t, Options{}, th.target(nil))
	for line, want := range map[string]int{"kill -TERM $$": 128 + 15, "kill -KILL $$": 128 + 9} {
		res, err := c.Run(ctxFor(t), transport.Command{Line: line})
		if err != nil || res.ExitCode != want {
			t.Errorf("%s: exit %d, %v; want %d", line, res.ExitCode, err, want)
		}
	}
	shell := sshservertest.Shell{Dir: t.TempDir()}
	signalled := newTestHost(t, hostConfig{exec: func(ctx context.Context, req sshserver.ExecRequest) int {
		if req.Command == "sh -c 'die'" {
			return -15 // the server sends exit-signal TERM
		}
		return shell.Exec(ctx, req)
	}})
	// A session per command, so that the exec request is the command's.
	noShell := signalled.target(map[string]any{varPipelining: false})
	res, err := signalled.dial(t, Options{}, noShell).Run(ctxFor(t), transport.Command{Line: "die"})
	if err != nil || res.ExitCode != 128+15 {
		t.Errorf("exit-signal TERM: exit %d, %v; want 143", res.ExitCode, err)
	}
}

// TestRunQuoting: command lines, directories and scripts reach sh intact,
// whatever quotes, newlines and $ they hold.
func TestRunQuoting(t *testing.T) {
	t.Parallel()
	th := newTestHost(t, hostConfig{})
	c := th.dial(t, Options{}, th.target(nil))
	dir := filepath.Join(t.TempDir(), "it's a \"dir\" $HOME\n`x`")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	line := "printf '%s|' \"it's\" '$HOME' \"$(pwd)\"\n# a comment without newline"
	res, err := c.Run(ctxFor(t), transport.Command{Line: line, Dir: dir})
	if want := "it's|$HOME|" + dir + "|"; err != nil || string(res.Stdout) != want {
		t.Errorf("stdout %q, %v; want %q", res.Stdout, err, want)
	}
}

// TestRunDirMissing: a missing directory is sh's failure, a Result.
func TestRunDirMissing(t *testing.T) {
	t.Parallel()
	th := newTestHost(t, hostConfig{})
	c := th.dial(t, Options{}, th.target(nil))
	res, err := c.Run(ctxFor(t), transport.Command{Line: "echo ran", Dir: filepath.Join(t.TempDir(), "gone")})
	if err != nil || res.ExitCode == 0 || len(res.Stdout) != 0 || !strings.Contains(string(res.Stderr), "gone") {
		t.Errorf("Run in a missing dir: %+v, %v; want a non-zero Result naming the dir, command not run", res, err)
	}
}

// TestKillSignal: under sudo the signal is TERM, which sudo relays.
func TestKillSignal(t *testing.T) {
	t.Parallel()
	if got := (&conn{}).killSignal(); got != ssh.SIGKILL {
		t.Errorf("without sudo: %s, want KILL", got)
	}
	if got := (&conn{sudo: sudoPrefix("")}).killSignal(); got != ssh.SIGTERM {
		t.Errorf("with sudo: %s, want TERM", got)
	}
}

// TestQuote: quote's output, read back by real shells, is the input.
func TestQuote(t *testing.T) {
	t.Parallel()
	inputs := []string{"", "plain", "it's", "''", "a\nb", `$HOME \ "x" ` + "`id`", "-n", "\x01\xff"}
	for _, sh := range shells(t) {
		for _, in := range inputs {
			out, err := exec.Command(sh[0], append(sh[1:], "-c", "printf %s "+shquote.Always(in))...).Output()
			if err != nil || string(out) != in {
				t.Errorf("%s: shquote.Always(%q) read back as %q (%v)", sh[0], in, out, err)
			}
		}
	}
}

func TestSudoPrefix(t *testing.T) {
	t.Parallel()
	if got, want := sudoPrefix(""), "sudo -n -- "; got != want {
		t.Errorf("sudoPrefix(\"\") = %q, want %q", got, want)
	}
	if got, want := sudoPrefix("o'neil"), `sudo -n -u 'o'\''neil' -- `; got != want {
		t.Errorf("sudoPrefix(o'neil) = %q, want %q", got, want)
	}
}
