package dtsim

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
)

func TestRotationLifecycle(t *testing.T) {
	t.Parallel()
	l := newLab(t, Options{InitialToken: "initialtoken0123456789"})
	const rot = "/api/v2/tenantTokenRotation/"

	if a := l.post(rot + "finish"); a.status != 400 || !strings.Contains(a.message(), "No tenant token rotation") {
		t.Fatalf("finish before start: %d %s", a.status, a.raw)
	}
	a := l.post(rot + "start")
	if a.status != 200 || a.ctype != "application/json; charset=utf-8" {
		t.Fatalf("start: %d %q %s", a.status, a.ctype, a.raw)
	}
	newTok, _ := a.value("active").(string)
	if a.value("old") != "initialtoken0123456789" || len(newTok) < 20 || newTok == "initialtoken0123456789" {
		t.Fatalf("start answer %s", a.raw)
	}
	if active, old := l.sim.Tokens(); active != newTok || old != "initialtoken0123456789" {
		t.Fatalf("Tokens() = %q, %q during rotation", active, old)
	}
	if a := l.post(rot + "start"); a.status != 400 || a.json["error"].(map[string]any)["code"] != 400.0 {
		t.Fatalf("second start: %d %s", a.status, a.raw)
	}
	if a := l.do("GET", "/api/v1/deployment/installer/agent/connectioninfo", true, ""); a.json["tenantToken"] != newTok {
		t.Fatalf("connectioninfo during rotation: %s", a.raw)
	}
	a = l.post(rot + "finish")
	if a.status != 200 || a.value("active") != newTok || a.value("old") != "initialtoken0123456789" {
		t.Fatalf("finish: %d %s", a.status, a.raw)
	}
	if active, old := l.sim.Tokens(); active != newTok || old != "" {
		t.Fatalf("Tokens() after finish = %q, %q", active, old)
	}
	if a := l.post(rot + "cancel"); a.status != 400 {
		t.Fatalf("cancel after finish: %d", a.status)
	}
	if got := strings.Join(l.sim.Calls(), ","); got != "start,finish" {
		t.Fatalf("calls %q", got)
	}
}

func TestCancelRestoresOldToken(t *testing.T) {
	t.Parallel()
	l := newLab(t, Options{InitialToken: "initialtoken0123456789"})
	started := l.post("/api/v2/tenantTokenRotation/start")
	a := l.post("/api/v2/tenantTokenRotation/cancel")
	if a.status != 200 || a.value("active") != "initialtoken0123456789" || !strings.Contains(a.raw, `"old":{"value":null}`) {
		t.Fatalf("cancel: %d %s", a.status, a.raw)
	}
	if ok, reason := l.sim.Connect("h", "oneagent", started.value("active").(string)); ok || !strings.Contains(reason, "discarded by cancel") {
		t.Fatalf("discarded token accepted=%v reason=%q", ok, reason)
	}
	if v := l.sim.Verdict(); v.Finished {
		t.Fatalf("cancelled rotation reported finished: %+v", v)
	}
}

func TestAuth(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		scopes     []string
		path       string
		header     string
		wantStatus int
		wantMsg    string
	}{
		{"no token", nil, "/api/v2/tenantTokenRotation/start", "", 401, "Missing authorization"},
		{"wrong token", nil, "/api/v2/tenantTokenRotation/start", "Api-Token nope", 401, "Authentication failed"},
		{"bearer is not api-token", nil, "/api/v2/tenantTokenRotation/start", "Bearer " + DefaultAPIToken, 401, "Missing"},
		{"query token", nil, "/api/v2/tenantTokenRotation/start?api-token=" + DefaultAPIToken, "", 200, ""},
		{"header token", nil, "/api/v2/tenantTokenRotation/start", "Api-Token " + DefaultAPIToken, 200, ""},
		{"rotation scope missing", []string{ScopeInstallerDownload}, "/api/v2/tenantTokenRotation/start", "Api-Token " + DefaultAPIToken, 403, ScopeTenantTokenRotation},
		{"installer scope missing", []string{ScopeTenantTokenRotation}, "/api/v1/deployment/installer/agent/connectioninfo", "Api-Token " + DefaultAPIToken, 403, ScopeInstallerDownload},
		{"no scopes at all", []string{}, "/api/v2/tenantTokenRotation/finish", "Api-Token " + DefaultAPIToken, 403, ScopeTenantTokenRotation},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			l := newLab(t, Options{Scopes: tt.scopes})
			method := http.MethodPost
			if strings.Contains(tt.path, "connectioninfo") {
				method = http.MethodGet
			}
			a := l.doAuth(method, tt.path, tt.header, "")
			if a.status != tt.wantStatus || !strings.Contains(a.message(), tt.wantMsg) {
				t.Fatalf("got %d %q, want %d and a message with %q", a.status, a.message(), tt.wantStatus, tt.wantMsg)
			}
		})
	}
}

