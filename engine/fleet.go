package engine

import "github.com/rotplay/rotplay/modules"

// fleet reports, for a controller task in phase p, how every host that an
// earlier phase targeted has fared: a host counts as done only when it
// finished every earlier phase it was in. Hosts left out by --limit are
// "excluded": a limited run must never finish a rotation they still need.
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
			add(modules.FleetHost{Name: name, Status: "excluded", Reason: "left out by --limit"})
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
