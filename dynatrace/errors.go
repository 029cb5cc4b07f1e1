package dynatrace

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// Sentinels for errors.Is. An *APIError wraps one or more of them; check
// ErrOutcomeUnknown first, because it can come together with another.
var (
	// ErrRotationInProgress: start answered 400, another rotation is open.
	ErrRotationInProgress = errors.New("a tenant token rotation is already in progress")
	// ErrNoRotation: finish or cancel answered 400, no rotation is open.
	ErrNoRotation = errors.New("no tenant token rotation is in progress")
	// ErrUnauthorized: 401, the API token is invalid or expired.
	ErrUnauthorized = errors.New("the API token is invalid or expired")
	// ErrForbidden: 403, the API token lacks the scope the call needs
	// (APIError.Scope names it).
	ErrForbidden = errors.New("the API token lacks a required scope")
	// ErrThrottled: 429 on the last attempt; the environment is overloaded.
	ErrThrottled = errors.New("the Dynatrace API is throttling requests")
	// ErrServer: a 5xx answer on the last attempt.
	ErrServer = errors.New("the Dynatrace server failed")
	// ErrOutcomeUnknown: a state-changing call (start, finish, cancel) may
	// have been carried out by the server, but no answer says so: a lost or
	// timed-out response, a 5xx, or a 400 to a retry after such a failure.
	// For start it means the new token may be lost: never call start again;
	// check with ConnectionInfo or cancel (dynatrace.md §6).
	ErrOutcomeUnknown = errors.New("the outcome of the call is unknown")
)

// ConstraintViolation is one entry of the error body's constraintViolations.
type ConstraintViolation struct {
	Location          string `json:"location"`
	Message           string `json:"message"`
	ParameterLocation string `json:"parameterLocation"`
	Path              string `json:"path"`
}

// APIError is how every Client method fails. Its message names the
// operation, what happened and what to do; it never contains the API token
// or the request's Authorization header.
type APIError struct {
	Op         string // the operation, e.g. "start rotation"
	StatusCode int    // HTTP status; 0 when no response arrived
	Code       int    // error.code from the response body, 0 if absent
	// Message is error.message from the body, or a short excerpt of a body
	// that is not a Dynatrace error envelope.
	Message    string
	Violations []ConstraintViolation
	Scope      string // the token scope the operation needs
	Attempts   int    // requests sent, retries included

	kinds  []error // sentinels, ErrOutcomeUnknown first when present
	cause  error   // transport or decoding error, if any
	advice string  // what to do next
}

// Error implements error.
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "dynatrace: %s: %s", e.Op, e.what())
	if e.advice != "" {
		b.WriteString(": " + e.advice)
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " (after %d attempts)", e.Attempts)
	}
	return b.String()
}

// what says what happened, without advice.
func (e *APIError) what() string {
	if e.StatusCode == 0 {
		if e.cause == nil {
			return "no response"
		}
		return "no response: " + e.cause.Error()
	}
	s := fmt.Sprintf("HTTP %d %s", e.StatusCode, http.StatusText(e.StatusCode))
	if e.Message != "" {
		s += ": " + strings.TrimSuffix(e.Message, ".") // advice follows after a colon
	}
	for _, v := range e.Violations {
		s += fmt.Sprintf(" [%s: %s]", v.Path, v.Message)
	}
	if e.cause != nil {
		s += ": " + e.cause.Error()
	}
	return s
}

// Unwrap exposes the sentinels and the underlying cause to errors.Is/As.
func (e *APIError) Unwrap() []error {
	if e.cause == nil {
		return e.kinds
	}
	return append(append([]error{}, e.kinds...), e.cause)
}
