package dtsim

import (
	"cmp"
	"slices"
)

// Disconnection is a component that lost its connection, and so data.
type Disconnection struct {
	Host      string `json:"host"`
	Component string `json:"component"`
	Reason    string `json:"reason"`
}

// Verdict says whether the rotations so far were safe.
type Verdict struct {
	// Finished: the latest rotation was finished (not open, not cancelled).
	Finished bool `json:"finished"`
	// Safe: no component has lost its connection: none was left on the old
	// token or stopped at finish, none was on the new token at cancel, and
	// none is rejected now.
	Safe         bool            `json:"safe"`
	Disconnected []Disconnection `json:"disconnected"`
	Calls        []string        `json:"calls"` // rotation calls that took effect
}

// Verdict judges the simulation so far. Components rejected now are listed
// even before a finish: they are losing data already.
func (s *Simulator) Verdict() Verdict {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := slices.Clone(s.disconnected)
	for _, k := range s.sortedKeys() {
		if c := s.comps[k]; c.state == StateRejected && !listed(out, k) {
			out = append(out, Disconnection{k.host, k.component, "rejected: " + c.reason})
		}
	}
	if out == nil {
		out = []Disconnection{}
	}
	return Verdict{
		Finished:     s.finished,
		Safe:         len(out) == 0,
		Disconnected: out,
		Calls:        append([]string{}, s.calls...),
	}
}

// disconnectAtFinish records every component not running on the new token
// when finish was called, and marks those on the old token as rejected: the
// server no longer accepts them. s.mu is held.
func (s *Simulator) disconnectAtFinish() {
	for _, k := range s.sortedKeys() {
		c := s.comps[k]
		switch {
		case c.state == StateStopped:
			s.disconnect(k.host, k.component, "stopped at finish")
		case c.state == StateRejected:
			s.disconnect(k.host, k.component, "rejected at finish: "+c.reason)
		case !s.valid(c.token):
			s.disconnect(k.host, k.component, "still on the old token at finish")
			c.set(StateRejected, s.now())
			c.reason = s.whyInvalid(c.token)
		}
	}
}

// disconnectAtCancel records the components already switched to the
// discarded token. s.mu is held.
func (s *Simulator) disconnectAtCancel() {
	for _, k := range s.sortedKeys() {
		c := s.comps[k]
		if c.state == StateRunning && !s.valid(c.token) {
			s.disconnect(k.host, k.component, "on the discarded new token at cancel")
			c.set(StateRejected, s.now())
			c.reason = s.whyInvalid(c.token)
		}
	}
}

// disconnect records a disconnection once per component and reason.
func (s *Simulator) disconnect(host, component, reason string) {
	d := Disconnection{host, component, reason}
	if !slices.Contains(s.disconnected, d) {
		s.disconnected = append(s.disconnected, d)
	}
}

func listed(ds []Disconnection, k compKey) bool {
	return slices.ContainsFunc(ds, func(d Disconnection) bool { return d.Host == k.host && d.Component == k.component })
}

func (s *Simulator) sortedKeys() []compKey {
	if s.sorted != nil {
		return s.sorted
	}
	keys := make([]compKey, 0, len(s.comps))
	for k := range s.comps {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b compKey) int {
		return cmp.Or(cmp.Compare(a.host, b.host), cmp.Compare(a.component, b.component))
	})
	s.sorted = keys
	return keys
}
