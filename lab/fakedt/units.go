package fakedt

import (
	"context"
	"errors"
	"path"
	"strings"
)

// Unit states as systemctl is-active prints them.
const (
	stateActive   = "active"
	stateInactive = "inactive"
	stateFailed   = "failed"
)

// connection is one component connecting to the cluster with a token.
type connection struct {
	component string
	token     string
}

// unit is one service the fakes know.
type unit struct {
	name        string
	description string
	// installed is a path that exists only where the component is
	// installed; a unit without it is "not found".
	installed string
	// connections reads the component's configuration and returns what
	// it connects with; an error makes the start fail.
	connections func(s *session, u *unit) ([]connection, error)
	// components lists what stopping the unit disconnects.
	components func(s *session) []string
}

// units is the registry of the services the fakes provide.
func units() []*unit {
	return []*unit{gatewayUnit, extensionsUnit, zremoteUnit, oneagentUnit}
}

// lookupUnit finds a unit by its name, with or without ".service".
func lookupUnit(name string) *unit {
	name = strings.TrimSuffix(name, ".service")
	for _, u := range units() {
		if u.name == name {
			return u
		}
	}
	return nil
}

// isInstalled reports whether u exists on the host.
func (s *session) isInstalled(u *unit) bool {
	if u == nil {
		return false
	}
	_, err := s.FS.Stat(u.installed)
	return err == nil
}

func statePath(u *unit) string { return path.Join(UnitStateDir, u.name) }

// state returns u's state. Installed services run unless the lab or a
// stop said otherwise, as on a real host after boot.
func (s *session) state(u *unit) string {
	data, err := s.FS.ReadFile(statePath(u))
	if err != nil {
		return stateActive
	}
	switch st := strings.TrimSpace(string(data)); st {
	case stateInactive, stateFailed:
		return st
	}
	return stateActive
}

func (s *session) setState(u *unit, st string) error {
	return s.FS.WriteFile(statePath(u), []byte(st+"\n"), 0o644)
}

// startError is a unit that failed to start; msg is what it logged.
type startError struct {
	unit *unit
	msg  string
}

func (e *startError) Error() string { return e.unit.name + ": " + e.msg }

// start starts u unless it already runs (systemd's start is a no-op on an
// active unit, and so no new connection happens).
func (s *session) start(ctx context.Context, u *unit) error {
	if s.state(u) == stateActive {
		return nil
	}
	return s.launch(ctx, u)
}

// launch waits RestartDelay, reads u's configuration and connects. A
// configuration error leaves u failed and returns a *startError.
func (s *session) launch(ctx context.Context, u *unit) error {
	if err := s.wait(ctx); err != nil {
		return err
	}
	conns, err := u.connections(s, u)
	if err != nil {
		s.logf(u, "%v", err)
		if serr := s.setState(u, stateFailed); serr != nil {
			return serr
		}
		return &startError{unit: u, msg: err.Error()}
	}
	if err := s.setState(u, stateActive); err != nil {
		return err
	}
	for _, c := range conns {
		s.connect(ctx, u, c)
	}
	return nil
}

// stop stops u; stopping a unit that does not run only records the state.
func (s *session) stop(ctx context.Context, u *unit) error {
	if s.state(u) == stateActive {
		for _, c := range u.components(s) {
			s.stopped(ctx, u, c)
		}
	}
	return s.setState(u, stateInactive)
}

// restart is stop then start, whatever the state was.
func (s *session) restart(ctx context.Context, u *unit) error {
	if err := s.stop(ctx, u); err != nil {
		return err
	}
	return s.launch(ctx, u)
}

// isStartError reports whether err is a unit that failed to start, as
// opposed to an interrupted wait or an I/O error.
func isStartError(err error) bool {
	var se *startError
	return errors.As(err, &se)
}

func (s *session) readOptional(name string) ([]byte, bool) {
	data, err := s.FS.ReadFile(name)
	return data, err == nil
}

func exists(s *session, name string) bool {
	_, err := s.FS.Stat(name)
	return err == nil
}
