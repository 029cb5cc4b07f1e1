package fakedt

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"
)

// Env is what one run of a fake command gets: its host's file system, the
// caller's identity and I/O, and where to report to.
type Env struct {
	FS     FS
	UID    int      // effective uid of the caller; 0 is root
	Args   []string // argv[1:]
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer

	// Reporter receives connects and stops. nil means: use the
	// simulator named in the host config file, or report nothing.
	Reporter Reporter

	// RestartDelay is how long every (re)start takes; ctx cancels it.
	RestartDelay time.Duration

	// Host and Tenant override the host config file's values; "" means
	// use the file's.
	Host   string
	Tenant string
}

func (e Env) withDefaults() Env {
	if e.Stdin == nil {
		e.Stdin = strings.NewReader("")
	}
	if e.Stdout == nil {
		e.Stdout = io.Discard
	}
	if e.Stderr == nil {
		e.Stderr = io.Discard
	}
	return e
}

// session is one run of a fake with its host config resolved.
type session struct {
	Env
	host   string
	tenant string
	rep    Reporter // nil: report nothing
}

func newSession(e Env) (*session, error) {
	e = e.withDefaults()
	cfg, err := ReadHostConfig(e.FS)
	if err != nil {
		return nil, err
	}
	s := &session{Env: e, host: cfg.Host, tenant: cfg.Tenant, rep: e.Reporter}
	if e.Host != "" {
		s.host = e.Host
	}
	if e.Tenant != "" {
		s.tenant = e.Tenant
	}
	if s.rep == nil && cfg.Simulator != "" {
		s.rep = HTTPReporter(cfg.Simulator)
	}
	if s.host == "" {
		s.rep = nil // nothing to name the reports with
	}
	return s, nil
}

// errorf prints a message on stderr and returns code, for one-line exits.
func (s *session) errorf(code int, format string, args ...any) int {
	fmt.Fprintf(s.Stderr, format+"\n", args...)
	return code
}

// wait lets RestartDelay pass, or returns ctx's error.
func (s *session) wait(ctx context.Context) error {
	if s.RestartDelay <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(s.RestartDelay)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// connect reports that u's component connects with token. The verdict goes
// to the unit's log, as a real component would log a rejected handshake;
// the component keeps running either way.
func (s *session) connect(ctx context.Context, u *unit, c connection) {
	if s.rep == nil {
		s.logf(u, "%s started (no simulator configured, nothing reported)", c.component)
		return
	}
	ok, reason, err := s.rep.Connect(ctx, s.host, c.component, c.token)
	switch {
	case err != nil:
		s.logf(u, "%s: cannot reach the cluster: %v", c.component, err)
		fmt.Fprintf(s.Stderr, "fakedt: report %s connect: %v\n", c.component, err)
	case !ok:
		s.logf(u, "%s: connection rejected by the cluster: %s", c.component, reason)
	default:
		s.logf(u, "%s: connected to the cluster", c.component)
	}
}

// stopped reports that component stopped.
func (s *session) stopped(ctx context.Context, u *unit, component string) {
	s.logf(u, "%s stopped", component)
	if s.rep == nil {
		return
	}
	if err := s.rep.Stop(ctx, s.host, component); err != nil {
		fmt.Fprintf(s.Stderr, "fakedt: report %s stop: %v\n", component, err)
	}
}
