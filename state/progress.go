package state

import "time"

// HostProgress is what the journal says of one host in one rotation.
type HostProgress struct {
	Host string
	// Done holds the phases the host completed and that nothing since has
	// undone (see DoneHosts).
	Done map[string]bool
	// DoneAt is when the host last completed a phase.
	DoneAt time.Time
	// Last is the host's latest record: its last known status.
	Last Record
}

// DoneHosts returns, for the rotation with the given fingerprint, each
// host's set of phase names completed in runs recorded in the journal.
// Records are replayed in order and a completion only lasts until
// something undoes it: a later task of the same phase on the host (the
// phase is being redone), a failure of the host (everything it completed
// is in doubt), or any record of a rollback run (the host is going back
// to the old token). An empty rotation matches nothing.
func DoneHosts(records []Record, rotation string) map[string]map[string]bool {
	out := map[string]map[string]bool{}
	for host, p := range Progress(records, rotation) {
		if len(p.Done) > 0 {
			out[host] = p.Done
		}
	}
	return out
}

// Progress replays the journal for one rotation (see DoneHosts), by host.
func Progress(records []Record, rotation string) map[string]*HostProgress {
	out := map[string]*HostProgress{}
	if rotation == "" {
		return out
	}
	for _, r := range records {
		if r.Rotation != rotation || r.Host == "" {
			continue
		}
		p := out[r.Host]
		if p == nil {
			p = &HostProgress{Host: r.Host, Done: map[string]bool{}}
			out[r.Host] = p
		}
		p.Last = r
		p.apply(r)
	}
	return out
}

func (p *HostProgress) apply(r Record) {
	switch {
	case r.Mode == ModeRollback, r.Kind == KindHostFailed,
		r.Kind == KindTask && (r.Status == "failed" || r.Status == "unreachable"):
		clear(p.Done)
	case r.Kind == KindTask:
		delete(p.Done, r.Phase)
	case r.Kind == KindHostPhaseDone:
		p.Done[r.Phase] = true
		p.DoneAt = r.Time
	}
}
