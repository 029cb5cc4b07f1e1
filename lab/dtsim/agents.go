package dtsim

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/rotplay/rotplay/secret"
)

// Component kinds the lab tracks: the ActiveGate main service, its
// extensions and zRemote modules, and OneAgent (dynatrace.md §3, §4).
var componentKinds = map[string]bool{"activegate": true, "remoteplugin": true, "extensions": true, "zremote": true, "oneagent": true}

// Component states.
const (
	StateRunning  = "running"
	StateStopped  = "stopped"
	StateRejected = "rejected"
)

type compKey struct{ host, component string }

// tracked is what the lab knows of one component.
type tracked struct {
	state  string
	token  string
	reason string // why it was rejected
	// lastSeen is when it last registered or connected successfully (zero:
	// never); since is when its state last changed.
	lastSeen, since time.Time
}

// set changes c's state, noting when a change happened.
func (c *tracked) set(state string, at time.Time) {
	if c.state != state {
		c.since = at
	}
	c.state = state
}

// ComponentState is one tracked component as the lab shows it. It holds a
// fingerprint of the token (first 8 hex digits of its SHA-256), never the
// token.
type ComponentState struct {
	Host             string `json:"host"`
	Component        string `json:"component"`
	State            string `json:"state"` // running, stopped or rejected
	TokenFingerprint string `json:"token_fingerprint"`
	OnNewToken       bool   `json:"on_new_token"` // on the latest start's token
	Reason           string `json:"reason,omitempty"`
}

// Register records a component running on the token agents had before any
// open rotation (the old token while one is open), for setting up a lab.
// It panics on an unknown component kind, a mistake in the setup.
func (s *Simulator) Register(host, component string) {
	if !componentKinds[component] {
		panic(fmt.Sprintf("dtsim: unknown component %q (have activegate, remoteplugin, extensions, zremote, oneagent)", component))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	tok := s.active
	if s.rotating {
		tok = s.old
	}
	now := s.now()
	k := compKey{host, component}
	if s.comps[k] == nil {
		s.sorted = nil
	}
	s.comps[k] = &tracked{state: StateRunning, token: tok, lastSeen: now, since: now}
}

// Connect is a component (re)connecting with token. It is accepted, and the
// component recorded as running on that token, when the token is valid now;
// otherwise it is recorded as rejected and reason says why. After a finish a
// rejection counts as a disconnection in the Verdict.
func (s *Simulator) Connect(host, component, token string) (accepted bool, reason string) {
	if !componentKinds[component] || host == "" {
		return false, fmt.Sprintf("unknown component %q on host %q (have activegate, remoteplugin, extensions, zremote, oneagent)", component, host)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.component(host, component)
	c.token = token
	now := s.now()
	if s.valid(token) {
		c.set(StateRunning, now)
		c.reason, c.lastSeen = "", now
		return true, ""
	}
	c.set(StateRejected, now)
	c.reason = s.whyInvalid(token)
	if s.finished {
		s.disconnect(host, component, "rejected after finish: "+c.reason)
	}
	return false, c.reason
}

// Stop records the component as stopped; unknown kinds are ignored.
func (s *Simulator) Stop(host, component string) {
	if !componentKinds[component] {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.component(host, component).set(StateStopped, s.now())
}

// State lists every tracked component, sorted by host and component.
func (s *Simulator) State() []ComponentState {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]ComponentState, 0, len(s.comps))
	for k, c := range s.comps {
		out = append(out, ComponentState{
			Host: k.host, Component: k.component, State: c.state, Reason: c.reason,
			TokenFingerprint: secret.Fingerprint(c.token),
			OnNewToken:       c.token != "" && c.token == s.newest,
		})
	}
	slices.SortFunc(out, func(a, b ComponentState) int {
		return cmp.Or(cmp.Compare(a.Host, b.Host), cmp.Compare(a.Component, b.Component))
	})
	return out
}

// component returns the tracked component, creating it; s.mu is held.
func (s *Simulator) component(host, kind string) *tracked {
	k := compKey{host, kind}
	if s.comps[k] == nil {
		s.comps[k] = &tracked{state: StateStopped}
		s.sorted = nil
	}
	return s.comps[k]
}

func (s *Simulator) valid(tok string) bool {
	return tok != "" && (tok == s.active || (s.rotating && tok == s.old))
}

func (s *Simulator) whyInvalid(tok string) string {
	switch {
	case s.retired[tok]:
		return "the token was invalidated by finish"
	case s.discarded[tok]:
		return "the token was discarded by cancel"
	}
	return "the token is not valid for this environment"
}
