package apirotate

import (
	"strings"
	"time"

	"github.com/rotplay/rotplay/dynatrace"
	"github.com/rotplay/rotplay/fleetcheck"
)

// apiHosts merges the two lists: a host counts as seen when it is online in
// either, because api_rotate's fleet holds ActiveGates and OneAgent hosts
// alike (fleetcheck.Hosts: a OneAgent host MONITORED and last seen at or
// after the bound, an ActiveGate with offlineSince null).
func apiHosts(oas []dynatrace.OneAgentHost, ags []dynatrace.ActiveGate, after time.Time) []fleetcheck.APIHost {
	return fleetcheck.Hosts(oas, ags, after)
}

// sighting is what the API shows of one inventory host.
type sighting struct {
	seen   bool
	detail string // why it is not seen
}

// sight matches an inventory host name against the API's hosts with
// fleetcheck.Match's rules; any matched entry online after the bound makes
// the host seen, an ambiguous short name never does.
func sight(name string, x *fleetcheck.Index) sighting {
	matched, ambiguous := x.Match(name)
	hosts := x.Hosts()
	switch {
	case len(ambiguous) > 1:
		return sighting{detail: "ambiguous: matches " + strings.Join(ambiguous, ", ") + " by short name; use the full name in the inventory"}
	case len(matched) == 0:
		return sighting{detail: "unknown to the API: no OneAgent host or ActiveGate with this name or address"}
	}
	var states []string
	for _, i := range matched {
		if hosts[i].Connected {
			return sighting{seen: true}
		}
		states = append(states, hosts[i].Status)
	}
	return sighting{detail: "not seen online since the rotation started: " + strings.Join(states, "; ")}
}
