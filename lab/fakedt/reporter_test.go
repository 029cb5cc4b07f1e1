package fakedt

import (
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// simulator is a minimal /lab/v1 endpoint on 127.0.0.1.
type simulator struct {
	mu     sync.Mutex
	bodies []string
}

func (s *simulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var req map[string]string
	if r.Method != http.MethodPost || json.NewDecoder(r.Body).Decode(&req) != nil {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	s.bodies = append(s.bodies, r.URL.Path+" "+req["host"]+" "+req["component"]+" "+req["token"])
	s.mu.Unlock()
	switch {
	case r.URL.Path == "/lab/v1/stop":
		w.WriteHeader(http.StatusNoContent)
	case req["token"] == "GOOD":
		_, _ = w.Write([]byte(`{"accepted":true}`))
	case req["token"] == "BROKEN":
		http.Error(w, "boom", http.StatusInternalServerError)
	default:
		w.WriteHeader(http.StatusForbidden)
		_, _ = w.Write([]byte(`{"accepted":false,"reason":"token not valid"}`))
	}
}

func newSimulator(t *testing.T) (*simulator, string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	sim := &simulator{}
	srv := httptest.NewUnstartedServer(sim)
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)
	return sim, srv.URL
}

func TestHTTPReporter(t *testing.T) {
	t.Parallel()
	sim, url := newSimulator(t)
	r := HTTPReporter(url + "/")
	ctx := t.Context()
	if ok, reason, err := r.Connect(ctx, "ag-1", "activegate", "GOOD"); !ok || reason != "" || err != nil {
		t.Errorf("good token: %v %q %v", ok, reason, err)
	}
	if ok, reason, err := r.Connect(ctx, "ag-1", "activegate", "OLD"); ok || reason != "token not valid" || err != nil {
		t.Errorf("rejected token: %v %q %v", ok, reason, err)
	}
	if _, _, err := r.Connect(ctx, "ag-1", "activegate", "BROKEN"); err == nil || !strings.Contains(err.Error(), "HTTP 500") {
		t.Errorf("server error: %v", err)
	}
	if err := r.Stop(ctx, "ag-1", "oneagent"); err != nil {
		t.Errorf("stop: %v", err)
	}
	want := []string{
		"/lab/v1/connect ag-1 activegate GOOD", "/lab/v1/connect ag-1 activegate OLD",
		"/lab/v1/connect ag-1 activegate BROKEN", "/lab/v1/stop ag-1 oneagent ",
	}
	if strings.Join(sim.bodies, "|") != strings.Join(want, "|") {
		t.Errorf("simulator saw %q", sim.bodies)
	}
}

func TestHostConfigSimulatorIsUsed(t *testing.T) {
	t.Parallel()
	sim, url := newSimulator(t)
	l := newLab(t)
	if err := WriteHostConfig(l.fs, HostConfig{Host: "oa-7", Tenant: "abc12345", Simulator: url}); err != nil {
		t.Fatal(err)
	}
	l.installOneAgent("GOOD")
	l.rec = nil
	var env = Env{FS: l.fs, Args: []string{"--restart-service"}}
	if code := OneAgentCtl(t.Context(), env); code != 0 {
		t.Fatalf("code %d", code)
	}
	want := "/lab/v1/stop oa-7 oneagent |/lab/v1/connect oa-7 oneagent GOOD"
	if got := strings.Join(sim.bodies, "|"); got != want {
		t.Errorf("simulator saw %q, want %q", got, want)
	}
}

// TestMainDispatch checks the multi-call dispatch with commands that touch no
// file but the (usually missing) host config.
func TestMainDispatch(t *testing.T) {
	t.Parallel()
	if code := Main("frob", nil); code != 2 {
		t.Errorf("Main(frob) = %d", code)
	}
	if code := Main("oneagentctl", []string{"--bogus"}); code != 1 {
		t.Errorf("Main(oneagentctl --bogus) = %d", code)
	}
	if code := Main("fakedt", []string{"systemctl", "--bogus"}); code != 1 {
		t.Errorf("Main(fakedt systemctl --bogus) = %d", code)
	}
}
