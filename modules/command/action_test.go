package command

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"

	"github.com/rotplay/rotplay/modules"
	"github.com/rotplay/rotplay/transport"
	"github.com/rotplay/rotplay/transport/fake"
)

// newHost returns a fake host holding files (empty) whose commands run
// answers, and the modules.Host to pass to an Action.
func newHost(t *testing.T, os string, run fake.RunFunc, files ...string) (*fake.Host, modules.Host) {
	t.Helper()
	h := &fake.Host{Name: "ag1", Facts: transport.Facts{OS: os}, Run: run}
	for _, f := range files {
		h.SetFile(f, nil, transport.FileInfo{Mode: 0o644})
	}
	c, err := fake.NewNetwork(h).Dial(t.Context(), transport.Target{Name: h.Name})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return h, modules.Host{Name: h.Name, Conn: c}
}

// ends returns a RunFunc for commands that all end with out and err.
func ends(out transport.Result, err error) fake.RunFunc {
	return func(context.Context, *fake.Host, transport.Command, []byte) (transport.Result, error) {
		return out, err
	}
}

// runs returns the command lines run on h.
func runs(h *fake.Host) []string {
	var lines []string
	for _, c := range h.Calls() {
		if c.Op == "run" {
			lines = append(lines, c.Arg)
		}
	}
	return lines
}

// summary is a Result without Values, which TestValues covers.
func summary(r modules.Result) modules.Result {
	r.Values = nil
	return r
}

func TestApplyAndCheck(t *testing.T) {
	t.Parallel()
	ran := modules.Result{Changed: true, Msg: "ok"}
	notInCheck := modules.Result{Skipped: true, Msg: "not run in check mode: a command's effect cannot be predicted"}
	tests := []struct {
		name      string
		src       string
		files     []string
		exit      int
		wantApply modules.Result
		wantRun   bool
		wantCheck modules.Result
	}{
		{"runs", "command: install.sh", nil, 0, ran, true, notInCheck},
		{"non-zero exit fails", "command: install.sh", nil, 3,
			modules.Result{Changed: true, Failed: true, Msg: "exit code 3: ok"}, true, notInCheck},
		{"creates present", "command:\n  cmd: install.sh\n  creates: /opt/x\n", []string{"/opt/x"}, 0,
			modules.Result{Skipped: true, Msg: "/opt/x exists"}, false, modules.Result{Skipped: true, Msg: "/opt/x exists"}},
		{"creates absent", "command:\n  cmd: install.sh\n  creates: /opt/x\n", nil, 0,
			ran, true, modules.Result{Changed: true, Msg: "would run (creates /opt/x is absent)"}},
		{"removes absent", "command:\n  cmd: rm /tmp/old\n  removes: /tmp/old\n", nil, 0,
			modules.Result{Skipped: true, Msg: "/tmp/old does not exist"}, false, modules.Result{Skipped: true, Msg: "/tmp/old does not exist"}},
		{"removes present", "command:\n  cmd: rm /tmp/old\n  removes: /tmp/old\n", []string{"/tmp/old"}, 0,
			ran, true, modules.Result{Changed: true, Msg: "would run (removes /tmp/old is present)"}},
		{"creates absent, removes present", "command:\n  cmd: mv /a /b\n  creates: /b\n  removes: /a\n", []string{"/a"}, 0,
			ran, true, modules.Result{Changed: true, Msg: "would run (creates /b is absent)"}},
		{"creates absent, removes absent", "command:\n  cmd: mv /a /b\n  creates: /b\n  removes: /a\n", nil, 0,
			modules.Result{Skipped: true, Msg: "/a does not exist"}, false, modules.Result{Skipped: true, Msg: "/a does not exist"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			act, err := decode(t, tc.src)
			if err != nil {
				t.Fatal(err)
			}
			out := transport.Result{ExitCode: tc.exit, Stdout: []byte("ok\n")}
			host, h := newHost(t, "linux", ends(out, nil), tc.files...)
			check, err := act.Check(t.Context(), h)
			if err != nil || !reflect.DeepEqual(check, tc.wantCheck) || len(runs(host)) != 0 {
				t.Errorf("Check = %+v, %v, ran %q; want %+v and nothing run", check, err, runs(host), tc.wantCheck)
			}
			apply, err := act.Apply(t.Context(), h)
			if err != nil || !reflect.DeepEqual(summary(apply), tc.wantApply) || (len(runs(host)) == 1) != tc.wantRun {
				t.Errorf("Apply = %+v, %v, ran %q; want %+v, run %v", summary(apply), err, runs(host), tc.wantApply, tc.wantRun)
			}
		})
	}
}

