package winrmfake

import (
	"encoding/xml"
	"io"
	"log"
	"net/http"
	"strings"
)

// discardLog silences net/http's own messages (TLS handshake errors of
// clients that distrust the certificate, on purpose, in tests).
var discardLog = log.New(io.Discard, "", 0)

// maxDrain bounds what is read of a request over MaxEnvelopeSize before
// the 413, so that the client gets the answer instead of a reset.
const maxDrain = 64 << 20

// ServeHTTP implements http.Handler: authentication, the envelope size
// limit, then one WS-Management action.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !s.enter() {
		http.Error(w, "closing", http.StatusServiceUnavailable)
		return
	}
	defer s.wg.Done()
	if r.Method != http.MethodPost || r.URL.Path != "/wsman" {
		http.NotFound(w, r)
		return
	}
	body, size, err := readBody(r.Body, s.cfg.MaxEnvelopeSize)
	if err != nil {
		return // the client went away
	}
	user, ok := s.authenticate(w, r)
	if !ok {
		return
	}
	if body == nil {
		s.log.add(&Record{User: user, Size: size, Status: http.StatusRequestEntityTooLarge})
		w.Header().Set("Content-Length", "0")
		w.WriteHeader(http.StatusRequestEntityTooLarge)
		return
	}
	var env envelope
	if err := xml.Unmarshal(body, &env); err != nil {
		writeFault(w, "", faultBadRequest)
		return
	}
	rec := newRecord(user, size, &env)
	s.log.add(rec)
	sw := &statusWriter{ResponseWriter: w}
	defer func() { s.log.setStatus(rec, sw.status) }()
	if s.injected(sw, r, rec.Action, env.Header.MessageID) {
		return
	}
	s.serveAction(sw, r, user, rec.Action, &env)
}

// readBody reads a request body of at most max bytes. A larger one is
// read on (up to maxDrain) and discarded, and body is nil.
func readBody(rc io.Reader, max int) (body []byte, size int, err error) {
	body, err = io.ReadAll(io.LimitReader(rc, int64(max)+1))
	if err != nil || len(body) <= max {
		return body, len(body), err
	}
	n, err := io.Copy(io.Discard, io.LimitReader(rc, maxDrain))
	return nil, len(body) + int(n), err
}

func newRecord(user string, size int, env *envelope) *Record {
	rec := &Record{
		Action:           actionURIs[env.Header.Action],
		User:             user,
		Size:             size,
		OperationTimeout: env.Header.OperationTimeout,
		MaxEnvelopeSize:  env.Header.MaxEnvelopeSize,
		Options:          env.options(),
	}
	if rec.Action == ActionCommand && env.Body.CommandLine != nil {
		rec.CommandLine = commandLine(env)
	}
	return rec
}

// commandLine is the line the client asked to run: the command and its
// arguments, as cmd.exe would see them.
func commandLine(env *envelope) string {
	cl := env.Body.CommandLine
	return strings.Join(append([]string{cl.Command}, cl.Arguments...), " ")
}

// injected applies an injected fault for action, reporting whether one
// answered (or did not answer) the request.
func (s *Server) injected(w http.ResponseWriter, r *http.Request, action Action, msgID string) bool {
	switch s.faults.take(action) {
	case SOAPFault:
		writeFault(w, msgID, faultInternal)
	case Hang:
		select {
		case <-r.Context().Done():
		case <-s.ctx.Done():
		}
	case Drop:
		if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
			_ = conn.Close()
		}
	default:
		return false
	}
	return true
}

// statusWriter remembers the status written, for the request log.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