func TestRoutes(t *testing.T) {
	t.Parallel()
	l := newLab(t, Options{TenantUUID: "env42"})
	tests := []struct {
		method, path string
		want         int
	}{
		{"POST", "/e/env42/api/v2/tenantTokenRotation/start", 200},
		{"POST", "/e/env42/api/v2/tenantTokenRotation/cancel", 200},
		{"POST", "/e/other/api/v2/tenantTokenRotation/start", 404},
		{"POST", "/e/env421/api/v2/tenantTokenRotation/start", 404},
		{"GET", "/api/v2/tenantTokenRotation/start", 405},
		{"POST", "/api/v1/deployment/installer/agent/connectioninfo", 405},
		{"GET", "/api/v2/nothing", 404},
	}
	for _, tt := range tests {
		if a := l.do(tt.method, tt.path, true, ""); a.status != tt.want || a.ctype != "application/json; charset=utf-8" {
			t.Errorf("%s %s: %d %q, want %d JSON", tt.method, tt.path, a.status, a.ctype, tt.want)
		}
	}
}

func TestConnectionInfo(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		returnOld bool
		wantNew   bool
	}{
		{"default returns the new token", false, true},
		{"option keeps the old token", true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			l := newLab(t, Options{TenantUUID: "abc12345", InitialToken: "initialtoken0123456789", ConnectionInfoReturnsOld: tt.returnOld})
			newTok := l.post("/api/v2/tenantTokenRotation/start").value("active")
			agent := l.do("GET", "/api/v1/deployment/installer/agent/connectioninfo", true, "")
			gw := l.do("GET", "/e/abc12345/api/v1/deployment/installer/gateway/connectioninfo", true, "")
			want := any("initialtoken0123456789")
			if tt.wantNew {
				want = newTok
			}
			for _, a := range []answer{agent, gw} {
				if a.status != 200 || a.json["tenantToken"] != want || a.json["tenantUUID"] != "abc12345" {
					t.Fatalf("connectioninfo %d %s, want token %v", a.status, a.raw, want)
				}
			}
			if eps, ok := agent.json["communicationEndpoints"].([]any); !ok || len(eps) != 1 || agent.json["formattedCommunicationEndpoints"] == "" {
				t.Fatalf("agent endpoints not a list: %s", agent.raw)
			}
			if ep, ok := gw.json["communicationEndpoints"].(string); !ok || !strings.HasSuffix(ep, "/communication") {
				t.Fatalf("gateway endpoints not a string: %s", gw.raw)
			}
		})
	}
}

func TestTokenGeneration(t *testing.T) {
	t.Parallel()
	seq := func() *bytes.Reader {
		b := make([]byte, 4096)
		for i := range b {
			b[i] = byte(i * 7)
		}
		return bytes.NewReader(b)
	}
	a, b := New(Options{Rand: seq()}), New(Options{Rand: seq()})
	if ta, _ := a.Tokens(); len(ta) != tokenLen || strings.Trim(ta, tokenAlphabet) != "" {
		t.Fatalf("token %q not %d alphanumerics", ta, tokenLen)
	}
	if ta, _ := a.Tokens(); ta != func() string { tb, _ := b.Tokens(); return tb }() {
		t.Fatal("the same Rand gave different tokens")
	}
	// A source that repeats itself cannot make start reuse the token in force.
	l := newLab(t, Options{Rand: bytes.NewReader(bytes.Repeat([]byte{1}, 1<<12))})
	if a := l.post("/api/v2/tenantTokenRotation/start"); a.status != 500 || !strings.Contains(a.message(), "repeating") {
		t.Fatalf("start with a repeating Rand: %d %s", a.status, a.raw)
	}
}
