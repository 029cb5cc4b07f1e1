package apirotate

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/rotplay/rotplay/dynatrace"
	"github.com/rotplay/rotplay/fleetcheck"
	"github.com/rotplay/rotplay/lab/dtsim"
	"github.com/rotplay/rotplay/modules"
)

// t0 is when the test rotations start (the module's clock).
var t0 = time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)

// simClock is the simulator's settable clock.
type simClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *simClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *simClock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// newVerifyEnv is newEnv with a simulator clock, components registered an
// hour before the rotation starts, a started rotation, and a fast poll.
func newVerifyEnv(t *testing.T, scopes []string, comps ...[2]string) (*env, *simClock, string) {
	clock := &simClock{t: t0.Add(-time.Hour)}
	sim := dtsim.New(dtsim.Options{Now: clock.now, Scopes: scopes})
	srv := httptest.NewServer(sim.Handler())
	t.Cleanup(srv.Close)
	t.Setenv(DefaultTokenEnv, sim.APIToken())
	e := &env{t: t, sim: sim, url: srv.URL, state: filepath.Join(t.TempDir(), "state")}
	e.mod = New(Options{StateDir: e.state, Now: func() time.Time { return t0 }, VerifyInterval: 5 * time.Millisecond})
	for _, c := range comps {
		sim.Register(c[0], c[1])
	}
	if _, err := e.apply("start"); err != nil {
		t.Fatal(err)
	}
	active, _ := sim.Tokens()
	clock.set(t0.Add(time.Minute))
	return e, clock, active
}

func fleet(names ...string) *modules.Fleet {
	f := &modules.Fleet{}
	for _, n := range names {
		f.Hosts = append(f.Hosts, modules.FleetHost{Name: n, Status: "done"})
	}
	return f
}

const verifyFinish = "{action: finish, environment: URL, verify_api: true, verify_timeout: 300ms}"

func TestVerifyAllSeenThenFinish(t *testing.T) {
	e, _, newTok := newVerifyEnv(t, nil, [2]string{"ag-1", "activegate"}, [2]string{"web-1", "oneagent"},
		[2]string{"web-2", "oneagent"}, [2]string{"web-3", "oneagent"})
	for _, c := range [][2]string{{"ag-1", "activegate"}, {"web-1", "oneagent"}, {"web-2", "oneagent"}, {"web-3", "oneagent"}} {
		e.sim.Connect(c[0], c[1], newTok)
	}
	// Case, a trailing dot and a domain the API does not show still match.
	host := modules.Host{Name: "controller", Fleet: fleet("AG-1", "web-1.", "web-2.example.com", "web-3")}
	res, err := e.action(verifyFinish).Apply(context.Background(), host)
	if err != nil || res.Failed || !res.Changed || !strings.Contains(res.Msg, "verify_api: all 4 host(s) seen") {
		t.Fatalf("finish: %+v %v", res, err)
	}
	if got := strings.Join(e.sim.Calls(), ","); got != "start,finish" {
		t.Fatalf("calls %s", got)
	}
}

// TestVerifyWaitsForReconnect: a host that comes back while polling lets
// the finish through.
func TestVerifyWaitsForReconnect(t *testing.T) {
	e, _, newTok := newVerifyEnv(t, nil, [2]string{"web-1", "oneagent"})
	go func() {
		time.Sleep(30 * time.Millisecond)
		e.sim.Connect("web-1", "oneagent", newTok)
	}()
	a := e.action("{action: finish, environment: URL, verify_api: true, verify_timeout: 10s}")
	res, err := a.Apply(context.Background(), modules.Host{Name: "controller", Fleet: fleet("web-1")})
	if err != nil || res.Failed || e.sim.Requests("oneagents") < 2 {
		t.Fatalf("finish: %+v %v after %d polls", res, err, e.sim.Requests("oneagents"))
	}
}

func TestVerifyRefusesHostsNotSeen(t *testing.T) {
	e, _, newTok := newVerifyEnv(t, nil, [2]string{"ag-1", "activegate"}, [2]string{"web-1", "oneagent"},
		[2]string{"web-2", "oneagent"}, [2]string{"ag-2", "activegate"})
	e.sim.Connect("ag-1", "activegate", newTok)
	e.sim.Connect("web-1", "oneagent", newTok)
	e.sim.Stop("ag-2", "activegate")
	// web-2 never reconnected after start; ghost is unknown to the API.
	host := modules.Host{Name: "controller", Fleet: fleet("ag-1", "web-1", "web-2", "ag-2", "ghost")}
	res, err := e.action(verifyFinish).Apply(context.Background(), host)
	if err != nil || !res.Failed {
		t.Fatalf("got %+v %v", res, err)
	}
	for _, want := range []string{
		"refusing to finish", "3 of 5 host(s)", "2026-11-27T12:00:00Z",
		"web-2 (not seen online since the rotation started: OneAgent MONITORED, last seen 2026-11-27T11:00:00Z)",
		"ag-2 (not seen online since the rotation started: ActiveGate offline since 2026-11-27T12:01:00Z)",
		"ghost (unknown to the API", "--finish-anyway web-2,ag-2,ghost",
	} {
		if !strings.Contains(res.Msg, want) {
			t.Errorf("message lacks %q:\n%s", want, res.Msg)
		}
	}
	if n := e.sim.Requests("finish"); n != 0 {
		t.Fatalf("finish reached the API %d times", n)
	}
	if n := e.sim.Requests("oneagents"); n < 2 {
		t.Fatalf("polled %d times, want several", n)
	}
	// The hosts accepted as lost are not verified.
	host.Fleet.FinishAnyway = []string{"web-2", "ag-2", "ghost"}
	if res, err := e.action(verifyFinish).Apply(context.Background(), host); err != nil || res.Failed {
		t.Fatalf("with --finish-anyway: %+v %v", res, err)
	}
}

