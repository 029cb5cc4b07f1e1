// Package testkit holds the few assertions the transport and lab tests
// share. It is imported only by tests.
package testkit

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// Eventually polls cond every 10ms for up to 5s and reports whether it
// became true.
func Eventually(cond func() bool) bool {
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if cond() {
			return true
		}
	}
	return cond()
}

// WaitFor fails the test when cond does not become true within 5s.
func WaitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	if !Eventually(cond) {
		t.Fatalf("timed out waiting for %s", what)
	}
}

// WantErr checks that err wraps target (when target is not nil) and
// mentions every one of parts.
func WantErr(t testing.TB, what string, err, target error, parts ...string) {
	t.Helper()
	if err == nil {
		t.Errorf("%s: no error", what)
		return
	}
	if target != nil && !errors.Is(err, target) {
		t.Errorf("%s: error %q does not wrap %v", what, err, target)
	}
	for _, p := range parts {
		if !strings.Contains(err.Error(), p) {
			t.Errorf("%s: error %q does not mention %q", what, err, p)
		}
	}
}
