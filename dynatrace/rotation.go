package dynatrace

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/rotplay/rotplay/secret"
)

// Tokens is the API's answer to a rotation call (TenantTokenConfig).
type Tokens struct {
	// Active is the token in force after the call: the new token after
	// start and finish, the original one after cancel.
	Active string
	// Old is the previous token: the one being replaced after start, the
	// now invalid one after finish, and "" after cancel (old: null) or when
	// the API sent old: {}.
	Old string
}

// String masks both tokens, so that Tokens printed by mistake leak nothing.
func (t Tokens) String() string {
	return fmt.Sprintf("Tokens{Active:%s Old:%s}", mask(t.Active), mask(t.Old))
}

// GoString is String, for %#v.
func (t Tokens) GoString() string { return t.String() }

func mask(s string) string {
	if s == "" {
		return `""`
	}
	return secret.Mask(s)
}

// StartRotation starts a tenant-token rotation and returns the new token
// (Active) and the current one (Old); both stay valid until finish. The
// caller must store the answer durably before anything else: the API cannot
// return the new token again.
//
// Start is never repeated after the request may have reached the server. It
// is retried only on 429 and on failures before a connection existed. Errors:
// ErrRotationInProgress (400), ErrUnauthorized, ErrForbidden, ErrThrottled,
// and ErrOutcomeUnknown (with ErrServer for a 5xx) when the rotation may have
// started but its answer was lost: do not call start again; check with
// ConnectionInfo or cancel.
func (c *Client) StartRotation(ctx context.Context) (Tokens, error) {
	return c.rotate(ctx, opStart)
}

// FinishRotation ends the open rotation: the old token becomes invalid. It
// is retried on 429, 5xx and lost answers. Errors: ErrNoRotation (400 on the
// first attempt: nothing was open), ErrUnauthorized, ErrForbidden,
// ErrThrottled, ErrServer; ErrOutcomeUnknown when an attempt may have
// finished the rotation without the answer arriving, including a 400 to a
// retry (then wrapped with ErrNoRotation: no rotation is open now, most
// likely because the lost attempt finished it; ConnectionInfo tells which).
func (c *Client) FinishRotation(ctx context.Context) (Tokens, error) {
	return c.rotate(ctx, opFinish)
}

// CancelRotation abandons the open rotation: the new token is discarded and
// the original stays (Active; Old is ""). Agents already switched to the new
// token must be switched back. Retries and errors are as for FinishRotation,
// with "cancelled" for "finished".
func (c *Client) CancelRotation(ctx context.Context) (Tokens, error) {
	return c.rotate(ctx, opCancel)
}

func (c *Client) rotate(ctx context.Context, o operation) (Tokens, error) {
	body, attempts, err := c.call(ctx, o)
	if err != nil {
		return Tokens{}, err
	}
	t, err := decodeTokens(body)
	if err != nil {
		// The server acted (2xx), so a start's new token is now lost.
		return Tokens{}, c.failure(o, attempt{status: 200, err: err}, attempts, true)
	}
	return t, nil
}

// decodeTokens parses {"active":{"value":..},"old":{"value":..}}, where old
// may be missing, null, {} or {"value":null}.
func decodeTokens(body []byte) (Tokens, error) {
	type token struct {
		Value *string `json:"value"`
	}
	var cfg struct {
		Active *token `json:"active"`
		Old    *token `json:"old"`
	}
	// The error of Unmarshal could quote the body, which holds tokens.
	if json.Unmarshal(body, &cfg) != nil {
		return Tokens{}, errors.New("the answer is not a JSON tenant token configuration")
	}
	if cfg.Active == nil || cfg.Active.Value == nil || *cfg.Active.Value == "" {
		return Tokens{}, errors.New("the answer has no active token")
	}
	t := Tokens{Active: *cfg.Active.Value}
	if cfg.Old != nil && cfg.Old.Value != nil {
		t.Old = *cfg.Old.Value
	}
	return t, nil
}
