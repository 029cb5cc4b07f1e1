// Package dynatrace is rotplay's client for the Dynatrace environment API:
// the tenant-token rotation calls (start, finish, cancel), the OneAgent
// connection info, and the OneAgent and ActiveGate lists that show whether
// hosts came back after a restart. It owns the safety rules around those calls: which
// failures may be retried, and when the outcome of a call is unknown so that
// the caller must not repeat it blindly (dynatrace.md §1, §6). It uses only
// the standard library's HTTP.
package dynatrace

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/rotplay/rotplay/secret"
)

// Defaults applied by New to zero Config fields.
const (
	DefaultTimeout   = 30 * time.Second
	DefaultUserAgent = "rotplay/dev"
)

// Config says how to reach one Dynatrace environment.
type Config struct {
	// URL is the environment URL: SaaS https://{env-id}.live.dynatrace.com,
	// Managed https://{host}/e/{env-id}, or ActiveGate
	// https://{activegate}:9999/e/{env-id}. A trailing slash is fine.
	// http:// is accepted only for loopback hosts (the lab simulator).
	URL string
	// Token is the API token, sent as "Authorization: Api-Token ...". It never
	// appears in logs or errors.
	Token string
	// CAFile optionally names a PEM bundle added to the system roots, for
	// Managed clusters and ActiveGates with a private CA. TLS verification is
	// always on.
	CAFile string
	// Timeout bounds each request, including reading the response
	// (DefaultTimeout when zero).
	Timeout time.Duration
	// Retry says how failed requests are retried; zero fields take defaults.
	Retry RetryPolicy
	// UserAgent is sent with every request (DefaultUserAgent when empty).
	UserAgent string
	// HTTPClient replaces the client New builds, for tests. It is copied and
	// its redirect policy replaced; CAFile must then be empty.
	HTTPClient *http.Client
}

// String describes the configuration without the API token, so that a
// Config printed by mistake (%v, %+v) cannot leak it.
func (c Config) String() string {
	tok := "<empty>"
	if c.Token != "" {
		tok = secret.Mask(c.Token)
	}
	return fmt.Sprintf("dynatrace.Config{URL:%q Token:%s CAFile:%q Timeout:%s}", c.URL, tok, c.CAFile, c.Timeout)
}

// GoString is String, for %#v.
func (c Config) GoString() string { return c.String() }

// Client calls one Dynatrace environment's API. It is safe for concurrent
// use; every method honours its context and bounds each request by the
// configured timeout.
type Client struct {
	base    string // environment URL, no trailing slash
	token   string
	agent   string
	timeout time.Duration
	retry   RetryPolicy
	http    *http.Client
}

// New checks cfg and returns a client. It fails when the URL is not one of
// the accepted forms (the error names them), when http:// is used for a
// non-loopback host, when the token is missing or malformed, or when CAFile
// cannot be read or holds no certificate. New does no network I/O.
func New(cfg Config) (*Client, error) {
	base, urlErr := parseEnvironmentURL(cfg.URL)
	tokErr := checkToken(cfg.Token)
	hc, httpErr := httpClient(cfg)
	if err := errors.Join(urlErr, tokErr, httpErr); err != nil {
		return nil, err
	}
	c := &Client{
		base:    base,
		token:   cfg.Token,
		agent:   cfg.UserAgent,
		timeout: cfg.Timeout,
		retry:   cfg.Retry.withDefaults(),
		http:    hc,
	}
	if c.agent == "" {
		c.agent = DefaultUserAgent
	}
	if c.timeout <= 0 {
		c.timeout = DefaultTimeout
	}
	return c, nil
}

// EnvironmentURL is the normalised environment URL (no trailing slash) that
// API paths are appended to.
func (c *Client) EnvironmentURL() string { return c.base }

// checkToken rejects tokens that cannot be sent in a header. The message
// never repeats the token.
func checkToken(tok string) error {
	if tok == "" {
		return errors.New("dynatrace: no API token given: set DT_API_TOKEN or use a token file")
	}
	if strings.ContainsFunc(tok, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return errors.New("dynatrace: the API token contains whitespace or control characters: check how it was copied")
	}
	return nil
}
