package dynatrace

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rotplay/rotplay/lab/dtsim"
)

// testToken is the API token hand-written handlers expect.
const testToken = "dt0c01.TESTTOKEN.secretpart0123456789"

// sleeper records the waits a client asks for instead of sleeping.
type sleeper struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (s *sleeper) Sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.waits = append(s.waits, d)
	return ctx.Err()
}

func (s *sleeper) got() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration{}, s.waits...)
}

// testClient returns a client for url with the given token, an injected
// sleeper and deterministic jitter (the full ceiling).
func testClient(t *testing.T, url, token string) (*Client, *sleeper) {
	t.Helper()
	sl := &sleeper{}
	c, err := New(Config{
		URL: url, Token: token, Timeout: 2 * time.Second,
		Retry: RetryPolicy{Sleep: sl.Sleep, Jitter: func(d time.Duration) time.Duration { return d }},
	})
	if err != nil {
		t.Fatal(err)
	}
	return c, sl
}

// handlerServer serves h on loopback, failing the test when a request lacks
// the API token header.
func handlerServer(t *testing.T, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if got := r.Header.Get("Authorization"); got != "Api-Token "+testToken {
			t.Errorf("Authorization header %q", got)
		}
		h(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// simServer serves a fresh simulator on loopback.
func simServer(t *testing.T, opts dtsim.Options) (*dtsim.Simulator, *httptest.Server) {
	t.Helper()
	sim := dtsim.New(opts)
	srv := httptest.NewServer(sim.Handler())
	t.Cleanup(srv.Close)
	return sim, srv
}

// reply writes a JSON body with a status.
func reply(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}

// assertNoSecret fails when err's text holds any of the secrets.
func assertNoSecret(t *testing.T, err error, secrets ...string) {
	t.Helper()
	if err == nil {
		return
	}
	for _, s := range secrets {
		if s != "" && strings.Contains(err.Error(), s) {
			t.Fatalf("error leaks a secret: %v", err)
		}
	}
}
