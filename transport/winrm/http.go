package winrm

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/Azure/go-ntlmssp"
	"github.com/masterzen/winrm"
	"github.com/masterzen/winrm/soap"
)

// maxAnswer bounds an answer's body; Receive answers are at most about
// envelopeSize.
const maxAnswer = 16 << 20

// strictTransport is the winrm.Transporter rotplay uses: every answer but
// 200 OK is an *HTTPError, requests carry a context, and it has exactly
// one TCP connection, which NTLM authenticates. Requests on it wait for
// each other, so a conn hands each strictTransport to one call at a time.
type strictTransport struct {
	url            string
	user, password string
	ntlm           bool
	connectTimeout time.Duration
	client         *http.Client
	http           *http.Transport
}

var _ winrm.Transporter = (*strictTransport)(nil)

// newStrictTransport returns a transport for h, configured as
// winrm.Client would configure it, through Transport(endpoint).
func newStrictTransport(h *host, connectTimeout, httpTimeout time.Duration) (*strictTransport, error) {
	t := &strictTransport{url: h.url, user: h.user, password: h.password, ntlm: h.auth == authNTLM, connectTimeout: connectTimeout}
	ep := winrm.NewEndpoint(h.hostname, h.port, h.https, h.insecure, h.caPEM, nil, nil, httpTimeout)
	if err := t.Transport(ep); err != nil {
		return nil, err
	}
	return t, nil
}

// Transport implements winrm.Transporter: it builds the HTTP client for
// endpoint (TLS settings, response timeout).
func (t *strictTransport) Transport(ep *winrm.Endpoint) error {
	cfg := &tls.Config{InsecureSkipVerify: ep.Insecure, ServerName: ep.TLSServerName, MinVersion: tls.VersionTLS12} //nolint:gosec // the inventory's explicit opt-in
	if len(ep.CACert) > 0 {
		cfg.RootCAs = x509.NewCertPool()
		if !cfg.RootCAs.AppendCertsFromPEM(ep.CACert) {
			return errors.New("no PEM certificate in the CA bundle")
		}
	}
	t.http = &http.Transport{
		DialContext:           (&net.Dialer{Timeout: t.connectTimeout, KeepAlive: 30 * time.Second}).DialContext,
		TLSClientConfig:       cfg,
		TLSHandshakeTimeout:   t.connectTimeout,
		ResponseHeaderTimeout: ep.Timeout,
		// One connection: NTLM authenticates a connection, and its three
		// legs must not be split over several.
		MaxConnsPerHost:     1,
		MaxIdleConnsPerHost: 1,
		// Below Windows' idle timeout (120s), so an idle connection is
		// never reused just as the host closes it.
		IdleConnTimeout: 60 * time.Second,
	}
	var rt http.RoundTripper = t.http
	if t.ntlm {
		rt = ntlmssp.Negotiator{RoundTripper: noBasicFallback{t.http}}
	}
	t.client = &http.Client{
		Transport:     rt,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	return nil
}

// Post implements winrm.Transporter, for the library's Client.
func (t *strictTransport) Post(_ *winrm.Client, msg *soap.SoapMessage) (string, error) {
	return t.post(context.Background(), msg)
}

// post sends msg and returns the answer's body. Errors: *HTTPError for an
// answer other than 200, *netError when there was no answer.
func (t *strictTransport) post(ctx context.Context, msg *soap.SoapMessage) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.url, strings.NewReader(msg.String()))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/soap+xml;charset=UTF-8")
	// With NTLM, the Negotiator turns these credentials into the handshake.
	req.SetBasicAuth(t.user, t.password)
	resp, err := t.client.Do(req)
	if err != nil {
		return "", &netError{err}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return "", &netError{fmt.Errorf("read the answer: %w", err)}
	}
	if resp.StatusCode != http.StatusOK {
		return "", newHTTPError(resp.StatusCode, body)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.Contains(ct, "application/soap+xml") {
		return "", fmt.Errorf("the WinRM service answered with content type %q, not SOAP", ct)
	}
	return string(body), nil
}

// closeIdle closes the idle connection, at Close.
func (t *strictTransport) closeIdle() { t.http.CloseIdleConnections() }

// noBasicFallback refuses the Basic request go-ntlmssp's Negotiator sends
// when the host does not offer NTLM: with ansible_winrm_transport ntlm,
// the password must not go out in a Basic header unasked.
type noBasicFallback struct{ rt http.RoundTripper }

func (n noBasicFallback) RoundTrip(req *http.Request) (*http.Response, error) {
	if strings.HasPrefix(req.Header.Get("Authorization"), "Basic ") {
		if req.Body != nil {
			_ = req.Body.Close()
		}
		return nil, errBasicFallback
	}
	return n.rt.RoundTrip(req)
}
