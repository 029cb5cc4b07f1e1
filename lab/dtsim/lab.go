package dtsim

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
)

// labRequest is the body of /lab/v1/connect and /lab/v1/stop.
type labRequest struct {
	Host      string `json:"host"`
	Component string `json:"component"`
	Token     string `json:"token"`
}

// connectAnswer is the body /lab/v1/connect answers with.
type connectAnswer struct {
	Accepted bool   `json:"accepted"`
	Reason   string `json:"reason,omitempty"`
}

// serveLab serves the lab API. It needs no Dynatrace token, so it answers
// loopback clients only: the lab's own scripts run on this machine.
func (s *Simulator) serveLab(w http.ResponseWriter, r *http.Request, rest string) {
	if !fromLoopback(r) {
		writeError(w, http.StatusForbidden, "The lab API answers loopback clients only")
		return
	}
	switch {
	case rest == "connect" && r.Method == http.MethodPost:
		s.serveConnect(w, r)
	case rest == "stop" && r.Method == http.MethodPost:
		s.serveStop(w, r)
	case rest == "state" && r.Method == http.MethodGet:
		writeJSON(w, http.StatusOK, s.State())
	case rest == "verdict" && r.Method == http.MethodGet:
		writeJSON(w, http.StatusOK, s.Verdict())
	default:
		writeError(w, http.StatusNotFound, "No lab resource "+r.Method+" /lab/v1/"+rest)
	}
}

func (s *Simulator) serveConnect(w http.ResponseWriter, r *http.Request) {
	req, ok := readLabRequest(w, r)
	if !ok {
		return
	}
	if !componentKinds[req.Component] || req.Host == "" {
		_, reason := s.Connect(req.Host, req.Component, req.Token)
		writeJSON(w, http.StatusBadRequest, connectAnswer{Reason: reason})
		return
	}
	accepted, reason := s.Connect(req.Host, req.Component, req.Token)
	status := http.StatusOK
	if !accepted {
		status = http.StatusForbidden
	}
	writeJSON(w, status, connectAnswer{Accepted: accepted, Reason: reason})
}

func (s *Simulator) serveStop(w http.ResponseWriter, r *http.Request) {
	req, ok := readLabRequest(w, r)
	if !ok {
		return
	}
	if !componentKinds[req.Component] || req.Host == "" {
		writeError(w, http.StatusBadRequest, "Give host and component (activegate, oneagent, extensions or zremote)")
		return
	}
	s.Stop(req.Host, req.Component)
	writeJSON(w, http.StatusOK, map[string]bool{"stopped": true})
}

func readLabRequest(w http.ResponseWriter, r *http.Request) (labRequest, bool) {
	var req labRequest
	if err := json.NewDecoder(io.LimitReader(r.Body, 64<<10)).Decode(&req); err != nil {
		writeError(w, http.StatusBadRequest, "The body must be JSON {\"host\",\"component\",\"token\"}")
		return req, false
	}
	return req, true
}

func fromLoopback(r *http.Request) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
