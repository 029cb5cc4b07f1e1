package fakedt

import (
	"context"
	"fmt"
)

// Service fakes the SysV `service NAME start|stop|restart|status` wrapper
// over the same units as Systemctl, with LSB init-script exit codes:
// status exits 0 when running, 3 when stopped, 1 when failed; changing a
// service without root exits 4; an unknown service exits 1.
func Service(ctx context.Context, e Env) int {
	s, err := newSession(e)
	if err != nil {
		fmt.Fprintf(e.withDefaults().Stderr, "service: %v\n", err)
		return 1
	}
	if len(e.Args) != 2 {
		return s.errorf(2, "Usage: service < option > | --status-all | [ service_name [ command | --full-restart ] ]")
	}
	name, verb := e.Args[0], e.Args[1]
	u := lookupUnit(name)
	if !s.isInstalled(u) {
		return s.errorf(1, "%s: unrecognized service", name)
	}
	switch verb {
	case "status":
		return s.serviceStatus(u)
	case "start", "stop", "restart", "force-reload":
	default:
		return s.errorf(2, "Usage: /etc/init.d/%s {start|stop|restart|status}", u.name)
	}
	if s.UID != 0 {
		return s.errorf(4, "%s: must be run as root to %s", u.name, verb)
	}
	return s.serviceChange(ctx, u, verb)
}

func (s *session) serviceStatus(u *unit) int {
	switch s.state(u) {
	case stateActive:
		fmt.Fprintf(s.Stdout, "%s is running\n", u.name)
		return 0
	case stateFailed:
		fmt.Fprintf(s.Stdout, "%s is not running (failed)\n", u.name)
		return 1
	}
	fmt.Fprintf(s.Stdout, "%s is stopped\n", u.name)
	return 3
}

func (s *session) serviceChange(ctx context.Context, u *unit, verb string) int {
	var err error
	switch verb {
	case "start":
		err = s.start(ctx, u)
	case "stop":
		err = s.stop(ctx, u)
	default:
		err = s.restart(ctx, u)
	}
	if err != nil {
		return s.errorf(1, "%s %s: failed: %v", verb, u.name, err)
	}
	return 0
}
