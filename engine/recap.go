package engine

import (
	"fmt"
	"strings"
	"time"
)

// HostRecap is one host's outcome over the whole run.
type HostRecap struct {
	Name   string
	Counts map[Status]int // tasks per status
	// Result is the host's final state: failed or unreachable if it ever
	// was, else changed if anything changed, else ok; "" if it never ran.
	Result Status
	Reason string // why it failed or was unreachable (redacted)
	Phase  string // the phase where it failed
}

// PhaseSummary is a phase's outcome at its barrier.
type PhaseSummary struct {
	Hosts       int
	Failed      []string
	Unreachable []string
	NotRun      []string // not started (interrupted)
	// Completed lists the hosts that finished every task of the phase
	// without failure, in plan order.
	Completed []string
	// Stopped is true when the failure policy stops the run here.
	Stopped bool
	Reason  string // why it stopped
}

// Recap is a run's outcome.
type Recap struct {
	Hosts       []*HostRecap // hosts that ran, in plan order
	Duration    time.Duration
	StoppedAt   *Phase // the phase whose failures stopped the run; nil if none
	Interrupted bool
}

// Failed returns the names of hosts whose result is failed.
func (r *Recap) Failed() []string { return r.with(StatusFailed) }

// Unreachable returns the names of hosts whose result is unreachable.
func (r *Recap) Unreachable() []string { return r.with(StatusUnreachable) }

func (r *Recap) with(s Status) []string {
	var out []string
	for _, h := range r.Hosts {
		if h.Result == s {
			out = append(out, h.Name)
		}
	}
	return out
}

// RunError is returned by Run when hosts failed or were unreachable, or the
// run was interrupted. Use errors.Is(err, ErrInterrupted) for the latter.
type RunError struct {
	Recap *Recap
}

func (e *RunError) Error() string {
	var parts []string
	if e.Recap.Interrupted {
		parts = append(parts, "interrupted")
	}
	if f := e.Recap.Failed(); len(f) > 0 {
		parts = append(parts, fmt.Sprintf("%d host(s) failed: %s", len(f), list(f)))
	}
	if u := e.Recap.Unreachable(); len(u) > 0 {
		parts = append(parts, fmt.Sprintf("%d host(s) unreachable: %s", len(u), list(u)))
	}
	if p := e.Recap.StoppedAt; p != nil {
		parts = append(parts, fmt.Sprintf("stopped at the barrier after phase %d %q", p.Index, p.Name))
	}
	return strings.Join(parts, "; ")
}

// Is makes errors.Is(err, ErrInterrupted) work.
func (e *RunError) Is(target error) bool {
	return target == ErrInterrupted && e.Recap.Interrupted
}

func list(names []string) string {
	if len(names) > 5 {
		return strings.Join(names[:5], ", ") + fmt.Sprintf(" and %d more", len(names)-5)
	}
	return strings.Join(names, ", ")
}
