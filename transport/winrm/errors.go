package winrm

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/xml"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"syscall"

	"github.com/rotplay/rotplay/transport"
)

// HTTPError is an answer of the WinRM service other than 200 OK. The
// client library reports these as strings, or not at all (an HTTP 500
// fault passes for success there); here every one is an error.
type HTTPError struct {
	Status int
	Fault  *Fault // the SOAP fault in the body, if it holds one
	Body   string // the start of a body that is no fault
}

// Fault is a WS-Management SOAP fault.
type Fault struct {
	Subcode string // w:TimedOut, w:InternalError, ...
	Code    string // the WSManFault code, e.g. 2150858793
	Reason  string
}

// timedOutCode is ERROR_WSMAN_OPERATION_TIMEDOUT: a Receive found no
// output within the OperationTimeout. It means "ask again".
const timedOutCode = "2150858793"

func (e *HTTPError) Error() string {
	switch {
	case e.Fault != nil:
		return fmt.Sprintf("WinRM fault %s (code %s, HTTP %d): %s", e.Fault.Subcode, e.Fault.Code, e.Status, e.Fault.Reason)
	case e.Status == http.StatusUnauthorized:
		return "HTTP 401 Unauthorized"
	case e.Status == http.StatusRequestEntityTooLarge:
		return fmt.Sprintf("HTTP 413: the host refused a request as too large; its MaxEnvelopeSizekb is below the %d KiB "+
			"rotplay sends: raise it on the host (winrm set winrm/config @{MaxEnvelopeSizekb=\"500\"})", envelopeSize>>10)
	case e.Body != "":
		return fmt.Sprintf("HTTP %d: %s", e.Status, e.Body)
	}
	return fmt.Sprintf("HTTP %d %s", e.Status, http.StatusText(e.Status))
}

// timedOut reports whether e is the w:TimedOut fault of a quiet Receive.
func (e *HTTPError) timedOut() bool {
	return e.Fault != nil && (e.Fault.Code == timedOutCode || e.Fault.Subcode == "w:TimedOut")
}

// newHTTPError reads the fault in body, if any.
func newHTTPError(status int, body []byte) *HTTPError {
	e := &HTTPError{Status: status}
	var env struct {
		Fault struct {
			Subcode string `xml:"Code>Subcode>Value"`
			Reason  string `xml:"Reason>Text"`
			Detail  struct {
				WSManFault struct {
					Code string `xml:"Code,attr"`
				} `xml:"WSManFault"`
			} `xml:"Detail"`
		} `xml:"Body>Fault"`
	}
	if xml.Unmarshal(body, &env) == nil && env.Fault.Subcode != "" {
		f := env.Fault
		e.Fault = &Fault{Subcode: f.Subcode, Code: f.Detail.WSManFault.Code, Reason: strings.TrimSpace(f.Reason)}
		return e
	}
	e.Body = strings.TrimSpace(string(body))
	if len(e.Body) > 200 {
		e.Body = e.Body[:200] + "..."
	}
	return e
}

// errBasicFallback stops go-ntlmssp from answering a host that offers no
// NTLM with the password in a Basic header.
var errBasicFallback = errors.New("the host offers no NTLM (Negotiate) authentication, only Basic; " +
	"rotplay does not fall back to Basic unasked: set ansible_winrm_transport: basic if that is intended")

// netError is a request that got no HTTP answer: the connection could not
// be made or broke.
type netError struct{ err error }

func (e *netError) Error() string { return e.err.Error() }
func (e *netError) Unwrap() error { return e.err }

// explain turns an error of a WinRM exchange with h into what the user
// should read, wrapping transport.ErrUnreachable when it means the host
// cannot be reached or logged in to: no answer, or a 401.
func explain(h *host, err error) error {
	var netErr *netError
	var httpErr *HTTPError
	var unknownCA x509.UnknownAuthorityError
	var hostnameErr x509.HostnameError
	var certErr *tls.CertificateVerificationError
	var recordErr tls.RecordHeaderError
	var dnsErr *net.DNSError
	switch {
	case errors.As(err, &httpErr) && httpErr.Status == http.StatusUnauthorized:
		return fmt.Errorf("%w: log in to %s as %s with %s authentication refused (HTTP 401): check ansible_user and %s, "+
			"and that the host's WinRM service allows %s (%s; winrm get winrm/config/service/auth)",
			transport.ErrUnreachable, h.name, h.user, h.auth, varPassword, h.auth, varAuth)
	case !errors.As(err, &netErr):
		return err // the host answered: a fault, a 413, an odd answer
	case errors.Is(err, errBasicFallback):
		return fmt.Errorf("%w: %s: %w", transport.ErrUnreachable, h.name, err)
	case errors.As(err, &unknownCA), errors.As(err, &certErr) && errors.As(certErr.Err, &unknownCA):
		return fmt.Errorf("%w: the certificate of %s is not signed by a CA rotplay trusts: give the CA's PEM file in %s, "+
			"or set %s: ignore to skip the check (insecure; only for a network you trust)", transport.ErrUnreachable, h.url,
			varCATrustPath, varCertValidation)
	case errors.As(err, &hostnameErr):
		return fmt.Errorf("%w: the certificate of %s does not name %s (%v): use the name it was issued for as ansible_host",
			transport.ErrUnreachable, h.url, h.hostname, hostnameErr)
	case errors.As(err, &certErr):
		return fmt.Errorf("%w: the certificate of %s is not valid: %v", transport.ErrUnreachable, h.url, certErr.Err)
	case errors.As(err, &recordErr) || strings.Contains(err.Error(), "server gave HTTP response to HTTPS client"):
		return fmt.Errorf("%w: %s answered HTTPS with something else, likely plain HTTP: if its listener is HTTP "+
			"(port 5985), set %s: http", transport.ErrUnreachable, h.url, varScheme)
	case errors.As(err, &dnsErr):
		return fmt.Errorf("%w: cannot resolve %s: %v; check ansible_host", transport.ErrUnreachable, h.hostname, dnsErr)
	case errors.Is(err, syscall.ECONNREFUSED):
		return fmt.Errorf("%w: connect to %s: connection refused: is WinRM listening there (winrm quickconfig), "+
			"and is the port right (ansible_port; 5986 for https, 5985 for http)?", transport.ErrUnreachable, h.url)
	}
	return fmt.Errorf("%w: %s: %w", transport.ErrUnreachable, h.url, err)
}
