package service

import (
	"context"
	"fmt"
	"strings"

	"github.com/rotplay/rotplay/internal/shquote"

	"github.com/rotplay/rotplay/transport"
)

// manager controls one service through one init system on one host.
type manager interface {
	// kind is "systemd" or "sysv", as registered.
	kind() string
	// state asks whether the service runs. A *failure means the manager
	// could not tell; other errors mean the host was lost.
	state(ctx context.Context) (svcState, error)
	// line is the command line that starts, stops or restarts the service.
	line(verb string) string
	// status returns the manager's description of the service, for
	// diagnostics; it is empty when even that fails.
	status(ctx context.Context) string
	conn() transport.Conn
}

// svcState is a service's state as its manager reports it.
type svcState struct {
	up      bool   // running (or reloading)
	settled bool   // not on its way up or down
	word    string // the manager's word: active, activating, failed, running...
}

func (s svcState) String() string { return s.word }

// systemd manages services with systemctl.
type systemd struct {
	c    transport.Conn
	name string
}

func (s systemd) kind() string            { return managerSystemd }
func (s systemd) conn() transport.Conn    { return s.c }
func (s systemd) line(verb string) string { return "systemctl " + verb + " " + shquote.Word(s.name) }

// state runs systemctl is-active, which prints one word whatever the exit
// code (3 for inactive). No word means systemctl itself failed: missing,
// or systemd not running (a container), which auto answers with sysv.
func (s systemd) state(ctx context.Context) (svcState, error) {
	line := "systemctl is-active " + shquote.Word(s.name)
	out, err := s.c.Run(ctx, transport.Command{Line: line})
	if err != nil {
		return svcState{}, fmt.Errorf("run %s: %w", line, err)
	}
	word := firstLine(string(out.Stdout))
	switch {
	case word != "":
		return systemdState(word), nil
	case out.ExitCode == 127 || noSystemd(string(out.Stderr)):
		return svcState{}, &failure{noSystemd: true,
			msg: "systemctl is not usable on this host (" + detail(out) + "); set manager: sysv to use service"}
	}
	return svcState{}, &failure{msg: fmt.Sprintf("%s: exit code %d: %s", line, out.ExitCode, detail(out))}
}

// noSystemd recognises systemctl saying that systemd is not running.
func noSystemd(stderr string) bool {
	return strings.Contains(stderr, "not been booted with systemd") ||
		strings.Contains(stderr, "Failed to connect to bus") ||
		strings.Contains(stderr, "not found")
}

// systemdState reads an is-active word. Reloading still serves; the
// -ing states are on their way and settle later.
func systemdState(word string) svcState {
	switch word {
	case "active", "reloading", "refreshing":
		return svcState{up: true, settled: true, word: word}
	case "activating", "deactivating":
		return svcState{word: word}
	}
	return svcState{settled: true, word: word} // inactive, failed, maintenance...
}

func (s systemd) status(ctx context.Context) string {
	return statusText(ctx, s.c, "systemctl status "+shquote.Word(s.name)+" --no-pager -n 20")
}

// sysv manages services with the service command (SysV init scripts, and
// wrappers such as Upstart's or OpenRC's that take the same verbs).
type sysv struct {
	c    transport.Conn
	name string
}

func (s sysv) kind() string            { return managerSysV }
func (s sysv) conn() transport.Conn    { return s.c }
func (s sysv) line(verb string) string { return "service " + shquote.Word(s.name) + " " + verb }

// state runs `service NAME status`: exit 0 means running, as LSB says;
// any other code (3 not running, 1 unrecognized) means not running.
func (s sysv) state(ctx context.Context) (svcState, error) {
	line := s.line("status")
	out, err := s.c.Run(ctx, transport.Command{Line: line})
	if err != nil {
		return svcState{}, fmt.Errorf("run %s: %w", line, err)
	}
	switch out.ExitCode {
	case 0:
		return svcState{up: true, settled: true, word: "running"}, nil
	case 127:
		return svcState{}, &failure{msg: "neither systemctl nor service is usable on this host (" + detail(out) + ")"}
	}
	return svcState{settled: true, word: "stopped"}, nil
}

func (s sysv) status(ctx context.Context) string {
	return statusText(ctx, s.c, s.line("status"))
}

// statusText runs a status command and returns what it printed, whatever
// its exit code (non-zero for a stopped service).
func statusText(ctx context.Context, c transport.Conn, line string) string {
	out, err := c.Run(ctx, transport.Command{Line: line})
	if err != nil {
		return ""
	}
	return strings.TrimSpace(strings.TrimSpace(string(out.Stdout)) + "\n" + strings.TrimSpace(string(out.Stderr)))
}

// detail is the first line a failed command printed, stderr first.
func detail(out transport.Result) string {
	if d := firstLine(string(out.Stderr)); d != "" {
		return d
	}
	if d := firstLine(string(out.Stdout)); d != "" {
		return d
	}
	return fmt.Sprintf("exit code %d", out.ExitCode)
}

// firstLine returns the first line of s that is not blank, trimmed.
func firstLine(s string) string {
	for l := range strings.SplitSeq(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			return l
		}
	}
	return ""
}
