package dynatrace

import (
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rotplay/rotplay/lab/dtsim"
)

// TestOneAgentsPaging: an empty page with a nextPageKey is not the end, and
// every page request keeps the first request's parameters.
func TestOneAgentsPaging(t *testing.T) {
	t.Parallel()
	since := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	pages := map[string]string{
		"":   `{"hosts":[{"availabilityState":"MONITORED","hostInfo":{"entityId":"HOST-1","displayName":"web-1","discoveredName":"web-1.example.com","ipAddresses":["10.0.0.1"],"lastSeenTimestamp":1795780860000}}],"nextPageKey":"k1"}`,
		"k1": `{"hosts":[],"nextPageKey":"k2"}`,
		"k2": `{"hosts":[{"availabilityState":"LOST","hostInfo":{"displayName":"web-2"}}],"nextPageKey":null}`,
	}
	var mu sync.Mutex
	var keys []string
	srv := handlerServer(t, func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if r.URL.Path != "/api/v1/oneagents" || q.Get("includeDetails") != "false" || q.Get("startTimestamp") != "1795780800000" {
			t.Errorf("request %s", r.URL)
		}
		mu.Lock()
		keys = append(keys, q.Get("nextPageKey"))
		mu.Unlock()
		reply(w, 200, pages[q.Get("nextPageKey")])
	})
	c, _ := testClient(t, srv.URL, testToken)
	hosts, err := c.OneAgents(t.Context(), since)
	if err != nil || len(hosts) != 2 {
		t.Fatalf("%v %+v", err, hosts)
	}
	if strings.Join(keys, ",") != ",k1,k2" {
		t.Fatalf("page keys sent %q", keys)
	}
	h := hosts[0]
	if h.DisplayName != "web-1" || h.DiscoveredName != "web-1.example.com" || h.IPAddresses[0] != "10.0.0.1" ||
		h.AvailabilityState != AvailabilityMonitored || !h.LastSeen.Equal(since.Add(time.Minute)) || h.EntityID != "HOST-1" {
		t.Fatalf("host %+v", h)
	}
	if hosts[1].AvailabilityState != "LOST" || !hosts[1].LastSeen.IsZero() {
		t.Fatalf("host without lastSeenTimestamp %+v", hosts[1])
	}
}

func TestActiveGatesDecode(t *testing.T) {
	t.Parallel()
	srv := handlerServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/v2/activeGates" || r.URL.RawQuery != "" {
			t.Errorf("request %s", r.URL)
		}
		reply(w, 200, `{"activeGates":[{"id":"0x1","hostname":"ag-1","offlineSince":null},{"id":"0x2","hostname":"ag-2","offlineSince":1795780800000}]}`)
	})
	c, _ := testClient(t, srv.URL, testToken)
	ags, err := c.ActiveGates(t.Context())
	if err != nil || len(ags) != 2 || !ags[0].Online() || ags[0].Hostname != "ag-1" || ags[0].ID != "0x1" ||
		ags[1].Online() || !ags[1].OfflineSince.Equal(time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)) {
		t.Fatalf("%v %+v", err, ags)
	}
}

func TestHostListsForbiddenNameScope(t *testing.T) {
	t.Parallel()
	srv := handlerServer(t, func(w http.ResponseWriter, r *http.Request) {
		reply(w, 403, `{"error":{"code":403,"message":"Token is missing required scope."}}`)
	})
	c, sl := testClient(t, srv.URL, testToken)
	_, err := c.OneAgents(t.Context(), time.Time{})
	if ae, ok := errors.AsType[*APIError](err); !ok || !errors.Is(err, ErrForbidden) || ae.Scope != ScopeOneAgentsRead ||
		!strings.Contains(err.Error(), "lacks the scope oneAgents.read") {
		t.Fatalf("oneagents: %v", err)
	}
	_, err = c.ActiveGates(t.Context())
	if !errors.Is(err, ErrForbidden) || !strings.Contains(err.Error(), "lacks the scope activeGates.read") {
		t.Fatalf("activeGates: %v", err)
	}
	if len(sl.got()) != 0 {
		t.Fatalf("403 was retried: %v", sl.got())
	}
}

// TestHostListsRetried: the lists are idempotent GETs, so 5xx is retried,
// and garbage is a clear error.
func TestHostListsRetried(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	n := 0
	srv := handlerServer(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		n++
		first := n == 1
		mu.Unlock()
		switch {
		case first:
			reply(w, 503, `{"error":{"code":503,"message":"busy"}}`)
		case r.URL.Path == "/api/v2/activeGates":
			reply(w, 200, `<html>`)
		default:
			reply(w, 200, `{"hosts":[],"nextPageKey":null}`)
		}
	})
	c, sl := testClient(t, srv.URL, testToken)
	if hosts, err := c.OneAgents(t.Context(), time.Time{}); err != nil || len(hosts) != 0 || len(sl.got()) != 1 {
		t.Fatalf("%v %v, waits %v", err, hosts, sl.got())
	}
	if _, err := c.ActiveGates(t.Context()); err == nil || !strings.Contains(err.Error(), "not a JSON list of ActiveGates") {
		t.Fatalf("garbage: %v", err)
	}
}

func TestHostListsAgainstSimulator(t *testing.T) {
	t.Parallel()
	sim, srv := simServer(t, dtsim.Options{APIToken: testToken, PageSize: 1})
	for _, h := range []string{"web-1", "web-2", "web-3"} {
		sim.Register(h, "oneagent")
	}
	sim.Register("ag-1", "activegate")
	sim.Stop("web-2", "oneagent")
	c, _ := testClient(t, srv.URL+"/e/"+sim.TenantUUID(), testToken)
	hosts, err := c.OneAgents(t.Context(), time.Now().Add(-time.Hour))
	if err != nil || len(hosts) != 3 || hosts[1].DisplayName != "web-2" || hosts[1].AvailabilityState != "UNMONITORED" ||
		hosts[0].AvailabilityState != AvailabilityMonitored || hosts[0].LastSeen.IsZero() {
		t.Fatalf("%v %+v", err, hosts)
	}
	ags, err := c.ActiveGates(t.Context())
	if err != nil || len(ags) != 1 || ags[0].Hostname != "ag-1" || !ags[0].Online() {
		t.Fatalf("%v %+v", err, ags)
	}
}
