package dynatrace

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
)

// step is one scripted answer.
type step struct {
	status int
	body   string
	header map[string]string
}

// script answers the n-th request with steps[n], repeating the last.
func script(t *testing.T, steps ...step) (*atomicCounter, string) {
	t.Helper()
	var n atomicCounter
	srv := handlerServer(t, func(w http.ResponseWriter, r *http.Request) {
		i := min(int(n.Add(1))-1, len(steps)-1)
		for k, v := range steps[i].header {
			w.Header().Set(k, v)
		}
		reply(w, steps[i].status, steps[i].body)
	})
	return &n, srv.URL
}

type atomicCounter = atomic.Int32

const (
	okTokens = `{"active":{"value":"new12345"},"old":{"value":"old12345"}}`
	okInfo   = `{"tenantUUID":"abc","tenantToken":"tt123456","communicationEndpoints":["https://a/communication"]}`
)

func envelope(code int, msg string) string {
	return fmt.Sprintf(`{"error":{"code":%d,"message":%q}}`, code, msg)
}

// callOp runs one client operation by name.
func callOp(ctx context.Context, c *Client, op string) error {
	var err error
	switch op {
	case "start":
		_, err = c.StartRotation(ctx)
	case "finish":
		_, err = c.FinishRotation(ctx)
	case "cancel":
		_, err = c.CancelRotation(ctx)
	case "connectioninfo":
		_, err = c.ConnectionInfo(ctx)
	}
	return err
}

