package dtsim

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// What the lists show of tracked components (dynatrace.md §5): OneAgent
// hosts from the "oneagent" components, ActiveGates from the "activegate"
// ones. A running OneAgent is MONITORED, a stopped one UNMONITORED and a
// rejected one LOST; lastSeenTimestamp is its last Register or accepted
// Connect. An ActiveGate's offlineSince is when it stopped or was rejected.
const (
	defaultWindow   = 72 * time.Hour // /api/v1/oneagents without a timeframe
	activeGateGrace = 2 * time.Hour  // /api/v2/activeGates lists AGs offline this long
)

// pageKey is what a nextPageKey stands for: where the next page starts, and
// the query (without the key) it belongs to, which must not change.
type pageKey struct {
	offset int
	query  string
}

type hostAgentInfo struct {
	Active            bool     `json:"active"`
	AvailabilityState string   `json:"availabilityState"`
	HostInfo          hostInfo `json:"hostInfo"`
}

type hostInfo struct {
	EntityID          string   `json:"entityId"`
	DisplayName       string   `json:"displayName"`
	DiscoveredName    string   `json:"discoveredName"`
	IPAddresses       []string `json:"ipAddresses"`
	LastSeenTimestamp *int64   `json:"lastSeenTimestamp"`
	OSType            string   `json:"osType"`
}

type activeGateInfo struct {
	ID           string `json:"id"`
	Hostname     string `json:"hostname"`
	Type         string `json:"type"`
	OSType       string `json:"osType"`
	OfflineSince *int64 `json:"offlineSince"`
}

// oneAgents serves GET /api/v1/oneagents, a page at a time. s.mu is held.
func (s *Simulator) oneAgents(r *http.Request) (int, any) {
	q := r.URL.Query()
	offset := 0
	if key := q.Get("nextPageKey"); key != "" {
		q.Del("nextPageKey")
		p, ok := s.pages[key]
		if !ok || p.query != q.Encode() {
			return http.StatusBadRequest, errBody(http.StatusBadRequest,
				"Invalid nextPageKey: send it with the same query parameters as the first page.")
		}
		offset = p.offset
	}
	from, ok := timeframeStart(q, s.now())
	if !ok {
		return http.StatusBadRequest, errBody(http.StatusBadRequest, "startTimestamp must be milliseconds since the epoch.")
	}
	hosts, total := s.agentHosts(from, offset, s.pageSize)
	end := min(offset+s.pageSize, total)
	body := map[string]any{"hosts": hosts, "nextPageKey": nil}
	if end < total {
		key := "page-" + strconv.Itoa(len(s.pages)+1)
		s.pages[key] = pageKey{offset: end, query: q.Encode()}
		body["nextPageKey"] = key
	}
	return http.StatusOK, body
}

func timeframeStart(q url.Values, now time.Time) (time.Time, bool) {
	v := q.Get("startTimestamp")
	if v == "" {
		return now.Add(-defaultWindow), true
	}
	ms, err := strconv.ParseInt(v, 10, 64)
	return time.UnixMilli(ms), err == nil
}

// agentHosts lists the OneAgent hosts running now or seen since from,
// sorted by host name: limit of them from offset on, and how many there are
// in all. Only the page is built, so paging through N hosts is not
// quadratic in allocations. s.mu is held.
func (s *Simulator) agentHosts(from time.Time, offset, limit int) (_ []hostAgentInfo, total int) {
	out := []hostAgentInfo{}
	for _, k := range s.sortedKeys() {
		c := s.comps[k]
		if k.component != "oneagent" || c.lastSeen.IsZero() || (c.state != StateRunning && c.lastSeen.Before(from)) {
			continue
		}
		total++
		if total <= offset || len(out) >= limit {
			continue
		}
		seen := c.lastSeen.UnixMilli()
		out = append(out, hostAgentInfo{
			Active:            c.state == StateRunning,
			AvailabilityState: availability(c.state),
			HostInfo: hostInfo{EntityID: "HOST-" + idFor(k.host, 8), DisplayName: k.host, DiscoveredName: k.host,
				IPAddresses: []string{}, LastSeenTimestamp: &seen, OSType: s.osType(k.host)},
		})
	}
	return out, total
}

func availability(state string) string {
	switch state {
	case StateRunning:
		return "MONITORED"
	case StateStopped:
		return "UNMONITORED"
	}
	return "LOST"
}

// activeGates serves GET /api/v2/activeGates: online ActiveGates and those
// offline for less than two hours, without paging. s.mu is held.
func (s *Simulator) activeGates(*http.Request) (int, any) {
	now := s.now()
	out := []activeGateInfo{}
	for _, k := range s.sortedKeys() {
		c := s.comps[k]
		if k.component != "activegate" {
			continue
		}
		ag := activeGateInfo{ID: "0x" + idFor(k.host, 4), Hostname: k.host, Type: "ENVIRONMENT", OSType: s.osType(k.host)}
		if c.state != StateRunning {
			if now.Sub(c.since) > activeGateGrace {
				continue
			}
			ms := c.since.UnixMilli()
			ag.OfflineSince = &ms
		}
		out = append(out, ag)
	}
	return http.StatusOK, map[string]any{"activeGates": out}
}

// idFor derives a stable ID of n bytes (hex) from a host name.
func idFor(host string, n int) string {
	sum := sha256.Sum256([]byte(host))
	return hex.EncodeToString(sum[:n])
}

// SetOSType records a host's operating system as the API reports it
// (WINDOWS, LINUX, AIX); hosts default to LINUX.
func (s *Simulator) SetOSType(host, os string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.osTypes == nil {
		s.osTypes = map[string]string{}
	}
	s.osTypes[host] = os
}

// osType is the host's osType. s.mu is held.
func (s *Simulator) osType(host string) string {
	if os, ok := s.osTypes[host]; ok {
		return os
	}
	return "LINUX"
}
