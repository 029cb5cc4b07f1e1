package fakedt

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// systemdVersion is what `systemctl --version` prints.
const systemdVersion = "systemd 252 (252.30-1~deb12u2)\n+PAM +AUDIT +SELINUX +APPARMOR +SECCOMP"

// systemctlCall is a parsed systemctl command line.
type systemctlCall struct {
	verb       string
	units      []string
	quiet      bool
	value      bool
	properties []string
	version    bool
}

// Systemctl fakes systemctl for the Dynatrace units: start, stop, restart,
// is-active, status, show, is-enabled and daemon-reload. Changing a unit
// needs root (exit 1 "Access denied"); unknown units exit 5 like systemd's
// "not found". Exit codes follow systemctl: is-active and status exit 3
// for a unit that does not run.
func Systemctl(ctx context.Context, e Env) int {
	s, err := newSession(e)
	if err != nil {
		fmt.Fprintf(e.withDefaults().Stderr, "systemctl: %v\n", err)
		return 1
	}
	call, err := parseSystemctl(e.Args)
	if err != nil {
		return s.errorf(1, "systemctl: %v", err)
	}
	if call.version {
		fmt.Fprintln(s.Stdout, systemdVersion)
		return 0
	}
	switch call.verb {
	case "start", "stop", "restart", "try-restart", "reload-or-restart":
		return s.systemctlChange(ctx, call)
	case "is-active":
		return s.systemctlIsActive(call)
	case "status":
		return s.systemctlStatus(call)
	case "show":
		return s.systemctlShow(call)
	case "is-enabled":
		return s.systemctlIsEnabled(call)
	case "daemon-reload":
		if s.UID != 0 {
			return s.errorf(1, "Failed to reload daemon: Access denied")
		}
		return 0
	case "":
		return s.errorf(1, "systemctl: this fake needs a command (start, stop, restart, is-active, status, show)")
	}
	return s.errorf(1, "Unknown command verb %s.", call.verb)
}

func parseSystemctl(args []string) (systemctlCall, error) {
	var c systemctlCall
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "-q" || a == "--quiet":
			c.quiet = true
		case a == "--value":
			c.value = true
		case a == "--version":
			c.version = true
		case a == "-p" || a == "--property":
			if i++; i == len(args) {
				return c, fmt.Errorf("option '%s' requires an argument", a)
			}
			c.properties = append(c.properties, strings.Split(args[i], ",")...)
		case strings.HasPrefix(a, "--property="):
			c.properties = append(c.properties, strings.Split(strings.TrimPrefix(a, "--property="), ",")...)
		case slices.Contains(ignoredSystemctlFlags, a):
		case strings.HasPrefix(a, "-"):
			return c, fmt.Errorf("unrecognized option '%s'", a)
		case c.verb == "":
			c.verb = a
		default:
			c.units = append(c.units, a)
		}
	}
	return c, nil
}

// ignoredSystemctlFlags change nothing a fake can show.
var ignoredSystemctlFlags = []string{
	"--no-pager", "--no-block", "--no-ask-password", "--system", "--full", "-l", "--no-legend", "--plain",
}

func unitFile(name string) string {
	return strings.TrimSuffix(name, ".service") + ".service"
}

// systemctlChange starts, stops or restarts each unit in turn, stopping at
// the first failure as systemctl does.
func (s *session) systemctlChange(ctx context.Context, call systemctlCall) int {
	verb := call.verb
	if len(call.units) == 0 {
		return s.errorf(1, "Too few arguments.")
	}
	for _, name := range call.units {
		u := lookupUnit(name)
		if !s.isInstalled(u) {
			return s.errorf(5, "Failed to %s %s: Unit %s %s.", verb, unitFile(name), unitFile(name), notFoundWord(verb))
		}
		if s.UID != 0 {
			return s.errorf(1, "Failed to %s %s: Access denied", verb, unitFile(name))
		}
		if code := s.change(ctx, verb, u); code != 0 {
			return code
		}
	}
	return 0
}

// notFoundWord is systemd's wording: a unit to stop is "not loaded".
func notFoundWord(verb string) string {
	if verb == "stop" {
		return "not loaded"
	}
	return "not found"
}

func (s *session) change(ctx context.Context, verb string, u *unit) int {
	var err error
	switch verb {
	case "start":
		err = s.start(ctx, u)
	case "stop":
		err = s.stop(ctx, u)
	case "try-restart":
		if s.state(u) == stateActive {
			err = s.restart(ctx, u)
		}
	default:
		err = s.restart(ctx, u)
	}
	switch {
	case err == nil:
		return 0
	case isStartError(err):
		fmt.Fprintf(s.Stderr, "Job for %[1]s failed because the control process exited with error code.\n"+
			"See \"systemctl status %[1]s\" and \"journalctl -xeu %[1]s\" for details.\n", unitFile(u.name))
		fmt.Fprintf(s.Stderr, "%v\n", err)
		return 1
	}
	return s.errorf(1, "Failed to %s %s: %v", verb, unitFile(u.name), err)
}

func (s *session) systemctlIsActive(call systemctlCall) int {
	if len(call.units) == 0 {
		return s.errorf(1, "Too few arguments.")
	}
	code := 0
	for _, name := range call.units {
		st := stateInactive
		if u := lookupUnit(name); s.isInstalled(u) {
			st = s.state(u)
		}
		if !call.quiet {
			fmt.Fprintln(s.Stdout, st)
		}
		if st != stateActive {
			code = 3
		}
	}
	return code
}

func (s *session) systemctlIsEnabled(call systemctlCall) int {
	for _, name := range call.units {
		if !s.isInstalled(lookupUnit(name)) {
			return s.errorf(1, "Failed to get unit file state for %s: No such file or directory", unitFile(name))
		}
		if !call.quiet {
			fmt.Fprintln(s.Stdout, "enabled")
		}
	}
	return 0
}
