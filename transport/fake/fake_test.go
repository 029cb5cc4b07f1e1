package fake_test

import (
	"context"
	"errors"
	"fmt"
	"path"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/rotplay/rotplay/transport"
	"github.com/rotplay/rotplay/transport/fake"
	"github.com/rotplay/rotplay/transport/transporttest"
)

// TestConformance runs the shared suite on the fake's file and lifecycle
// behaviour. POSIXShell is false: the fake has no shell, its Run hands every
// command to the host's RunFunc, so a sh interpreter written here would
// only test itself and would have to track the exact command lines the
// suite sends. The fake's own part of Run (stdin, Dir, recording, closed
// and cancelled checks) is tested below instead.
func TestConformance(t *testing.T) {
	t.Parallel()
	host := &fake.Host{Name: "web1"}
	network := fake.NewNetwork(host)
	var dirs atomic.Int64
	transporttest.Run(t, transporttest.Harness{
		Dial: func(t *testing.T) transport.Conn {
			c, err := network.Dial(t.Context(), transport.Target{Name: "web1"})
			if err != nil {
				t.Fatal(err)
			}
			return c
		},
		TempDir: func(t *testing.T) string {
			// The fake has no directories; an entry marked IsDir stands
			// for one, so that Stat on it answers as a real host would.
			dir := fmt.Sprintf("/tmp/suite-%d", dirs.Add(1))
			host.SetFile(dir, nil, transport.FileInfo{Mode: 0o755, IsDir: true})
			return dir
		},
		ListDir: func(t *testing.T, dir string) []string {
			var names []string
			for _, p := range host.Paths() {
				if rest, ok := strings.CutPrefix(p, dir+"/"); ok && !strings.Contains(rest, "/") {
					names = append(names, rest)
				}
			}
			return names
		},
		CanChown: true,
	})
}

// TestRunHandsCommandToRunFunc covers the fake's side of Run, which the
// suite cannot reach without a shell.
func TestRunHandsCommandToRunFunc(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		cmd   transport.Command
		run   fake.RunFunc
		want  transport.Result
		stdin string
	}{
		{"nil RunFunc exits 0", transport.Command{Line: "true"}, nil, transport.Result{}, ""},
		{"stdin and dir reach RunFunc", transport.Command{Line: "cat", Dir: "/srv", Stdin: strings.NewReader("in")},
			func(ctx context.Context, h *fake.Host, cmd transport.Command, stdin []byte) (transport.Result, error) {
				return transport.Result{ExitCode: 3, Stdout: []byte(path.Join(cmd.Dir, string(stdin)))}, nil
			}, transport.Result{ExitCode: 3, Stdout: []byte("/srv/in")}, "in"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			host := &fake.Host{Name: "h", Run: tc.run}
			c, err := fake.NewNetwork(host).Dial(t.Context(), transport.Target{Name: "h"})
			if err != nil {
				t.Fatal(err)
			}
			got, err := c.Run(t.Context(), tc.cmd)
			if err != nil || got.ExitCode != tc.want.ExitCode || string(got.Stdout) != string(tc.want.Stdout) {
				t.Errorf("Run = %+v, %v; want %+v", got, err, tc.want)
			}
			calls := host.Calls()
			if len(calls) != 1 || calls[0].Op != "run" || calls[0].Arg != tc.cmd.Line || string(calls[0].Data) != tc.stdin {
				t.Errorf("recorded %+v, want one run of %q with stdin %q", calls, tc.cmd.Line, tc.stdin)
			}
		})
	}
}

// TestRunDoesNotCallRunFuncWhenClosed: the fake refuses before the
// RunFunc, so scripted hosts need not check for it.
func TestRunDoesNotCallRunFuncWhenClosed(t *testing.T) {
	t.Parallel()
	called := false
	host := &fake.Host{Name: "h", Run: func(context.Context, *fake.Host, transport.Command, []byte) (transport.Result, error) {
		called = true
		return transport.Result{}, nil
	}}
	c, err := fake.NewNetwork(host).Dial(t.Context(), transport.Target{Name: "h"})
	if err != nil {
		t.Fatal(err)
	}
	_ = c.Close()
	if _, err := c.Run(t.Context(), transport.Command{Line: "true"}); !errors.Is(err, transport.ErrClosed) || called {
		t.Errorf("Run after Close: %v, RunFunc called %v", err, called)
	}
}
