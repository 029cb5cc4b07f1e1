package service

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/rotplay/rotplay/internal/powershell"
	"github.com/rotplay/rotplay/lab/winemu"
	"github.com/rotplay/rotplay/modules"
	"github.com/rotplay/rotplay/transport"
	"github.com/rotplay/rotplay/transport/fake"
)

func windowsServiceHost(t *testing.T, svcs *winemu.Services) modules.Host {
	t.Helper()
	h := &fake.Host{Name: "agw", Facts: transport.Facts{OS: "windows"}}
	h.Run = func(_ context.Context, _ *fake.Host, cmd transport.Command, stdin []byte) (transport.Result, error) {
		script, err := powershell.Decode(cmd.Line)
		if err != nil || script != WindowsScript.Text {
			return transport.Result{ExitCode: 1, Stderr: []byte("unexpected command")}, nil
		}
		var out bytes.Buffer
		code := svcs.Service(bytes.TrimSpace(stdin), &out)
		return transport.Result{ExitCode: code, Stdout: out.Bytes()}, nil
	}
	conn, err := fake.NewNetwork(h).Dial(context.Background(), transport.Target{Name: "agw"})
	if err != nil {
		t.Fatal(err)
	}
	return modules.Host{Name: "agw", Conn: conn}
}

func TestWindowsServices(t *testing.T) {
	t.Parallel()
	svcs := &winemu.Services{Elevated: true}
	gw := &winemu.Service{Name: "Dynatrace Gateway", DisplayName: "Dynatrace Gateway", Running: true}
	svcs.Add(gw)
	svcs.Add(&winemu.Service{Name: "zremote", DisplayName: "Dynatrace zRemote", NeverStarts: true})
	h := windowsServiceHost(t, svcs)
	run := func(args string, check bool) modules.Result {
		t.Helper()
		act, err := decode(t, "service:\n"+args)
		if err != nil {
			t.Fatal(err)
		}
		var res modules.Result
		if check {
			res, err = act.Check(t.Context(), h)
		} else {
			res, err = act.Apply(t.Context(), h)
		}
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	if res := run("  name: Dynatrace Gateway\n  state: stopped\n", true); !res.Changed || !gw.Running {
		t.Fatalf("check stop: %+v (running %v)", res, gw.Running)
	}
	if res := run("  name: Dynatrace Gateway\n  state: stopped\n", false); !res.Changed || gw.Running || res.Values["state"] != "stopped" {
		t.Fatalf("stop: %+v", res)
	}
	if res := run("  name: Dynatrace Gateway\n  state: stopped\n", false); res.Changed {
		t.Fatalf("stop again should change nothing: %+v", res)
	}
	if res := run("  name: Dynatrace Gateway\n  state: started\n", false); !res.Changed || !gw.Running {
		t.Fatalf("start: %+v", res)
	}
	if res := run("  name: Dynatrace zRemote\n  state: started\n", false); !res.Failed || !strings.Contains(res.Msg, "not Running") {
		t.Fatalf("a service that never starts must fail: %+v", res)
	}
	if res := run("  name: nosuch\n  state: started\n", false); !res.Failed || !strings.Contains(res.Msg, "not found") {
		t.Fatalf("missing service: %+v", res)
	}
}

func TestWindowsScriptFitsCommandLine(t *testing.T) {
	t.Parallel()
	if b := powershell.Budget(WindowsScript.Text); b < 500 {
		t.Fatalf("service/1 leaves %d characters of cmd.exe's command line", b)
	}
}