func TestErrorsAndRetries(t *testing.T) {
	t.Parallel()
	e500, e400, e429 := step{status: 500, body: envelope(500, "Internal error")}, step{status: 400, body: envelope(400, "Bad request")}, step{status: 429, body: envelope(429, "Too many requests")}
	tests := []struct {
		name      string
		op        string
		steps     []step
		want      []error // nil: success
		notWant   []error
		requests  int32
		wantInMsg []string
	}{
		{"start 400", "start", []step{e400}, []error{ErrRotationInProgress}, []error{ErrOutcomeUnknown}, 1, []string{"start rotation", "HTTP 400", "finish or cancel it first"}},
		{"finish 400", "finish", []step{e400}, []error{ErrNoRotation}, []error{ErrOutcomeUnknown}, 1, []string{"nothing to finish"}},
		{"cancel 400", "cancel", []step{e400}, []error{ErrNoRotation}, []error{ErrOutcomeUnknown}, 1, []string{"nothing to cancel"}},
		{"start 401", "start", []step{{status: 401, body: envelope(401, "Token Authentication failed")}}, []error{ErrUnauthorized}, nil, 1, []string{"invalid or expired", "Token Authentication failed"}},
		{"start 403", "start", []step{{status: 403, body: envelope(403, "Token is missing required scope")}}, []error{ErrForbidden}, nil, 1, []string{"scope tenantTokenRotation.write"}},
		{"connectioninfo 403", "connectioninfo", []step{{status: 403}}, []error{ErrForbidden}, nil, 1, []string{"scope InstallerDownload"}},
		{"start 429 retried then ok", "start", []step{e429, e429, {status: 200, body: okTokens}}, nil, nil, 3, nil},
		{"start 429 exhausted", "start", []step{e429}, []error{ErrThrottled}, []error{ErrOutcomeUnknown}, 5, []string{"after 5 attempts", "throttling"}},
		{"start 500 not retried", "start", []step{e500, {status: 200, body: okTokens}}, []error{ErrOutcomeUnknown, ErrServer}, nil, 1,
			[]string{"the rotation may have started and its new token is lost; do not call start again: check with connectioninfo or cancel"}},
		{"start 502 not retried", "start", []step{{status: 502, body: "<html>Bad Gateway</html>"}}, []error{ErrOutcomeUnknown, ErrServer}, nil, 1, []string{"<html>Bad Gateway</html>"}},
		{"finish 5xx retried then ok", "finish", []step{{status: 503}, e500, {status: 200, body: okTokens}}, nil, nil, 3, nil},
		{"finish 500 exhausted", "finish", []step{e500}, []error{ErrOutcomeUnknown, ErrServer}, nil, 5, []string{"may already be finished"}},
		{"finish 500 then 400", "finish", []step{e500, e400}, []error{ErrOutcomeUnknown, ErrNoRotation}, nil, 2, []string{"may already be finished", "check with connectioninfo"}},
		{"cancel 503 then 400", "cancel", []step{{status: 503}, e400}, []error{ErrOutcomeUnknown, ErrNoRotation}, nil, 2, []string{"may already be cancelled"}},
		{"finish 429 then 400", "finish", []step{e429, e400}, []error{ErrNoRotation}, []error{ErrOutcomeUnknown}, 2, []string{"nothing to finish"}},
		{"connectioninfo 500 then ok", "connectioninfo", []step{e500, {status: 200, body: okInfo}}, nil, nil, 2, nil},
		{"connectioninfo 500 exhausted", "connectioninfo", []step{e500}, []error{ErrServer}, []error{ErrOutcomeUnknown}, 5, nil},
		{"connectioninfo bad body", "connectioninfo", []step{{status: 200, body: `{"tenantUUID":"abc"}`}}, []error{}, []error{ErrOutcomeUnknown}, 1, []string{"not a connection info"}},
		{"start 404", "start", []step{{status: 404}}, []error{}, []error{ErrOutcomeUnknown}, 1, []string{"check the environment URL"}},
		{"start redirect", "start", []step{{status: 302, header: map[string]string{"Location": "https://elsewhere.example/e/x"}}}, []error{}, []error{ErrOutcomeUnknown}, 1, []string{"redirects to \"https://elsewhere.example/e/x\""}},
		{"constraint violations", "finish", []step{{status: 422, body: `{"error":{"code":422,"message":"Invalid","constraintViolations":[{"path":"body","message":"must be empty","parameterLocation":"PAYLOAD_BODY"}]}}`}},
			[]error{}, []error{ErrNoRotation}, 1, []string{"HTTP 422", "Invalid [body: must be empty]"}},
		{"server echoes the token", "start", []step{{status: 401, body: envelope(401, "bad token "+testToken)}}, []error{ErrUnauthorized}, nil, 1, []string{"bad token ***"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			n, url := script(t, tt.steps...)
			c, _ := testClient(t, url, testToken)
			err := callOp(t.Context(), c, tt.op)
			if got := n.Load(); got != tt.requests {
				t.Errorf("%d requests, want %d", got, tt.requests)
			}
			if tt.want == nil {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			checkError(t, err, tt.want, tt.notWant, tt.wantInMsg)
			if ae, ok := errors.AsType[*APIError](err); !ok || ae.Attempts != int(tt.requests) || ae.StatusCode != tt.steps[min(int(tt.requests), len(tt.steps))-1].status {
				t.Fatalf("APIError %+v", ae)
			}
		})
	}
}

func checkError(t *testing.T, err error, want, notWant []error, inMsg []string) {
	t.Helper()
	if err == nil {
		t.Fatal("no error")
	}
	for _, w := range want {
		if !errors.Is(err, w) {
			t.Errorf("%v is not %v", err, w)
		}
	}
	for _, w := range notWant {
		if errors.Is(err, w) {
			t.Errorf("%v must not be %v", err, w)
		}
	}
	for _, s := range inMsg {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("%q lacks %q", err, s)
		}
	}
	assertNoSecret(t, err, testToken, "new12345", "old12345", "tt123456")
}

func TestAPIErrorFields(t *testing.T) {
	t.Parallel()
	_, url := script(t, step{status: 400, body: `{"error":{"code":400,"message":"Rotation in progress","constraintViolations":[{"location":"l","message":"m","parameterLocation":"QUERY","path":"p"}]}}`})
	c, _ := testClient(t, url, testToken)
	_, err := c.StartRotation(t.Context())
	ae, ok := errors.AsType[*APIError](err)
	if !ok || ae.Op != "start rotation" || ae.StatusCode != 400 || ae.Code != 400 || ae.Message != "Rotation in progress" ||
		ae.Scope != ScopeTenantTokenRotation || len(ae.Violations) != 1 || ae.Violations[0].ParameterLocation != "QUERY" {
		t.Fatalf("%+v", ae)
	}
}
