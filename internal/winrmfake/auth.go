package winrmfake

import (
	"context"
	"crypto/subtle"
	"encoding/base64"
	"net"
	"net/http"
	"strings"
	"sync"
)

// connState is what one TCP connection has established: NTLM
// authenticates the connection, not each request, as on Windows.
type connState struct {
	mu        sync.Mutex
	challenge *[8]byte // sent, awaiting the AUTHENTICATE
	user      string   // authenticated by NTLM; "" before
}

type connKey struct{}

// withConnState gives each connection its own state (http.Server's
// ConnContext).
func withConnState(ctx context.Context, _ net.Conn) context.Context {
	return context.WithValue(ctx, connKey{}, &connState{})
}

// authenticate returns the user a request is authorized as, or writes the
// 401 that tells the client how to authenticate and returns ok false.
func (s *Server) authenticate(w http.ResponseWriter, r *http.Request) (user string, ok bool) {
	cs, _ := r.Context().Value(connKey{}).(*connState)
	if cs == nil {
		cs = &connState{}
	}
	scheme, token, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	switch {
	case scheme == "" && cs.authenticated() != "":
		return cs.authenticated(), true
	case strings.EqualFold(scheme, "Basic") && s.cfg.Basic:
		if user, ok := s.basic(token); ok {
			return user, true
		}
	case (strings.EqualFold(scheme, "Negotiate") || strings.EqualFold(scheme, "NTLM")) && s.cfg.NTLM:
		return s.ntlm(w, cs, scheme, token)
	}
	s.unauthorized(w)
	return "", false
}

func (cs *connState) authenticated() string {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	return cs.user
}

// unauthorized answers 401 with the schemes offered, and no body, as
// Windows does.
func (s *Server) unauthorized(w http.ResponseWriter) {
	if s.cfg.NTLM {
		w.Header().Add("WWW-Authenticate", "Negotiate")
	}
	if s.cfg.Basic {
		w.Header().Add("WWW-Authenticate", `Basic realm="WSMAN"`)
	}
	w.Header().Set("Content-Length", "0")
	w.WriteHeader(http.StatusUnauthorized)
}

// basic checks Basic credentials ("DOMAIN\user" or "user").
func (s *Server) basic(token string) (string, bool) {
	raw, err := base64.StdEncoding.DecodeString(token)
	if err != nil {
		return "", false
	}
	name, password, found := strings.Cut(string(raw), ":")
	if !found {
		return "", false
	}
	domain, user := splitUser(name)
	key, want, ok := s.lookup(domain, user)
	if !ok || subtle.ConstantTimeCompare([]byte(password), []byte(want)) != 1 {
		return "", false
	}
	return key, true
}

// ntlm runs one leg of the NTLM handshake on the connection: a NEGOTIATE
// gets a CHALLENGE (401), an AUTHENTICATE that proves the password
// authenticates the connection and lets this request through.
func (s *Server) ntlm(w http.ResponseWriter, cs *connState, scheme, token string) (string, bool) {
	msg, err := base64.StdEncoding.DecodeString(token)
	cs.mu.Lock()
	defer cs.mu.Unlock()
	if err == nil && ntlmMessageType(msg) == 1 {
		challengeMsg, challenge := newChallenge(s.cfg.Computer, s.cfg.Domain)
		cs.challenge, cs.user = &challenge, ""
		w.Header().Set("WWW-Authenticate", scheme+" "+base64.StdEncoding.EncodeToString(challengeMsg))
		w.Header().Set("Content-Length", "0")
		w.WriteHeader(http.StatusUnauthorized)
		return "", false
	}
	challenge := cs.challenge
	cs.challenge = nil
	if err == nil && challenge != nil {
		if m, err := parseAuthenticate(msg); err == nil {
			if key, password, ok := s.lookup(m.domain, m.user); ok && verifyNTLMv2(m, *challenge, password) {
				cs.user = key
				return key, true
			}
		}
	}
	cs.user = ""
	s.unauthorized(w)
	return "", false
}

// lookup finds the configured user for domain\user: a key with that
// domain first, else a key without a domain. It returns the key as
// configured.
func (s *Server) lookup(domain, user string) (key, password string, ok bool) {
	for _, withDomain := range []bool{true, false} {
		for k, pw := range s.cfg.Users {
			kd, ku := splitUser(k)
			if !strings.EqualFold(ku, user) || (kd != "") != withDomain {
				continue
			}
			if kd == "" || strings.EqualFold(kd, domain) {
				return k, pw, true
			}
		}
	}
	return "", "", false
}

// splitUser splits "DOMAIN\user" into its parts; "user" has no domain.
func splitUser(name string) (domain, user string) {
	if d, u, found := strings.Cut(name, `\`); found {
		return d, u
	}
	return "", name
}