// TestValues: what register sees, with trailing line breaks removed.
func TestValues(t *testing.T) {
	t.Parallel()
	act, err := decode(t, "command:\n  argv: [systemctl, is-active, dt agent]\n")
	if err != nil {
		t.Fatal(err)
	}
	out := transport.Result{ExitCode: 2, Stdout: []byte("active\r\nline2\n\n"), Stderr: []byte("\n  warn: x  \nmore\n")}
	_, h := newHost(t, "linux", ends(out, nil))
	got, err := act.Apply(t.Context(), h)
	if err != nil {
		t.Fatal(err)
	}
	want := modules.Result{Changed: true, Failed: true, Msg: "exit code 2: warn: x", Values: map[string]any{
		"cmd":          "systemctl is-active 'dt agent'",
		"rc":           2,
		"stdout":       "active\r\nline2",
		"stderr":       "\n  warn: x  \nmore",
		"stdout_lines": []any{"active", "line2"},
		"stderr_lines": []any{"", "  warn: x  ", "more"},
	}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Apply =\n%#v\nwant\n%#v", got, want)
	}
}

func TestMsg(t *testing.T) {
	t.Parallel()
	tests := []struct{ stdout, stderr, want string }{
		{"out\nmore\n", "", "out"},
		{"out\n", "err: bad\n", "err: bad"},
		{"\n\n  out  \n", "  \n", "out"},
		{"", "", ""},
	}
	for _, tc := range tests {
		res := result("x", transport.Result{Stdout: []byte(tc.stdout), Stderr: []byte(tc.stderr)})
		if res.Msg != tc.want {
			t.Errorf("stdout %q, stderr %q: Msg = %q, want %q", tc.stdout, tc.stderr, res.Msg, tc.want)
		}
		if lines := res.Values["stdout_lines"].([]any); tc.stdout == "" && len(lines) != 0 {
			t.Errorf("empty stdout gave stdout_lines %q, want none", lines)
		}
	}
}

// TestCommandDelivered: the line, directory and stdin reach the host.
func TestCommandDelivered(t *testing.T) {
	t.Parallel()
	act, err := decode(t, "command:\n  argv: [tee, /etc/dt/token]\n  chdir: /etc/dt\n  stdin: \"dt0c01.SECRET\\n\"\n")
	if err != nil {
		t.Fatal(err)
	}
	var gotDir string
	host, h := newHost(t, "linux", func(_ context.Context, _ *fake.Host, cmd transport.Command, _ []byte) (transport.Result, error) {
		gotDir = cmd.Dir
		return transport.Result{}, nil
	})
	if _, err := act.Apply(t.Context(), h); err != nil {
		t.Fatal(err)
	}
	calls := host.Calls()
	if len(calls) != 1 || calls[0].Arg != "tee /etc/dt/token" || string(calls[0].Data) != "dt0c01.SECRET\n" || gotDir != "/etc/dt" {
		t.Errorf("host saw %+v in dir %q", calls, gotDir)
	}
}

func TestApplyErrors(t *testing.T) {
	t.Parallel()
	lost := fmt.Errorf("connection reset: %w", transport.ErrUnreachable)
	tests := []struct {
		name    string
		src     string
		os      string
		runErr  error
		closed  bool
		wantErr error
	}{
		{"transport error is an error", "command: ls", "linux", lost, false, transport.ErrUnreachable},
		{"creates undecidable", "command:\n  cmd: ls\n  creates: /x\n", "linux", nil, true, transport.ErrClosed},
		{"argv on windows", "command:\n  argv: [dir]\n", "windows", nil, false, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			act, err := decode(t, tc.src)
			if err != nil {
				t.Fatal(err)
			}
			host, h := newHost(t, tc.os, ends(transport.Result{}, tc.runErr))
			if tc.closed {
				_ = h.Conn.Close()
			}
			res, err := act.Apply(t.Context(), h)
			if err == nil || (tc.wantErr != nil && !errors.Is(err, tc.wantErr)) || !reflect.DeepEqual(res, modules.Result{}) {
				t.Errorf("Apply = %+v, %v; want an error wrapping %v", res, err, tc.wantErr)
			}
			if tc.runErr == nil && len(runs(host)) != 0 {
				t.Errorf("ran %q, want nothing run", runs(host))
			}
		})
	}
}

// A failing command that prints nothing still says how it failed.
func TestFailureMessageWithoutOutput(t *testing.T) {
	t.Parallel()
	res := result("false", transport.Result{ExitCode: 1})
	if res.Msg != "exit code 1" || !res.Failed {
		t.Fatalf("got %+v", res)
	}
}
