package testkit

import (
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
)

func TestEventually(t *testing.T) {
	var n atomic.Int32
	if !Eventually(func() bool { return n.Add(1) >= 3 }) {
		t.Fatal("a condition that turns true after 3 polls was not seen")
	}
	if n.Load() != 3 {
		t.Errorf("polled %d times after the condition held, want 3", n.Load())
	}
}

// recorder catches what WantErr reports instead of failing this test.
type recorder struct {
	testing.TB
	errs []string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

func TestWantErr(t *testing.T) {
	base := errors.New("base")
	cases := []struct {
		name    string
		err     error
		target  error
		parts   []string
		reports int
	}{
		{"match", fmt.Errorf("host web1: %w", base), base, []string{"web1"}, 0},
		{"nil error", nil, base, nil, 1},
		{"wrong target", errors.New("host web1"), base, []string{"web1"}, 1},
		{"missing part", fmt.Errorf("x: %w", base), base, []string{"web1", "web2"}, 2},
	}
	for _, c := range cases {
		r := &recorder{TB: t}
		WantErr(r, c.name, c.err, c.target, c.parts...)
		if len(r.errs) != c.reports {
			t.Errorf("%s: %d reports %q, want %d", c.name, len(r.errs), r.errs, c.reports)
		}
	}
}
