package dynatrace

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/rotplay/rotplay/secret"
)

// failure turns the last failed attempt of o into the caller's error.
// maybeActed says whether any attempt may have been carried out by the
// server; for state-changing operations that makes the outcome unknown, and
// that verdict overrides the advice a status alone would give (a 400 to a
// retried finish most likely answers our own earlier, lost finish).
func (c *Client) failure(o operation, a attempt, attempts int, maybeActed bool) error {
	e := &APIError{Op: o.name, StatusCode: a.status, Attempts: attempts, Scope: o.scope}
	if a.status != 0 && a.status/100 != 2 {
		c.parseErrorBody(e, a.body)
	}
	e.cause = c.redactErr(c.describeCause(a))
	e.kinds, e.advice = c.classify(o, a)
	if o.mutates && maybeActed {
		e.kinds = append([]error{ErrOutcomeUnknown}, e.kinds...)
		e.advice = o.unknown
	}
	return e
}

// classify maps an attempt to its sentinels and advice.
func (c *Client) classify(o operation, a attempt) ([]error, string) {
	switch s := a.status; {
	case s == 0:
		return nil, c.transportAdvice(a.err)
	case s/100 == 2:
		return nil, "the call took effect, but its answer could not be read"
	case s/100 == 3:
		return nil, fmt.Sprintf("the environment URL redirects to %q: use the URL it points to", a.header.Get("Location"))
	case s == http.StatusBadRequest:
		return sentinel(o.on400), o.badRequest
	case s == http.StatusUnauthorized:
		return sentinel(ErrUnauthorized), fmt.Sprintf("the API token is invalid or expired (some Dynatrace versions also answer 401 when it lacks the scope %s): provide a valid token with that scope", o.scope)
	case s == http.StatusForbidden:
		return sentinel(ErrForbidden), fmt.Sprintf("the API token lacks the scope %s: add it to the token or use one that has it", o.scope)
	case s == http.StatusNotFound:
		return nil, fmt.Sprintf("nothing at %s%s: check the environment URL; the accepted forms are %s", c.base, o.path, acceptedForms)
	case s == http.StatusTooManyRequests:
		return sentinel(ErrThrottled), "the environment is throttling API requests: try again later and keep parallel API calls low"
	case s >= 500:
		return sentinel(ErrServer), "the Dynatrace server failed: try again later"
	}
	return nil, ""
}

func sentinel(err error) []error {
	if err == nil {
		return nil
	}
	return []error{err}
}

// transportAdvice says what to do when no response arrived.
func (c *Client) transportAdvice(err error) string {
	switch {
	case errors.Is(err, errInterrupted):
		return "" // the caller stopped us; it knows why
	case isCertError(err):
		return "the server's TLS certificate is not trusted: give the CA bundle that signed it as the CA file"
	case isTimeout(err):
		return fmt.Sprintf("no answer within %s: check the network path to %s", c.timeout, c.base)
	}
	return fmt.Sprintf("could not talk to %s: check the URL, DNS, proxy and firewall", c.base)
}

// describeCause replaces the bare "context deadline exceeded" of a request
// timeout with words a user understands; other errors pass unchanged.
func (c *Client) describeCause(a attempt) error {
	if a.err != nil && !errors.Is(a.err, errInterrupted) && errors.Is(a.err, context.DeadlineExceeded) {
		return fmt.Errorf("timed out: %w", a.err)
	}
	return a.err
}

func isTimeout(err error) bool {
	if ne, ok := errors.AsType[net.Error](err); ok && ne.Timeout() {
		return true
	}
	return errors.Is(err, context.DeadlineExceeded)
}

// parseErrorBody fills Code, Message and Violations from a Dynatrace error
// envelope, or keeps a short excerpt of any other body (a proxy's page).
func (c *Client) parseErrorBody(e *APIError, body []byte) {
	var env struct {
		Error *struct {
			Code                 int                   `json:"code"`
			Message              string                `json:"message"`
			ConstraintViolations []ConstraintViolation `json:"constraintViolations"`
		} `json:"error"`
	}
	if json.Unmarshal(body, &env) == nil && env.Error != nil {
		e.Code, e.Message = env.Error.Code, c.redact(env.Error.Message)
		for _, v := range env.Error.ConstraintViolations {
			v.Message, v.Path = c.redact(v.Message), c.redact(v.Path)
			e.Violations = append(e.Violations, v)
		}
		return
	}
	e.Message = c.redact(excerpt(body))
}

// excerpt is the start of a textual body on one line, or "" for binary.
func excerpt(body []byte) string {
	const limit = 200
	if !utf8.Valid(body) {
		return ""
	}
	s := strings.Join(strings.Fields(string(body)), " ")
	if len(s) > limit {
		s = strings.ToValidUTF8(s[:limit], "") + "…"
	}
	return s
}

// redact removes the API token from text that came from elsewhere. Servers
// are not expected to echo it; this makes sure an error never does.
func (c *Client) redact(s string) string {
	return strings.ReplaceAll(s, c.token, secret.Mask(c.token))
}

// redactErr keeps err unless its text holds the token, in which case only
// the redacted text survives (dropping the chain is the price of safety).
func (c *Client) redactErr(err error) error {
	if err == nil || !strings.Contains(err.Error(), c.token) {
		return err
	}
	return errors.New(c.redact(err.Error()))
}
