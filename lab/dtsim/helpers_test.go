package dtsim

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// lab is a simulator behind a loopback httptest server.
type lab struct {
	t   *testing.T
	sim *Simulator
	srv *httptest.Server
}

func newLab(t *testing.T, opts Options) *lab {
	t.Helper()
	sim := New(opts)
	srv := httptest.NewServer(sim.Handler())
	t.Cleanup(srv.Close)
	return &lab{t: t, sim: sim, srv: srv}
}

// answer is one HTTP response, body decoded loosely.
type answer struct {
	status int
	ctype  string
	raw    string
	json   map[string]any
}

// do sends method path with the simulator's API token in the header (when
// auth is true) and an optional JSON body.
func (l *lab) do(method, path string, auth bool, body string) answer {
	l.t.Helper()
	authz := ""
	if auth {
		authz = "Api-Token " + l.sim.APIToken()
	}
	return l.doAuth(method, path, authz, body)
}

// doAuth sends a request with the given Authorization header ("" for none).
func (l *lab) doAuth(method, path, authz, body string) answer {
	l.t.Helper()
	req, err := http.NewRequest(method, l.srv.URL+path, strings.NewReader(body))
	if err != nil {
		l.t.Fatal(err)
	}
	if authz != "" {
		req.Header.Set("Authorization", authz)
	}
	resp, err := l.srv.Client().Do(req)
	if err != nil {
		l.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	a := answer{status: resp.StatusCode, ctype: resp.Header.Get("Content-Type"), raw: string(raw)}
	_ = json.Unmarshal(raw, &a.json)
	return a
}

func (l *lab) post(path string) answer { return l.do(http.MethodPost, path, true, "") }

// value reads .key.value from a TenantTokenConfig answer; nil when null.
func (a answer) value(key string) any {
	m, _ := a.json[key].(map[string]any)
	return m["value"]
}

func (a answer) message() string {
	m, _ := a.json["error"].(map[string]any)
	s, _ := m["message"].(string)
	return s
}
