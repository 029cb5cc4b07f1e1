package apirotate

import (
	"fmt"
	"net"
	"slices"
	"strings"
	"time"

	"github.com/rotplay/rotplay/dynatrace"
)

// apiHost is one entry of either Dynatrace list, as host matching sees it.
type apiHost struct {
	names  []string // normalised: hostname, or displayName, discoveredName and IP addresses
	online bool     // seen online at or after the bound
	status string   // what the API says, for messages
}

// apiHosts merges the two lists: a host counts as seen when it is online in
// either, because api_rotate's fleet holds ActiveGates and OneAgent hosts
// alike. A OneAgent host is online when MONITORED with a lastSeenTimestamp
// at or after the bound; an ActiveGate when offlineSince is null (the list
// is read after the bound, and has no last-seen time).
func apiHosts(oas []dynatrace.OneAgentHost, ags []dynatrace.ActiveGate, after time.Time) []apiHost {
	bound := after.Truncate(time.Millisecond) // lastSeenTimestamp has millisecond precision
	out := make([]apiHost, 0, len(oas)+len(ags))
	for _, h := range oas {
		names := append([]string{h.DisplayName, h.DiscoveredName}, h.IPAddresses...)
		status := "OneAgent " + h.AvailabilityState + ", never seen"
		if !h.LastSeen.IsZero() {
			status = fmt.Sprintf("OneAgent %s, last seen %s", h.AvailabilityState, h.LastSeen.UTC().Format(time.RFC3339))
		}
		out = append(out, apiHost{names: normalised(names), status: status,
			online: h.AvailabilityState == dynatrace.AvailabilityMonitored && !h.LastSeen.Before(bound) && !h.LastSeen.IsZero()})
	}
	for _, g := range ags {
		status := "ActiveGate online"
		if !g.Online() {
			status = "ActiveGate offline since " + g.OfflineSince.UTC().Format(time.RFC3339)
		}
		out = append(out, apiHost{names: normalised([]string{g.Hostname}), online: g.Online(), status: status})
	}
	return out
}

// sighting is what the API shows of one inventory host.
type sighting struct {
	seen   bool
	detail string // why it is not seen
}

// sight matches an inventory host name against the API's names,
// case-insensitively and ignoring a trailing dot: exact matches first (a
// name equal to a hostname, displayName, discoveredName or IP address);
// failing those, the short names (the part before the first dot, never of
// an IP address), which must point at a single full name, else the match is
// ambiguous and the host is not counted as seen. Any matched entry online
// after the bound makes the host seen.
func sight(name string, hosts []apiHost) sighting {
	matched, ambiguous := matchHost(name, hosts)
	switch {
	case len(ambiguous) > 1:
		return sighting{detail: "ambiguous: matches " + strings.Join(ambiguous, ", ") + " by short name; use the full name in the inventory"}
	case len(matched) == 0:
		return sighting{detail: "unknown to the API: no OneAgent host or ActiveGate with this name or address"}
	}
	var states []string
	for _, h := range matched {
		if h.online {
			return sighting{seen: true}
		}
		states = append(states, h.status)
	}
	return sighting{detail: "not seen online since the rotation started: " + strings.Join(states, "; ")}
}

// matchHost returns the entries matching name, or the distinct full names
// when only an ambiguous short-name match exists.
func matchHost(name string, hosts []apiHost) (matched []apiHost, ambiguous []string) {
	want := normalise(name)
	for _, h := range hosts {
		if slices.Contains(h.names, want) {
			matched = append(matched, h)
		}
	}
	if len(matched) > 0 || want == "" || net.ParseIP(want) != nil {
		return matched, nil
	}
	short := shortName(want)
	for _, h := range hosts {
		for _, n := range h.names {
			if net.ParseIP(n) == nil && shortName(n) == short {
				matched = append(matched, h)
				if !slices.Contains(ambiguous, n) {
					ambiguous = append(ambiguous, n)
				}
				break
			}
		}
	}
	if len(ambiguous) > 1 {
		return nil, ambiguous
	}
	return matched, nil
}

func normalise(s string) string {
	return strings.ToLower(strings.TrimSuffix(strings.TrimSpace(s), "."))
}

func normalised(names []string) []string {
	out := make([]string, 0, len(names))
	for _, n := range names {
		if n = normalise(n); n != "" {
			out = append(out, n)
		}
	}
	return out
}

func shortName(s string) string {
	short, _, _ := strings.Cut(s, ".")
	return short
}
