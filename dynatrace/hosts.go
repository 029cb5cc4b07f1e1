package dynatrace

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"time"
)

// AvailabilityMonitored is the availabilityState of a OneAgent host that is
// connected and monitored now.
const AvailabilityMonitored = "MONITORED"

// maxPages bounds the pages OneAgents follows, so a server that keeps
// handing out page keys cannot keep a run busy forever.
const maxPages = 10000

// OneAgentHost is one entry of GET /api/v1/oneagents, reduced to what tells
// whether a host came back after a restart (dynatrace.md §5). It says
// nothing about which tenant token the agent uses.
type OneAgentHost struct {
	EntityID       string
	DisplayName    string
	DiscoveredName string
	IPAddresses    []string
	// AvailabilityState is MONITORED, UNMONITORED, LOST, CRASHED, ...
	AvailabilityState string
	// LastSeen is hostInfo.lastSeenTimestamp; zero when the API omits it.
	LastSeen time.Time
	// OSType is hostInfo.osType: WINDOWS, LINUX, AIX, ...; "" if omitted.
	OSType string
}

// ActiveGate is one entry of GET /api/v2/activeGates.
type ActiveGate struct {
	ID       string
	Hostname string
	OSType   string // WINDOWS or LINUX; "" if omitted
	// OfflineSince is nil while the ActiveGate is online.
	OfflineSince *time.Time
}

// Online reports whether the ActiveGate is connected now.
func (ag ActiveGate) Online() bool { return ag.OfflineSince == nil }

// OneAgents lists the hosts with a OneAgent seen since since (the API's
// default window, the last 72 hours, when since is zero), following
// nextPageKey with the other query parameters unchanged; an empty page with
// a key is not the end. It needs the oneAgents.read scope (ErrForbidden
// names it), changes nothing, and each page is retried on 429, 5xx and
// network failures.
func (c *Client) OneAgents(ctx context.Context, since time.Time) ([]OneAgentHost, error) {
	q := url.Values{"includeDetails": {"false"}}
	if !since.IsZero() {
		q.Set("startTimestamp", strconv.FormatInt(since.UnixMilli(), 10))
	}
	var out []OneAgentHost
	for range maxPages {
		o := opOneAgents
		o.query = q.Encode()
		body, attempts, err := c.call(ctx, o)
		if err != nil {
			return nil, err
		}
		hosts, next, err := decodeOneAgentsPage(body)
		if err != nil {
			return nil, c.failure(o, attempt{status: 200, err: err}, attempts, false)
		}
		out = append(out, hosts...)
		if next == "" {
			return out, nil
		}
		q.Set("nextPageKey", next)
	}
	err := fmt.Errorf("the API still returned a nextPageKey after %d pages", maxPages)
	return nil, c.failure(opOneAgents, attempt{status: 200, err: err}, 1, false)
}

func decodeOneAgentsPage(body []byte) ([]OneAgentHost, string, error) {
	var page struct {
		Hosts []struct {
			AvailabilityState string `json:"availabilityState"`
			HostInfo          struct {
				EntityID          string   `json:"entityId"`
				DisplayName       string   `json:"displayName"`
				DiscoveredName    string   `json:"discoveredName"`
				IPAddresses       []string `json:"ipAddresses"`
				LastSeenTimestamp *int64   `json:"lastSeenTimestamp"`
				OSType            string   `json:"osType"`
			} `json:"hostInfo"`
		} `json:"hosts"`
		NextPageKey *string `json:"nextPageKey"`
	}
	if json.Unmarshal(body, &page) != nil {
		return nil, "", errors.New("the answer is not a JSON list of hosts")
	}
	out := make([]OneAgentHost, 0, len(page.Hosts))
	for _, h := range page.Hosts {
		oh := OneAgentHost{
			EntityID: h.HostInfo.EntityID, DisplayName: h.HostInfo.DisplayName,
			DiscoveredName: h.HostInfo.DiscoveredName, IPAddresses: h.HostInfo.IPAddresses,
			AvailabilityState: h.AvailabilityState, OSType: h.HostInfo.OSType,
		}
		if ts := h.HostInfo.LastSeenTimestamp; ts != nil {
			oh.LastSeen = time.UnixMilli(*ts).UTC()
		}
		out = append(out, oh)
	}
	if page.NextPageKey == nil {
		return out, "", nil
	}
	return out, *page.NextPageKey, nil
}

// ActiveGates lists the ActiveGates connected now or within the last two
// hours (the API has no paging). It needs the activeGates.read scope
// (ErrForbidden names it), changes nothing, and is retried on 429, 5xx and
// network failures.
func (c *Client) ActiveGates(ctx context.Context) ([]ActiveGate, error) {
	body, attempts, err := c.call(ctx, opActiveGates)
	if err != nil {
		return nil, err
	}
	var list struct {
		ActiveGates []struct {
			ID           string `json:"id"`
			Hostname     string `json:"hostname"`
			OSType       string `json:"osType"`
			OfflineSince *int64 `json:"offlineSince"`
		} `json:"activeGates"`
	}
	if json.Unmarshal(body, &list) != nil {
		err := errors.New("the answer is not a JSON list of ActiveGates")
		return nil, c.failure(opActiveGates, attempt{status: 200, err: err}, attempts, false)
	}
	out := make([]ActiveGate, 0, len(list.ActiveGates))
	for _, g := range list.ActiveGates {
		ag := ActiveGate{ID: g.ID, Hostname: g.Hostname, OSType: g.OSType}
		if g.OfflineSince != nil {
			t := time.UnixMilli(*g.OfflineSince).UTC()
			ag.OfflineSince = &t
		}
		out = append(out, ag)
	}
	return out, nil
}
