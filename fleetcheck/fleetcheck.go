// Package fleetcheck owns the comparison of an inventory with what the
// Dynatrace API reports: which API host an inventory name stands for, and
// which connected agents no inventory host stands for. The coverage check
// and api_rotate's verify_api both use it, so that a host the coverage
// check counts as covered is a host verify_api can see.
package fleetcheck

import (
	"fmt"
	"net"
	"slices"
	"strings"
	"time"

	"github.com/rotplay/rotplay/dynatrace"
)

// Kinds of APIHost.
const (
	KindOneAgent   = "oneagent"
	KindActiveGate = "activegate"
)

// APIHost is one entry of either Dynatrace list.
type APIHost struct {
	Kind string // KindOneAgent or KindActiveGate
	ID   string // the host entity ID or the ActiveGate ID
	Name string // the name to show: discoveredName, displayName or hostname
	// Names are the normalised names an inventory host may match: for a
	// OneAgent host displayName, discoveredName and IP addresses, for an
	// ActiveGate its hostname.
	Names []string
	// Connected: a OneAgent MONITORED and last seen at or after the bound
	// given to Hosts, or an ActiveGate online.
	Connected bool
	// Status is what the API says of it, for messages.
	Status string
}

// Hosts merges the two lists. bound is the earliest last-seen time at
// which a OneAgent host still counts as connected.
func Hosts(oas []dynatrace.OneAgentHost, ags []dynatrace.ActiveGate, bound time.Time) []APIHost {
	bound = bound.Truncate(time.Millisecond) // lastSeenTimestamp has millisecond precision
	out := make([]APIHost, 0, len(oas)+len(ags))
	for _, h := range oas {
		names := append([]string{h.DisplayName, h.DiscoveredName}, h.IPAddresses...)
		status := "OneAgent " + h.AvailabilityState + ", never seen"
		if !h.LastSeen.IsZero() {
			status = fmt.Sprintf("OneAgent %s, last seen %s", h.AvailabilityState, h.LastSeen.UTC().Format(time.RFC3339))
		}
		out = append(out, APIHost{Kind: KindOneAgent, ID: h.EntityID, Name: firstNonEmpty(h.DiscoveredName, h.DisplayName, h.EntityID),
			Names: normalised(names), Status: status,
			Connected: h.AvailabilityState == dynatrace.AvailabilityMonitored && !h.LastSeen.IsZero() && !h.LastSeen.Before(bound)})
	}
	for _, g := range ags {
		status := "ActiveGate online"
		if !g.Online() {
			status = "ActiveGate offline since " + g.OfflineSince.UTC().Format(time.RFC3339)
		}
		out = append(out, APIHost{Kind: KindActiveGate, ID: g.ID, Name: firstNonEmpty(g.Hostname, g.ID),
			Names: normalised([]string{g.Hostname}), Connected: g.Online(), Status: status})
	}
	return out
}

// Match returns the indexes in hosts of the entries an inventory host name
// stands for, case-insensitively and ignoring a trailing dot: exact matches
// first (a displayName, discoveredName, hostname or IP address); failing
// those, the short name (the part before the first dot, never of an IP
// address), which must point at a single full name. When it points at
// several, Match returns no index and those full names as ambiguous.
// To match many names against the same hosts, use an Index.
func Match(name string, hosts []APIHost) (matched []int, ambiguous []string) {
	return NewIndex(hosts).Match(name)
}

// Index matches names against one list of hosts with Match's rules, in
// time proportional to the matches, not to the list: matching a whole
// inventory against the API's hosts entry by entry is quadratic.
type Index struct {
	hosts []APIHost
	exact map[string][]int      // by normalised name: the hosts with it
	short map[string][]shortHit // by short name: each host's first full name with it
}

type shortHit struct {
	host int
	name string
}

// NewIndex indexes hosts, which must not change while the Index is used.
func NewIndex(hosts []APIHost) *Index {
	x := &Index{hosts: hosts, exact: map[string][]int{}, short: map[string][]shortHit{}}
	for i, h := range hosts {
		for _, n := range h.Names {
			if e := x.exact[n]; len(e) == 0 || e[len(e)-1] != i {
				x.exact[n] = append(e, i)
			}
			if net.ParseIP(n) != nil {
				continue
			}
			s := shortName(n)
			if sh := x.short[s]; len(sh) == 0 || sh[len(sh)-1].host != i {
				x.short[s] = append(sh, shortHit{host: i, name: n})
			}
		}
	}
	return x
}

// Hosts returns the indexed hosts.
func (x *Index) Hosts() []APIHost { return x.hosts }

// Match is Match(name, x.Hosts()).
func (x *Index) Match(name string) (matched []int, ambiguous []string) {
	want := normalise(name)
	if m := x.exact[want]; len(m) > 0 {
		return slices.Clone(m), nil
	}
	if want == "" || net.ParseIP(want) != nil {
		return nil, nil
	}
	for _, h := range x.short[shortName(want)] {
		matched = append(matched, h.host)
		if !slices.Contains(ambiguous, h.name) {
			ambiguous = append(ambiguous, h.name)
		}
	}
	if len(ambiguous) > 1 {
		return nil, ambiguous
	}
	return matched, nil
}

// Uncovered returns the connected hosts that none of the inventory names
// matches. An ambiguous short name covers nothing: better a false alarm
// than a host cut off at finish.
func Uncovered(inventory []string, hosts []APIHost) []APIHost {
	x := NewIndex(hosts)
	covered := make([]bool, len(hosts))
	for _, name := range inventory {
		idx, _ := x.Match(name)
		for _, i := range idx {
			covered[i] = true
		}
	}
	var out []APIHost
	for i, h := range hosts {
		if h.Connected && !covered[i] {
			out = append(out, h)
		}
	}
	return out
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			return strings.TrimSpace(s)
		}
	}
	return ""
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
