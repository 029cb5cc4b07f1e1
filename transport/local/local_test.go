//go:build unix

package local

import (
	"os"
	"reflect"
	"runtime"
	"slices"
	"testing"

	"github.com/rotplay/rotplay/transport"
	"github.com/rotplay/rotplay/transport/transporttest"
)

// TestConformance runs the shared suite. ListDir is left nil on purpose so
// that the suite's own `ls -A` listing, which remote transports rely on,
// is exercised too. As root, the suite also checks that files created for
// uid 1234 keep that owner when rewritten.
func TestConformance(t *testing.T) {
	t.Parallel()
	transporttest.Run(t, transporttest.Harness{
		Dial:       func(t *testing.T) transport.Conn { return dial(t, transport.Target{Name: "localhost"}) },
		TempDir:    func(t *testing.T) string { return t.TempDir() },
		CanChown:   os.Geteuid() == 0,
		POSIXShell: true,
	})
}

// dial opens a local conn closed when t ends.
func dial(t *testing.T, target transport.Target) *conn {
	t.Helper()
	c, err := NewDialer().Dial(t.Context(), target)
	if err != nil {
		t.Fatalf("Dial: %v", err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c.(*conn)
}

func TestDialFacts(t *testing.T) {
	t.Parallel()
	host, err := os.Hostname()
	if err != nil {
		t.Fatal(err)
	}
	want := transport.Facts{OS: runtime.GOOS, Arch: runtime.GOARCH, Hostname: host, User: currentUser()}
	if got := dial(t, transport.Target{}).Facts(); !reflect.DeepEqual(got, want) {
		t.Errorf("Facts() = %+v, want %+v", got, want)
	}
}

// TestBecome checks when commands are wrapped in sudo and which user Facts
// report: sudo only when the become user differs from the controller's.
func TestBecome(t *testing.T) {
	t.Parallel()
	self := currentUser()
	var toRoot []string
	if self != "root" {
		toRoot = []string{"sudo", "-n", "--"}
	}
	tests := []struct {
		name     string
		target   transport.Target
		wantSudo []string
		wantUser string
	}{
		{"no become", transport.Target{BecomeUser: "ignored"}, nil, self},
		{"become root", transport.Target{Become: true}, toRoot, "root"},
		{"become self", transport.Target{Become: true, BecomeUser: self}, nil, self},
		{"become other", transport.Target{Become: true, BecomeUser: "rotplay-svc"},
			[]string{"sudo", "-n", "-u", "rotplay-svc", "--"}, "rotplay-svc"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := dial(t, tc.target)
			if !slices.Equal(c.sudo, tc.wantSudo) || c.Facts().User != tc.wantUser {
				t.Errorf("sudo %q, user %q; want %q, %q", c.sudo, c.Facts().User, tc.wantSudo, tc.wantUser)
			}
		})
	}
}
