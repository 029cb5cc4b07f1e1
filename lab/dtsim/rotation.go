package dtsim

import "net/http"

// tokenConfig is the API's TenantTokenConfig; a nil Value encodes as null,
// as cancel's old token does.
type tokenConfig struct {
	Active tenantToken `json:"active"`
	Old    tenantToken `json:"old"`
}

type tenantToken struct {
	Value *string `json:"value"`
}

func tokens(active, old string) tokenConfig {
	c := tokenConfig{Active: tenantToken{&active}}
	if old != "" {
		c.Old.Value = &old
	}
	return c
}

// start opens a rotation: a new token becomes active, and both stay valid.
func (s *Simulator) start(*http.Request) (int, any) {
	if s.rotating {
		return http.StatusBadRequest, errBody(http.StatusBadRequest, "A tenant token rotation is already in progress.")
	}
	tok, err := s.makeToken()
	if err != nil {
		return http.StatusInternalServerError, errBody(http.StatusInternalServerError, "Could not make a token: "+err.Error())
	}
	s.old, s.active, s.newest = s.active, tok, tok
	s.rotating, s.finished = true, false
	s.calls = append(s.calls, "start")
	return http.StatusOK, tokens(s.active, s.old)
}

// finish closes the rotation: the old token becomes invalid, and every
// component not running on the new token is disconnected.
func (s *Simulator) finish(*http.Request) (int, any) {
	if !s.rotating {
		return http.StatusBadRequest, errBody(http.StatusBadRequest, "No tenant token rotation is in progress.")
	}
	body := tokens(s.active, s.old)
	s.retired[s.old] = true
	s.old, s.rotating, s.finished = "", false, true
	s.calls = append(s.calls, "finish")
	s.disconnectAtFinish()
	return http.StatusOK, body
}

// cancel abandons the rotation: the new token is discarded, and components
// already switched to it are disconnected.
func (s *Simulator) cancel(*http.Request) (int, any) {
	if !s.rotating {
		return http.StatusBadRequest, errBody(http.StatusBadRequest, "No tenant token rotation is in progress.")
	}
	s.discarded[s.active] = true
	s.active, s.old, s.newest, s.rotating = s.old, "", "", false
	s.calls = append(s.calls, "cancel")
	s.disconnectAtCancel()
	return http.StatusOK, tokens(s.active, "")
}

// infoToken is what connectioninfo hands out while the rotation is open.
func (s *Simulator) infoToken() string {
	if s.rotating && s.infoReturnsOld {
		return s.old
	}
	return s.active
}

func endpoint(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + "/communication"
}

// agentInfo is the OneAgent connection info: endpoints as a list.
func (s *Simulator) agentInfo(r *http.Request) (int, any) {
	ep := endpoint(r)
	return http.StatusOK, map[string]any{
		"tenantUUID":                      s.tenant,
		"tenantToken":                     s.infoToken(),
		"communicationEndpoints":          []string{ep},
		"formattedCommunicationEndpoints": "{" + ep + "}",
	}
}

// gatewayInfo is the ActiveGate connection info: endpoints as one string
// (dynatrace.md §2).
func (s *Simulator) gatewayInfo(r *http.Request) (int, any) {
	return http.StatusOK, map[string]any{
		"tenantUUID":             s.tenant,
		"tenantToken":            s.infoToken(),
		"communicationEndpoints": endpoint(r),
	}
}
