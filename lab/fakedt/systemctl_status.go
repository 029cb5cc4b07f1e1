package fakedt

import (
	"fmt"
	"strings"
)

// systemctlStatus prints a systemd-like status block per unit. Exit 4 for
// an unknown unit, 3 when a unit does not run, as systemctl status does.
func (s *session) systemctlStatus(call systemctlCall) int {
	code := 0
	for i, name := range call.units {
		u := lookupUnit(name)
		if !s.isInstalled(u) {
			fmt.Fprintf(s.Stderr, "Unit %s could not be found.\n", unitFile(name))
			code = 4
			continue
		}
		if i > 0 {
			fmt.Fprintln(s.Stdout)
		}
		if st := s.printStatus(u); st != stateActive && code == 0 {
			code = 3
		}
	}
	return code
}

func (s *session) printStatus(u *unit) string {
	st := s.state(u)
	dot, active := "●", "active (running)"
	switch st {
	case stateInactive:
		dot, active = "○", "inactive (dead)"
	case stateFailed:
		dot, active = "×", "failed (Result: exit-code)"
	}
	fmt.Fprintf(s.Stdout, "%s %s - %s\n", dot, unitFile(u.name), u.description)
	fmt.Fprintf(s.Stdout, "     Loaded: loaded (/etc/systemd/system/%s; enabled; preset: enabled)\n", unitFile(u.name))
	fmt.Fprintf(s.Stdout, "     Active: %s\n", active)
	if tail := s.logTail(u, 5); len(tail) > 0 {
		fmt.Fprintf(s.Stdout, "\n%s\n", strings.Join(tail, "\n"))
	}
	return st
}

// systemctlShow prints properties (ActiveState, SubState, LoadState,
// UnitFileState) as `Name=value` lines, or bare values with --value.
func (s *session) systemctlShow(call systemctlCall) int {
	props := call.properties
	if len(props) == 0 {
		props = []string{"Id", "LoadState", "ActiveState", "SubState"}
	}
	for _, name := range call.units {
		for _, p := range props {
			v := s.property(name, p)
			if call.value {
				fmt.Fprintln(s.Stdout, v)
			} else {
				fmt.Fprintf(s.Stdout, "%s=%s\n", p, v)
			}
		}
	}
	return 0
}

func (s *session) property(name, prop string) string {
	u := lookupUnit(name)
	installed := s.isInstalled(u)
	st := stateInactive
	if installed {
		st = s.state(u)
	}
	switch prop {
	case "Id":
		return unitFile(name)
	case "LoadState":
		if installed {
			return "loaded"
		}
		return "not-found"
	case "ActiveState":
		return st
	case "SubState":
		return map[string]string{stateActive: "running", stateInactive: "dead", stateFailed: "failed"}[st]
	case "UnitFileState":
		if installed {
			return "enabled"
		}
	}
	return ""
}
