package dynatrace

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/rotplay/rotplay/lab/dtsim"
)

func TestRotationAgainstSimulator(t *testing.T) {
	t.Parallel()
	for _, managed := range []bool{false, true} {
		sim, srv := simServer(t, dtsim.Options{APIToken: testToken, InitialToken: "initialtoken0123456789"})
		url := srv.URL
		if managed {
			url += "/e/" + sim.TenantUUID() + "/"
		}
		c, _ := testClient(t, url, testToken)
		ctx := t.Context()
		started, err := c.StartRotation(ctx)
		if err != nil || started.Old != "initialtoken0123456789" || started.Active == started.Old {
			t.Fatalf("start: %v %+v", err, started)
		}
		if _, err := c.StartRotation(ctx); !errors.Is(err, ErrRotationInProgress) || errors.Is(err, ErrOutcomeUnknown) {
			t.Fatalf("second start: %v", err)
		}
		ci, err := c.ConnectionInfo(ctx)
		if err != nil || ci.TenantToken != started.Active || ci.TenantUUID != sim.TenantUUID() || len(ci.CommunicationEndpoints) != 1 {
			t.Fatalf("connectioninfo: %v %+v", err, ci)
		}
		finished, err := c.FinishRotation(ctx)
		if err != nil || finished != started {
			t.Fatalf("finish: %v %+v, want %+v", err, finished, started)
		}
		_, err = c.FinishRotation(ctx)
		if !errors.Is(err, ErrNoRotation) || errors.Is(err, ErrOutcomeUnknown) {
			t.Fatalf("second finish: %v", err)
		}
		assertNoSecret(t, err, testToken, started.Active, started.Old)
		if got := strings.Join(sim.Calls(), ","); got != "start,finish" {
			t.Fatalf("calls %s", got)
		}
	}
}

func TestCancelAgainstSimulator(t *testing.T) {
	t.Parallel()
	sim, srv := simServer(t, dtsim.Options{APIToken: testToken, InitialToken: "initialtoken0123456789"})
	c, _ := testClient(t, srv.URL, testToken)
	if _, err := c.CancelRotation(t.Context()); !errors.Is(err, ErrNoRotation) {
		t.Fatalf("cancel with nothing open: %v", err)
	}
	if _, err := c.StartRotation(t.Context()); err != nil {
		t.Fatal(err)
	}
	got, err := c.CancelRotation(t.Context())
	if err != nil || got != (Tokens{Active: "initialtoken0123456789"}) {
		t.Fatalf("cancel: %v %+v", err, got)
	}
	if active, _ := sim.Tokens(); active != "initialtoken0123456789" {
		t.Fatalf("simulator active token %q after cancel", active)
	}
}

func TestTokenBodies(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, body string
		want       Tokens
		wantErr    string
	}{
		{"both", `{"active":{"value":"new12345"},"old":{"value":"old12345"}}`, Tokens{"new12345", "old12345"}, ""},
		{"old null value", `{"active":{"value":"a1234567"},"old":{"value":null}}`, Tokens{Active: "a1234567"}, ""},
		{"old empty object", `{"active":{"value":"a1234567"},"old":{}}`, Tokens{Active: "a1234567"}, ""},
		{"old null", `{"active":{"value":"a1234567"},"old":null}`, Tokens{Active: "a1234567"}, ""},
		{"old missing", `{"active":{"value":"a1234567"}}`, Tokens{Active: "a1234567"}, ""},
		{"no active", `{"old":{"value":"old12345"}}`, Tokens{}, "no active token"},
		{"not json", `<html>old12345</html>`, Tokens{}, "not a JSON"},
	}
	for _, tt := range tests {
		for _, call := range []string{"start", "finish", "cancel"} {
			t.Run(tt.name+"/"+call, func(t *testing.T) {
				t.Parallel()
				srv := handlerServer(t, func(w http.ResponseWriter, r *http.Request) {
					if r.Method != http.MethodPost || r.URL.Path != "/api/v2/tenantTokenRotation/"+call {
						t.Errorf("request %s %s", r.Method, r.URL.Path)
					}
					reply(w, 200, tt.body)
				})
				c, _ := testClient(t, srv.URL, testToken)
				got, err := map[string]func() (Tokens, error){
					"start": func() (Tokens, error) { return c.StartRotation(t.Context()) }, "finish": func() (Tokens, error) { return c.FinishRotation(t.Context()) },
					"cancel": func() (Tokens, error) { return c.CancelRotation(t.Context()) },
				}[call]()
				if tt.wantErr == "" && (err != nil || got != tt.want) {
					t.Fatalf("got %+v %v, want %+v", got, err, tt.want)
				}
				if tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
					t.Fatalf("err %v, want %q", err, tt.wantErr)
				}
				if tt.wantErr != "" && call == "start" && !errors.Is(err, ErrOutcomeUnknown) {
					t.Fatalf("a started rotation with an unreadable answer must be ErrOutcomeUnknown: %v", err)
				}
				assertNoSecret(t, err, testToken, "new12345", "old12345")
			})
		}
	}
}

func TestRequestHeaders(t *testing.T) {
	t.Parallel()
	srv := handlerServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("User-Agent") != "rotplay/test" || r.Header.Get("Accept") != "application/json" || r.URL.RawQuery != "" {
			t.Errorf("headers %v, query %q", r.Header, r.URL.RawQuery)
		}
		reply(w, 200, `{"tenantUUID":"abc","tenantToken":"tt123456","communicationEndpoints":["https://a/communication"],"formattedCommunicationEndpoints":"{https://a/communication}"}`)
	})
	c, err := New(Config{URL: srv.URL, Token: testToken, UserAgent: "rotplay/test"})
	if err != nil {
		t.Fatal(err)
	}
	ci, err := c.ConnectionInfo(t.Context())
	if err != nil || ci.FormattedCommunicationEndpoints != "{https://a/communication}" {
		t.Fatalf("%v %+v", err, ci)
	}
}
