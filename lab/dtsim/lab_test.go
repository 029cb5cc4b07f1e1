package dtsim

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestLabAPI(t *testing.T) {
	t.Parallel()
	l := newLab(t, Options{InitialToken: "initialtoken0123456789"})
	steps := []struct {
		method, path, body string
		want               int
		wantIn             string
	}{
		{"POST", "/lab/v1/connect", `{"host":"ag-1","component":"activegate","token":"initialtoken0123456789"}`, 200, `"accepted":true`},
		{"POST", "/lab/v1/connect", `{"host":"web-1","component":"oneagent","token":"initialtoken0123456789"}`, 200, `"accepted":true`},
		{"POST", "/lab/v1/connect", `{"host":"ag-1","component":"zremote","token":"wrong"}`, 403, `"accepted":false,"reason":"the token is not valid`},
		{"POST", "/lab/v1/connect", `{"host":"ag-1","component":"router","token":"x"}`, 400, `unknown component`},
		{"POST", "/lab/v1/connect", `not json`, 400, `must be JSON`},
		{"POST", "/lab/v1/stop", `{"host":"web-1","component":"oneagent"}`, 200, `"stopped":true`},
		{"POST", "/lab/v1/stop", `{"host":"web-1"}`, 400, `Give host and component`},
		{"GET", "/lab/v1/state", ``, 200, `"host":"web-1","component":"oneagent","state":"stopped"`},
		{"POST", "/api/v2/tenantTokenRotation/start", ``, 200, `"active"`},
		{"POST", "/api/v2/tenantTokenRotation/finish", ``, 200, `"old"`},
		{"GET", "/lab/v1/verdict", ``, 200, `"finished":true,"safe":false,"disconnected":[{"host":"ag-1","component":"activegate","reason":"still on the old token at finish"}`},
		{"GET", "/lab/v1/verdict", ``, 200, `"calls":["start","finish"]`},
		{"GET", "/lab/v1/connect", ``, 404, `No lab resource`},
	}
	for _, st := range steps {
		a := l.do(st.method, st.path, strings.HasPrefix(st.path, "/api/"), st.body)
		if a.status != st.want || !strings.Contains(a.raw, st.wantIn) || a.ctype != "application/json; charset=utf-8" {
			t.Fatalf("%s %s %s: %d %q %s\nwant %d with %s", st.method, st.path, st.body, a.status, a.ctype, a.raw, st.want, st.wantIn)
		}
	}
}

func TestLabAPILoopbackOnly(t *testing.T) {
	t.Parallel()
	h := New(Options{}).Handler()
	// An in-memory request: nothing is sent anywhere.
	req := httptest.NewRequest(http.MethodGet, "/lab/v1/state", nil)
	req.RemoteAddr = "192.0.2.10:40000"
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusForbidden {
		t.Fatalf("non-loopback lab request answered %d", rec.Code)
	}
	req.RemoteAddr = "[::1]:40000"
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("loopback lab request answered %d", rec.Code)
	}
}
