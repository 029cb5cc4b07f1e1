package pwsh

import (
	"context"
	"strings"
	"testing"

	"github.com/rotplay/rotplay/internal/powershell"
	"github.com/rotplay/rotplay/modules"
	"github.com/rotplay/rotplay/transport"
	"github.com/rotplay/rotplay/transport/fake"
)

var testScript = powershell.MustScript("# rotplay-script: test/1\n$in = [Console]::In.ReadLine()\n")

func host(t *testing.T, res transport.Result, gotStdin *[]byte) transport.Conn {
	t.Helper()
	h := &fake.Host{Name: "w", Facts: transport.Facts{OS: "windows"}}
	h.Run = func(_ context.Context, _ *fake.Host, cmd transport.Command, stdin []byte) (transport.Result, error) {
		if s, err := powershell.Decode(cmd.Line); err != nil || s != testScript.Text {
			t.Errorf("unexpected command line %q", cmd.Line)
		}
		*gotStdin = stdin
		return res, nil
	}
	conn, _ := fake.NewNetwork(h).Dial(context.Background(), transport.Target{Name: "w"})
	return conn
}

func TestRun(t *testing.T) {
	t.Parallel()
	var stdin []byte
	conn := host(t, transport.Result{Stdout: []byte("noise\n{\"n\":3}\n")}, &stdin)
	var out struct{ N int }
	if err := Run(context.Background(), conn, testScript, map[string]string{"token": "SECRETVALUE"}, &out); err != nil || out.N != 3 {
		t.Fatalf("%v %+v", err, out)
	}
	if string(stdin) != "{\"token\":\"SECRETVALUE\"}\n" {
		t.Fatalf("stdin %q", stdin)
	}
	for _, tc := range []struct {
		res  transport.Result
		want string
	}{
		{transport.Result{ExitCode: 1, Stdout: []byte(`{"error":"service x not found"}`)}, "test/1 failed (exit 1): service x not found"},
		{transport.Result{ExitCode: 2, Stderr: []byte("boom\nmore")}, "test/1 failed (exit 2): boom"},
		{transport.Result{}, "no result line"},
	} {
		err := Run(context.Background(), host(t, tc.res, &stdin), testScript, map[string]string{"token": "SECRETVALUE"}, &out)
		if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "SECRETVALUE") {
			t.Errorf("got %v, want %q", err, tc.want)
		}
	}
}

func TestIsWindows(t *testing.T) {
	t.Parallel()
	var stdin []byte
	conn := host(t, transport.Result{}, &stdin)
	if !IsWindows(modules.Host{Conn: conn}) {
		t.Fatal("facts say windows")
	}
	if IsWindows(modules.Host{Conn: conn, Vars: map[string]any{"host": map[string]any{"os": "linux"}}}) {
		t.Fatal("the inventory's os wins")
	}
}
