package engine

import (
	"time"

	"github.com/rotplay/rotplay/modules"
)

// fleet reports, for a controller task in phase p, how every host that an
// earlier phase targeted has fared: a host counts as done only when it
// finished every earlier phase it was in. Hosts left out by --limit are
// "excluded": a limited run must never finish a rotation they still need,
// unless an earlier run of the same rotation verified them
// (Runner.PreviouslyDone).
func (rn *run) fleet(p *Phase) *modules.Fleet {
	f := &modules.Fleet{FinishAnyway: rn.FinishAnyway}
	index := map[string]int{}
	add := func(fh modules.FleetHost) {
		if i, ok := index[fh.Name]; ok {
			if f.Hosts[i].Status == "done" { // the worst outcome wins
				f.Hosts[i] = fh
			}
			return
		}
		index[fh.Name] = len(f.Hosts)
		f.Hosts = append(f.Hosts, fh)
	}
	for _, q := range rn.plan.Phases {
		if q.Index >= p.Index || q.Controller() {
			continue
		}
		for _, name := range q.Excluded {
			add(rn.excludedHost(q, name))
		}
		for _, h := range q.Hosts {
			add(rn.fleetHost(q, rn.hosts[h.Name]))
		}
	}
	return f
}

func (rn *run) fleetHost(q *Phase, hs *hostState) modules.FleetHost {
	fh := modules.FleetHost{Name: hs.host.Name, Status: "done"}
	switch {
	case hs.dead:
		fh.Status, fh.Reason = string(hs.recap.Result), hs.recap.Reason
	case !hs.completed[q.Index]:
		fh.Status, fh.Reason = "not run", "did not run phase "+q.Name
	}
	return fh
}

// excludedHost judges a host --limit left out of phase q: done if an
// earlier run of the rotation completed q on it, else excluded.
func (rn *run) excludedHost(q *Phase, name string) modules.FleetHost {
	if !rn.PreviouslyDone[name][q.Name] {
		return modules.FleetHost{Name: name, Status: "excluded", Reason: "left out by --limit"}
	}
	reason := "verified in an earlier run"
	if at, ok := rn.PreviouslyDoneAt[name]; ok && !at.IsZero() {
		reason += " at " + at.UTC().Format(time.RFC3339)
	}
	return modules.FleetHost{Name: name, Status: "done", Reason: reason}
}
