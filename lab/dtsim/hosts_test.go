package dtsim

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeClock is a settable clock for the simulator.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// listHosts follows nextPageKey through /api/v1/oneagents with query,
// returning every host and the number of pages.
func (l *lab) listHosts(query url.Values) ([]map[string]any, int) {
	l.t.Helper()
	var hosts []map[string]any
	for pages := 1; ; pages++ {
		a := l.do(http.MethodGet, "/api/v1/oneagents?"+query.Encode(), true, "")
		if a.status != 200 {
			l.t.Fatalf("oneagents: %d %s", a.status, a.raw)
		}
		list, _ := a.json["hosts"].([]any)
		for _, h := range list {
			hosts = append(hosts, h.(map[string]any))
		}
		next, _ := a.json["nextPageKey"].(string)
		if next == "" {
			return hosts, pages
		}
		query.Set("nextPageKey", next)
	}
}

func TestOneAgentsList(t *testing.T) {
	t.Parallel()
	clock := &fakeClock{t: time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)}
	l := newLab(t, Options{InitialToken: "initialtoken0123456789", Now: clock.Now})
	for _, h := range []string{"web-1", "web-2", "web-3", "web-4", "web-5"} {
		l.sim.Register(h, "oneagent")
	}
	l.sim.Register("ag-1", "activegate") // not a OneAgent host
	clock.Set(clock.Now().Add(time.Minute))
	l.sim.Connect("web-1", "oneagent", "initialtoken0123456789")
	l.sim.Stop("web-2", "oneagent")
	l.sim.Connect("web-3", "oneagent", "wrong-token")

	hosts, pages := l.listHosts(url.Values{"includeDetails": {"false"}})
	if len(hosts) != 5 || pages != 3 {
		t.Fatalf("%d hosts in %d pages, want 5 in 3 (page size 2)", len(hosts), pages)
	}
	registered, connected := clock.Now().Add(-time.Minute).UnixMilli(), clock.Now().UnixMilli()
	want := map[string]struct {
		state string
		seen  int64
	}{"web-1": {"MONITORED", connected}, "web-2": {"UNMONITORED", registered}, "web-3": {"LOST", registered},
		"web-4": {"MONITORED", registered}, "web-5": {"MONITORED", registered}}
	for _, h := range hosts {
		info := h["hostInfo"].(map[string]any)
		name := info["displayName"].(string)
		w := want[name]
		if h["availabilityState"] != w.state || int64(info["lastSeenTimestamp"].(float64)) != w.seen ||
			info["discoveredName"] != name || !strings.HasPrefix(info["entityId"].(string), "HOST-") {
			t.Errorf("host %v, want %+v", h, w)
		}
	}
	// A timeframe after the registrations keeps only running hosts and those seen since.
	later := url.Values{"startTimestamp": {strconv.FormatInt(clock.Now().UnixMilli(), 10)}}
	if hosts, _ := l.listHosts(later); len(hosts) != 3 {
		t.Fatalf("hosts since the connect: %v", hosts)
	}
}

func TestOneAgentsPageKeyNeedsSameQuery(t *testing.T) {
	t.Parallel()
	l := newLab(t, Options{PageSize: 1})
	l.sim.Register("a", "oneagent")
	l.sim.Register("b", "oneagent")
	a := l.do(http.MethodGet, "/api/v1/oneagents?includeDetails=false", true, "")
	key, _ := a.json["nextPageKey"].(string)
	if key == "" {
		t.Fatalf("no nextPageKey: %s", a.raw)
	}
	if a := l.do(http.MethodGet, "/api/v1/oneagents?nextPageKey="+key, true, ""); a.status != 400 {
		t.Fatalf("page key with other parameters: %d %s", a.status, a.raw)
	}
	a = l.do(http.MethodGet, "/api/v1/oneagents?includeDetails=false&nextPageKey="+key, true, "")
	if a.status != 200 || a.json["nextPageKey"] != nil || len(a.json["hosts"].([]any)) != 1 {
		t.Fatalf("last page: %d %s", a.status, a.raw)
	}
}

func TestActiveGatesList(t *testing.T) {
	t.Parallel()
	clock := &fakeClock{t: time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)}
	l := newLab(t, Options{Now: clock.Now})
	l.sim.Register("ag-1", "activegate")
	l.sim.Register("ag-2", "activegate")
	l.sim.Register("ag-3", "activegate")
	l.sim.Register("web-1", "oneagent")
	l.sim.Stop("ag-2", "activegate")
	clock.Set(clock.Now().Add(time.Hour))
	l.sim.Stop("ag-3", "activegate")
	clock.Set(clock.Now().Add(90 * time.Minute)) // ag-2 offline for 2.5 h: no longer listed
	a := l.do(http.MethodGet, "/api/v2/activeGates", true, "")
	list, _ := a.json["activeGates"].([]any)
	if a.status != 200 || len(list) != 2 {
		t.Fatalf("%d %s", a.status, a.raw)
	}
	ag1, ag3 := list[0].(map[string]any), list[1].(map[string]any)
	if ag1["hostname"] != "ag-1" || ag1["offlineSince"] != nil || !strings.HasPrefix(ag1["id"].(string), "0x") {
		t.Fatalf("ag-1 %v", ag1)
	}
	if ag3["hostname"] != "ag-3" || int64(ag3["offlineSince"].(float64)) != clock.Now().Add(-90*time.Minute).UnixMilli() {
		t.Fatalf("ag-3 %v", ag3)
	}
}

func TestHostListsNeedScopes(t *testing.T) {
	t.Parallel()
	l := newLab(t, Options{Scopes: []string{ScopeTenantTokenRotation}})
	for path, scope := range map[string]string{"/api/v1/oneagents": "oneAgents.read", "/api/v2/activeGates": "activeGates.read"} {
		if a := l.do(http.MethodGet, path, true, ""); a.status != 403 || !strings.Contains(a.message(), scope) {
			t.Errorf("%s without scope: %d %s", path, a.status, a.raw)
		}
		if a := l.do(http.MethodGet, path, false, ""); a.status != 401 {
			t.Errorf("%s without token: %d", path, a.status)
		}
	}
	l = newLab(t, Options{Scopes: []string{ScopeDataExport}})
	if a := l.do(http.MethodGet, "/api/v1/oneagents", true, ""); a.status != 200 {
		t.Errorf("DataExport must allow oneagents: %d %s", a.status, a.raw)
	}
}
