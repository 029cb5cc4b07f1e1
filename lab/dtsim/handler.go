package dtsim

import (
	"crypto/subtle"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
)

// apiRoute is one simulated Dynatrace endpoint.
type apiRoute struct {
	op, method string
	scopes     []string // any one of them allows the call
	// serve performs the operation with s.mu held and returns the answer.
	serve func(s *Simulator, r *http.Request) (int, any)
}

var (
	rotationScopes  = []string{ScopeTenantTokenRotation}
	installerScopes = []string{ScopeInstallerDownload}
)

var apiRoutes = map[string]apiRoute{
	"/api/v2/tenantTokenRotation/start":                   {"start", http.MethodPost, rotationScopes, (*Simulator).start},
	"/api/v2/tenantTokenRotation/finish":                  {"finish", http.MethodPost, rotationScopes, (*Simulator).finish},
	"/api/v2/tenantTokenRotation/cancel":                  {"cancel", http.MethodPost, rotationScopes, (*Simulator).cancel},
	"/api/v1/deployment/installer/agent/connectioninfo":   {"connectioninfo", http.MethodGet, installerScopes, (*Simulator).agentInfo},
	"/api/v1/deployment/installer/gateway/connectioninfo": {"connectioninfo", http.MethodGet, installerScopes, (*Simulator).gatewayInfo},
	"/api/v1/oneagents":                                   {"oneagents", http.MethodGet, []string{ScopeOneAgentsRead, ScopeDataExport}, (*Simulator).oneAgents},
	"/api/v2/activeGates":                                 {"activegates", http.MethodGet, []string{ScopeActiveGatesRead}, (*Simulator).activeGates},
}

// Handler serves the simulated API at the root and under /e/{TenantUUID},
// and the lab API under /lab/v1/.
func (s *Simulator) Handler() http.Handler { return http.HandlerFunc(s.serveHTTP) }

func (s *Simulator) serveHTTP(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Path
	if rest, ok := strings.CutPrefix(path, "/e/"+s.tenant); ok && strings.HasPrefix(rest, "/") {
		path = rest
	}
	if rest, ok := strings.CutPrefix(path, "/lab/v1/"); ok {
		s.serveLab(w, r, rest)
		return
	}
	route, ok := apiRoutes[path]
	if !ok {
		writeError(w, http.StatusNotFound, "No resource at "+path)
		return
	}
	s.serveAPI(w, r, route)
}

// serveAPI applies faults, authentication and the operation, in the order a
// real server would meet them.
func (s *Simulator) serveAPI(w http.ResponseWriter, r *http.Request, route apiRoute) {
	f := s.takeFault(route.op)
	if r.Method != route.method {
		w.Header().Set("Allow", route.method)
		writeError(w, http.StatusMethodNotAllowed, "Method "+r.Method+" not allowed")
		return
	}
	f.delay(r.Context())
	if f.status != 0 {
		writeError(w, f.status, "Injected fault: "+http.StatusText(f.status))
		return
	}
	if status, msg := s.authorize(r, route.scopes); status != http.StatusOK {
		writeError(w, status, msg)
		return
	}
	s.mu.Lock()
	status, body := route.serve(s, r)
	s.mu.Unlock()
	if f.drop {
		// The operation took effect; the client never learns it.
		panic(http.ErrAbortHandler)
	}
	writeJSON(w, status, body)
}

// authorize checks the API token (header, or the discouraged api-token
// query parameter) and that it has one of scopes, returning 200 or the
// status and message to answer with.
func (s *Simulator) authorize(r *http.Request, scopes []string) (int, string) {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Api-Token ")
	if !ok {
		tok = r.URL.Query().Get("api-token")
	}
	switch {
	case tok == "":
		return http.StatusUnauthorized, "Missing authorization parameter."
	case subtle.ConstantTimeCompare([]byte(tok), []byte(s.apiToken)) != 1:
		return http.StatusUnauthorized, "Token Authentication failed"
	case !slices.ContainsFunc(scopes, func(sc string) bool { return slices.Contains(s.scopes, sc) }):
		return http.StatusForbidden, "Token is missing required scope. Use one of: " + strings.Join(scopes, ", ")
	}
	return http.StatusOK, ""
}

// errorBody is the documented error envelope.
type errorBody struct {
	Error struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

func errBody(status int, msg string) errorBody {
	var b errorBody
	b.Error.Code, b.Error.Message = status, msg
	return b
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, errBody(status, msg))
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v) // the client is gone if this fails
}