func TestVerifyMissingScopeFailsAtOnce(t *testing.T) {
	e, _, newTok := newVerifyEnv(t, []string{dtsim.ScopeTenantTokenRotation, dtsim.ScopeOneAgentsRead}, [2]string{"web-1", "oneagent"})
	e.sim.Connect("web-1", "oneagent", newTok)
	a := e.action("{action: finish, environment: URL, verify_api: true, verify_timeout: 1m}")
	_, err := a.Apply(context.Background(), modules.Host{Name: "controller", Fleet: fleet("web-1")})
	if err == nil || !strings.Contains(err.Error(), "activeGates.read") {
		t.Fatalf("got %v", err)
	}
	if n := e.sim.Requests("finish"); n != 0 {
		t.Fatalf("finish reached the API %d times", n)
	}
}

func TestVerifyCheckModePollsNothing(t *testing.T) {
	e, _, _ := newVerifyEnv(t, nil, [2]string{"web-1", "oneagent"})
	res, err := e.action(verifyFinish).Check(context.Background(), modules.Host{Name: "controller", Fleet: fleet("web-1", "ag-1")})
	if err != nil || !res.Changed || res.Failed {
		t.Fatalf("check: %+v %v", res, err)
	}
	for _, want := range []string{"would finish", "GET /api/v1/oneagents and /api/v2/activeGates", "every 5ms", "up to 300ms",
		"2 host(s)", "started at 2026-11-27T12:00:00Z", "web-1, ag-1"} {
		if !strings.Contains(res.Msg, want) {
			t.Errorf("check message lacks %q: %s", want, res.Msg)
		}
	}
	if e.sim.Requests("oneagents")+e.sim.Requests("activegates")+e.sim.Requests("finish") != 0 {
		t.Fatal("check mode called the API")
	}
}

func TestVerifyDecodeErrors(t *testing.T) {
	t.Parallel()
	for src, want := range map[string]string{
		"{action: start, environment: x, verify_api: true}":                             "verify_api applies to action finish only",
		"{action: finish, environment: x, verify_api: true, verify_timeout: soon}":      `verify_timeout: "soon" is not a duration`,
		"{action: finish, environment: x, verify_api: true, verify_timeout: -1s}":       "not more than zero",
		"{action: finish, environment: x, verify_api: yes please}":                      `argument "verify_api"`,
		"{action: finish, environment: x, verify_api: true, verify_timeout: '{{ t }}'}": "",
	} {
		var n yaml.Node
		_ = yaml.Unmarshal([]byte(src), &n)
		_, err := New(Options{}).Decode("play.yaml", n.Content[0])
		if (want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), want)) {
			t.Errorf("%s: got %v, want %q", src, err, want)
		}
	}
}

func TestMatching(t *testing.T) {
	t.Parallel()
	seen := t0.Add(time.Minute)
	oas := []dynatrace.OneAgentHost{
		{DisplayName: "Web-1", DiscoveredName: "web-1.prod.example.com", IPAddresses: []string{"10.0.0.1"}, AvailabilityState: "MONITORED", LastSeen: seen},
		{DisplayName: "db-1.prod", AvailabilityState: "MONITORED", LastSeen: seen},
		{DisplayName: "db-1.test", AvailabilityState: "MONITORED", LastSeen: seen},
		{DisplayName: "old-1", AvailabilityState: "MONITORED", LastSeen: t0.Add(-time.Millisecond)},
		{DisplayName: "lost-1", AvailabilityState: "LOST", LastSeen: seen},
	}
	ags := []dynatrace.ActiveGate{{Hostname: "AG-1.example.com"}}
	hosts := apiHosts(oas, ags, t0)
	for name, want := range map[string]string{
		"web-1": "", "WEB-1.PROD.EXAMPLE.COM.": "", "10.0.0.1": "", "web-1.other": "", "ag-1": "", "ag-1.example.com": "",
		"db-1.prod": "", "db-1": "ambiguous", "10.0.0": "unknown", "old-1": "last seen 2026-11-27T11:59:59Z",
		"lost-1": "OneAgent LOST", "web": "unknown", "": "unknown",
	} {
		s := sight(name, fleetcheck.NewIndex(hosts))
		if s.seen != (want == "") || !strings.Contains(s.detail, want) {
			t.Errorf("sight(%q) = %+v, want %q", name, s, want)
		}
	}
}
