package winrmfake

import (
	"fmt"
	"net/http"
	"slices"
	"sync"
)

// FaultKind is how an injected fault answers a request.
type FaultKind int

const (
	// SOAPFault answers HTTP 500 with a w:InternalError fault envelope.
	SOAPFault FaultKind = iota + 1
	// Hang never answers: the request blocks until the client gives up
	// or the server closes.
	Hang
	// Drop closes the connection without answering.
	Drop
)

// Fault makes requests of one action fail.
type Fault struct {
	Action Action
	Kind   FaultKind
	// Times is how many requests fail before the fault is spent; 0 means
	// every request until ClearFaults.
	Times int
}

// Inject adds f. Faults apply to authenticated requests of the right
// size, after they are logged; the first matching fault wins.
func (s *Server) Inject(f Fault) { s.faults.add(f) }

// ClearFaults removes every injected fault.
func (s *Server) ClearFaults() { s.faults.clear() }

type faultTable struct {
	mu     sync.Mutex
	faults []*Fault
}

func (t *faultTable) add(f Fault) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.faults = append(t.faults, &f)
}

func (t *faultTable) clear() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.faults = nil
}

// take returns the kind of the fault for a, spending one of its times,
// or 0.
func (t *faultTable) take(a Action) FaultKind {
	t.mu.Lock()
	defer t.mu.Unlock()
	for i, f := range t.faults {
		if f.Action != a {
			continue
		}
		if f.Times > 0 {
			if f.Times--; f.Times == 0 {
				t.faults = slices.Delete(t.faults, i, i+1)
			}
		}
		return f.Kind
	}
	return 0
}

// WS-Management faults the fake sends. Only TimedOut's code is what
// Windows sends (2150858793, ERROR_WSMAN_OPERATION_TIMEDOUT); the others
// are placeholders, as are the texts.
type wsmanFault struct {
	subcode string // w:TimedOut, ...
	code    uint32
	reason  string
}

var (
	faultTimedOut = wsmanFault{"w:TimedOut", 2150858793,
		"The WS-Management service cannot complete the operation within the time specified in OperationTimeout."}
	faultInternal     = wsmanFault{"w:InternalError", 2147943418, "Injected fault."}
	faultNoShell      = wsmanFault{"w:InvalidSelectors", 2150858843, "The request for the Windows Remote Shell failed because the shell was not found on the server."}
	faultNoCommand    = wsmanFault{"w:InvalidSelectors", 2150858843, "The request for the Windows Remote Shell failed because the command was not found."}
	faultAccessDenied = wsmanFault{"w:AccessDenied", 5, "Access is denied."}
	faultBadRequest   = wsmanFault{"w:SchemaValidationError", 2150858817, "The SOAP XML in the message does not match the corresponding XML schema definition."}
	faultBadAction    = wsmanFault{"a:ActionNotSupported", 2150858754, "The action is not supported by the service."}
	faultBadResource  = wsmanFault{"w:DestinationUnreachable", 2150858770, "The WS-Management service cannot process the request because the resource URI is not supported."}
)

// writeFault answers HTTP 500 with f as a SOAP fault, as Windows does.
func writeFault(w http.ResponseWriter, relatesTo string, f wsmanFault) {
	body := fmt.Sprintf(`<s:Fault><s:Code><s:Value>s:Receiver</s:Value><s:Subcode><s:Value>%s</s:Value></s:Subcode></s:Code>`+
		`<s:Reason><s:Text xml:lang="en-US">%s</s:Text></s:Reason><s:Detail>`+
		`<f:WSManFault xmlns:f="http://schemas.microsoft.com/wbem/wsman/1/wsmanfault" Code="%d" Machine="127.0.0.1">`+
		`<f:Message>%s</f:Message></f:WSManFault></s:Detail></s:Fault>`, f.subcode, esc(f.reason), f.code, esc(f.reason))
	writeSOAP(w, http.StatusInternalServerError, answer("http://schemas.dmtf.org/wbem/wsman/1/wsman/fault", relatesTo, body))
}

func writeSOAP(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/soap+xml;charset=UTF-8")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// Record is one request the server received from an authenticated user.
type Record struct {
	Action           Action
	User             string
	Size             int    // request body bytes
	Status           int    // the HTTP status answered; 0 for a hang or drop
	OperationTimeout string // as sent
	MaxEnvelopeSize  string // as sent
	Options          map[string]string
	CommandLine      string // for ActionCommand
}

// Log returns every request so far, oldest first.
func (s *Server) Log() []Record { return s.log.all() }

// CommandLines returns the command line of every Command request so far.
func (s *Server) CommandLines() []string {
	var lines []string
	for _, r := range s.log.all() {
		if r.Action == ActionCommand {
			lines = append(lines, r.CommandLine)
		}
	}
	return lines
}

type requestLog struct {
	mu      sync.Mutex
	records []*Record
}

func (l *requestLog) add(r *Record) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.records = append(l.records, r)
}

func (l *requestLog) setStatus(r *Record, status int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	r.Status = status
}

func (l *requestLog) all() []Record {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]Record, len(l.records))
	for i, r := range l.records {
		out[i] = *r
	}
	return out
}
