package ssh

import (
	"errors"
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rotplay/rotplay/transport"
)

// fakeSudo is a `sudo` first in the commands' PATH. It logs its options,
// then runs the command with ROTPLAY_BECAME set to the user it would have
// become, or refuses the way sudo -n does.
type fakeSudo struct {
	env []string // for hostConfig.env
	log string
}

const fakeSudoScript = `#!/bin/sh
opts=
while [ $# -gt 0 ]; do
	case $1 in
	-n) opts="$opts -n"; shift ;;
	-u) opts="$opts -u $2"; user=$2; shift 2 ;;
	--) shift; break ;;
	*) echo "fake sudo: unexpected option $1" >&2; exit 64 ;;
	esac
done
echo "sudo$opts -- $1 $2" >>"$ROTPLAY_SUDO_LOG"
case $ROTPLAY_SUDO_REFUSE in
password) echo "sudo: a password is required" >&2; exit 1 ;;
denied) echo "Sorry, user tester is not allowed to execute '/bin/sh' as ${user:-root} on testhost." >&2; exit 1 ;;
esac
ROTPLAY_BECAME=${user:-root}
export ROTPLAY_BECAME
exec "$@"
`

// installFakeSudo writes the fake sudo; refuse is "", "password" or
// "denied".
func installFakeSudo(t *testing.T, refuse string) *fakeSudo {
	t.Helper()
	dir := t.TempDir()
	bin := filepath.Join(dir, "bin")
	writeFile(t, filepath.Join(bin, "sudo"), fakeSudoScript)
	if err := os.Chmod(filepath.Join(bin, "sudo"), 0o755); err != nil {
		t.Fatal(err)
	}
	s := &fakeSudo{log: filepath.Join(dir, "sudo.log")}
	s.env = []string{"PATH=" + bin + ":" + os.Getenv("PATH"), "ROTPLAY_SUDO_LOG=" + s.log, "ROTPLAY_SUDO_REFUSE=" + refuse}
	return s
}

// lines returns the logged calls.
func (s *fakeSudo) lines() []string {
	data, _ := os.ReadFile(s.log)
	return strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
}

func (s *fakeSudo) calls() int {
	data, _ := os.ReadFile(s.log)
	return strings.Count(string(data), "\n")
}

func becomeTarget(th *testHost, becomeUser string) transport.Target {
	tg := th.target(nil)
	tg.Become, tg.BecomeUser = true, becomeUser
	return tg
}

// TestBecomeWrapsEverything: commands and each file operation go through
// `sudo -n -u USER -- sh -c ...`, and the facts report the become user.
func TestBecomeWrapsEverything(t *testing.T) {
	t.Parallel()
	sudo := installFakeSudo(t, "")
	th := newTestHost(t, hostConfig{env: sudo.env})
	c := th.dial(t, Options{}, becomeTarget(th, "svc"))
	if n := sudo.calls(); n != 0 {
		t.Errorf("Dial called sudo %d times; the facts need no privilege", n)
	}
	if u := c.Facts().User; u != "svc" {
		t.Errorf("Facts().User = %q, want the become user svc", u)
	}
	ctx := ctxFor(t)
	res, err := c.Run(ctx, transport.Command{Line: `echo "$ROTPLAY_BECAME"`})
	if err != nil || string(res.Stdout) != "svc\n" {
		t.Errorf("Run under become: %q, %v; want svc", res.Stdout, err)
	}
	p := filepath.Join(t.TempDir(), "f")
	if err := c.WriteFile(ctx, p, []byte("data"), transport.WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.ReadFile(ctx, p); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Stat(ctx, p); err != nil {
		t.Fatal(err)
	}
	lines := sudo.lines()
	if len(lines) != 4 {
		t.Fatalf("sudo called %d times for Run, WriteFile, ReadFile, Stat: %q", len(lines), lines)
	}
	for _, l := range lines {
		if !strings.HasPrefix(l, "sudo -n -u svc -- sh -c") {
			t.Errorf("sudo call %q, want sudo -n -u svc -- sh -c ...", l)
		}
	}
}

// TestBecomeSelfNeedsNoSudo: a login user that already is the become user
// runs commands directly.
func TestBecomeSelfNeedsNoSudo(t *testing.T) {
	t.Parallel()
	sudo := installFakeSudo(t, "")
	th := newTestHost(t, hostConfig{env: sudo.env})
	c := th.dial(t, Options{}, becomeTarget(th, currentUser(t)))
	if _, err := c.Run(ctxFor(t), transport.Command{Line: "true"}); err != nil {
		t.Fatal(err)
	}
	if n := sudo.calls(); n != 0 || c.sudo != "" {
		t.Errorf("sudo used (%d calls, prefix %q) to become the login user", n, c.sudo)
	}
}

// TestBecomeRefused: sudo -n refusing gives an error that says what to
// fix, for commands and file operations alike, not exit code 1.
func TestBecomeRefused(t *testing.T) {
	t.Parallel()
	for _, refuse := range []string{"password", "denied"} {
		t.Run(refuse, func(t *testing.T) {
			t.Parallel()
			th := newTestHost(t, hostConfig{env: installFakeSudo(t, refuse).env})
			c := th.dial(t, Options{}, becomeTarget(th, "svc"))
			ctx := ctxFor(t)
			_, runErr := c.Run(ctx, transport.Command{Line: "true"})
			_, _, readErr := c.ReadFile(ctx, "/etc/hostname")
			writeErr := c.WriteFile(ctx, filepath.Join(t.TempDir(), "x"), []byte("x"), transport.WriteOptions{})
			for name, err := range map[string]error{"Run": runErr, "ReadFile": readErr, "WriteFile": writeErr} {
				wantErr(t, name, err, fs.ErrPermission, "sudo on testhost needs a password or denies", "passwordless sudo", "as svc")
				var be *becomeError
				if !errors.As(err, &be) {
					t.Errorf("%s: %v is not a becomeError", name, err)
				}
			}
		})
	}
}

// TestCommandOutputLikeSudoIsNotRefusal: only sudo's own lines count.
func TestCommandOutputLikeSudoIsNotRefusal(t *testing.T) {
	t.Parallel()
	th := newTestHost(t, hostConfig{env: installFakeSudo(t, "").env})
	c := th.dial(t, Options{}, becomeTarget(th, "svc"))
	res, err := c.Run(ctxFor(t), transport.Command{Line: "echo 'you are not allowed to do that' >&2; exit 1"})
	if err != nil || res.ExitCode != 1 {
		t.Errorf("a command's own message: %v, exit %d; want a Result with exit 1", err, res.ExitCode)
	}
}

func currentUser(t *testing.T) string {
	u, err := user.Current()
	if err != nil {
		t.Skip("no current user")
	}
	return u.Username
}
