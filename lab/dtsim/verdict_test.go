package dtsim

import (
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"
)

// rotateStep is one action of a lab scenario.
type rotateStep func(s *Simulator, newTok string)

func reconnect(host, kind string) rotateStep {
	return func(s *Simulator, newTok string) { s.Connect(host, kind, newTok) }
}

func stop(host, kind string) rotateStep {
	return func(s *Simulator, _ string) { s.Stop(host, kind) }
}

func TestVerdict(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		during      []rotateStep // between start and finish
		after       []rotateStep // after finish
		cancel      bool
		wantSafe    bool
		wantReasons []string // "host/component: reason"
	}{
		{name: "every component on the new token", wantSafe: true,
			during: []rotateStep{reconnect("ag-1", "activegate"), reconnect("ag-1", "extensions"), reconnect("web-1", "oneagent")}},
		{name: "a straggler on the old token",
			during:      []rotateStep{reconnect("ag-1", "activegate"), reconnect("ag-1", "extensions")},
			wantReasons: []string{"web-1/oneagent: still on the old token at finish"}},
		{name: "stopped at finish",
			during:      []rotateStep{reconnect("ag-1", "activegate"), reconnect("ag-1", "extensions"), stop("web-1", "oneagent")},
			wantReasons: []string{"web-1/oneagent: stopped at finish"}},
		{name: "the old token after finish",
			during: []rotateStep{reconnect("ag-1", "activegate"), reconnect("ag-1", "extensions"), reconnect("web-1", "oneagent")},
			after: []rotateStep{func(s *Simulator, _ string) {
				if ok, _ := s.Connect("web-1", "oneagent", "initialtoken0123456789"); ok {
					panic("old token accepted after finish")
				}
			}},
			wantReasons: []string{"web-1/oneagent: rejected after finish: the token was invalidated by finish"}},
		{name: "cancel with a component already switched", cancel: true,
			during:      []rotateStep{reconnect("ag-1", "activegate")},
			wantReasons: []string{"ag-1/activegate: on the discarded new token at cancel"}},
		{name: "cancel before anything switched", cancel: true, wantSafe: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			l := newLab(t, Options{InitialToken: "initialtoken0123456789"})
			for _, c := range [][2]string{{"ag-1", "activegate"}, {"ag-1", "extensions"}, {"web-1", "oneagent"}} {
				l.sim.Register(c[0], c[1])
			}
			newTok, _ := l.post("/api/v2/tenantTokenRotation/start").value("active").(string)
			for _, step := range tt.during {
				step(l.sim, newTok)
			}
			last := "finish"
			if tt.cancel {
				last = "cancel"
			}
			if a := l.post("/api/v2/tenantTokenRotation/" + last); a.status != 200 {
				t.Fatalf("%s: %d %s", last, a.status, a.raw)
			}
			for _, step := range tt.after {
				step(l.sim, newTok)
			}
			v := l.sim.Verdict()
			var got []string
			for _, d := range v.Disconnected {
				got = append(got, d.Host+"/"+d.Component+": "+d.Reason)
			}
			if v.Safe != tt.wantSafe || !reflect.DeepEqual(got, tt.wantReasons) || v.Finished == tt.cancel {
				t.Fatalf("verdict %+v\ngot reasons %q\nwant safe=%v %q", v, got, tt.wantSafe, tt.wantReasons)
			}
			if !reflect.DeepEqual(v.Calls, []string{"start", last}) {
				t.Fatalf("calls %v", v.Calls)
			}
		})
	}
}

func TestConnect(t *testing.T) {
	t.Parallel()
	s := New(Options{InitialToken: "initialtoken0123456789"})
	tests := []struct {
		host, kind, token string
		want              bool
		wantReason        string
	}{
		{"ag-1", "activegate", "initialtoken0123456789", true, ""},
		{"ag-1", "zremote", "not-a-token", false, "not valid for this environment"},
		{"ag-1", "zremote", "", false, "not valid"},
		{"ag-1", "gateway", "initialtoken0123456789", false, "unknown component"},
		{"", "oneagent", "initialtoken0123456789", false, "unknown component"},
	}
	for _, tt := range tests {
		ok, reason := s.Connect(tt.host, tt.kind, tt.token)
		if ok != tt.want || !strings.Contains(reason, tt.wantReason) {
			t.Errorf("Connect(%q,%q) = %v %q, want %v %q", tt.host, tt.kind, ok, reason, tt.want, tt.wantReason)
		}
	}
	v := s.Verdict()
	if v.Safe || len(v.Disconnected) != 1 || v.Disconnected[0].Component != "zremote" {
		t.Fatalf("a rejected component must make the verdict unsafe: %+v", v)
	}
	st := s.State()
	if len(st) != 2 || st[0].Component != "activegate" || st[1].State != StateRejected {
		t.Fatalf("state %+v", st)
	}
}

func TestStateShowsFingerprintsOnly(t *testing.T) {
	t.Parallel()
	l := newLab(t, Options{InitialToken: "initialtoken0123456789"})
	l.sim.Register("web-1", "oneagent")
	l.sim.Register("web-2", "oneagent")
	newTok, _ := l.post("/api/v2/tenantTokenRotation/start").value("active").(string)
	l.sim.Connect("web-2", "oneagent", newTok)
	a := l.do(http.MethodGet, "/lab/v1/state", false, "")
	if a.status != 200 || strings.Contains(a.raw, "initialtoken0123456789") || strings.Contains(a.raw, newTok) {
		t.Fatalf("state leaks a token or failed: %d %s", a.status, a.raw)
	}
	st := l.sim.State()
	if st[0].OnNewToken || !st[1].OnNewToken || len(st[0].TokenFingerprint) != 8 || st[0].TokenFingerprint == st[1].TokenFingerprint {
		t.Fatalf("state %+v", st)
	}
}

func TestRegisterUnknownComponentPanics(t *testing.T) {
	t.Parallel()
	defer func() {
		if recover() == nil {
			t.Fatal("Register accepted an unknown component")
		}
	}()
	New(Options{}).Register("h", "gateway")
}

// TestConcurrentUse is for the race detector: lab traffic and rotation
// calls at once.
func TestConcurrentUse(t *testing.T) {
	t.Parallel()
	l := newLab(t, Options{})
	var wg sync.WaitGroup
	for i := range 8 {
		host := "h" + string(rune('a'+i))
		wg.Go(func() {
			l.sim.Register(host, "oneagent")
			active, _ := l.sim.Tokens()
			l.sim.Connect(host, "oneagent", active)
			_ = l.sim.State()
			_ = l.sim.Verdict()
		})
		wg.Go(func() {
			req, _ := http.NewRequest(http.MethodPost, l.srv.URL+"/api/v2/tenantTokenRotation/start", nil)
			req.Header.Set("Authorization", "Api-Token "+l.sim.APIToken())
			if resp, err := l.srv.Client().Do(req); err == nil {
				resp.Body.Close()
			}
		})
	}
	wg.Wait()
	if got := l.sim.Calls(); len(got) != 1 {
		t.Fatalf("8 concurrent starts should open exactly one rotation, calls %v", got)
	}
}
