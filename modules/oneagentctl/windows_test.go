package oneagentctl

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/rotplay/rotplay/internal/powershell"
	"github.com/rotplay/rotplay/lab/winemu"
	"github.com/rotplay/rotplay/modules"
	"github.com/rotplay/rotplay/transport"
	"github.com/rotplay/rotplay/transport/fake"
)

const winExe = `C:\Program Files\dynatrace\oneagent\agent\tools\oneagentctl.exe`

func expandWin(s string) string { return strings.ReplaceAll(s, "%PROGRAMFILES%", `C:\Program Files`) }

// windowsAgentHost is a fake Windows host whose powershell.exe runs the
// emulation of WindowsScript, after checking it is exactly the shipped one.
func windowsAgentHost(t *testing.T, agent *winemu.OneAgent) (modules.Host, *fake.Host) {
	t.Helper()
	h := &fake.Host{Name: "oaw", Facts: transport.Facts{OS: "windows", User: "Administrator"}}
	h.Run = func(_ context.Context, _ *fake.Host, cmd transport.Command, stdin []byte) (transport.Result, error) {
		script, err := powershell.Decode(cmd.Line)
		if err != nil || script != WindowsScript.Text {
			return transport.Result{ExitCode: 1, Stderr: []byte("unexpected command")}, nil
		}
		var out, errb bytes.Buffer
		code := agent.OneAgentCtl(bytes.TrimSpace(stdin), expandWin, &out, &errb)
		return transport.Result{ExitCode: code, Stdout: out.Bytes(), Stderr: errb.Bytes()}, nil
	}
	conn, err := fake.NewNetwork(h).Dial(context.Background(), transport.Target{Name: "oaw"})
	if err != nil {
		t.Fatal(err)
	}
	return modules.Host{Name: "oaw", Conn: conn, Vars: map[string]any{}}, h
}

func windowsTask(t *testing.T, src string) modules.Action {
	t.Helper()
	var n yaml.Node
	if err := yaml.Unmarshal([]byte(src), &n); err != nil {
		t.Fatal(err)
	}
	a, err := New().Decode("p.yaml", n.Content[0])
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestWindowsSetRestartReadBack(t *testing.T) {
	t.Parallel()
	agent := &winemu.OneAgent{Path: winExe, Token: "OLDWINTOKEN1", Running: "OLDWINTOKEN1", Elevated: true}
	host, fh := windowsAgentHost(t, agent)
	act := windowsTask(t, "{tenant_token: NEWWINTOKEN2}")

	res, err := act.Check(context.Background(), host)
	if err != nil || !res.Changed {
		t.Fatalf("check: %+v %v", res, err)
	}
	if tok, _ := agent.Config(); tok != "OLDWINTOKEN1" {
		t.Fatal("check set the token")
	}
	res, err = act.Apply(context.Background(), host)
	if err != nil || !res.Changed || res.Failed {
		t.Fatalf("apply: %+v %v", res, err)
	}
	if tok, running := agent.Config(); tok != "NEWWINTOKEN2" || running != "NEWWINTOKEN2" {
		t.Fatalf("agent has %s, runs with %s", tok, running)
	}
	for _, c := range fh.Calls() {
		if strings.Contains(c.Arg, "WINTOKEN") {
			t.Fatal("a token travelled in the powershell.exe command line")
		}
	}
	if res, err := act.Apply(context.Background(), host); err != nil || res.Changed {
		t.Fatalf("second apply: %+v %v", res, err)
	}
}

func TestWindowsNotElevated(t *testing.T) {
	t.Parallel()
	agent := &winemu.OneAgent{Path: winExe, Token: "OLDWINTOKEN1"}
	host, _ := windowsAgentHost(t, agent)
	res, err := windowsTask(t, "{tenant_token: NEWWINTOKEN2}").Apply(context.Background(), host)
	if err != nil || !res.Failed || !strings.Contains(res.Msg, "elevated administrator session") {
		t.Fatalf("got %+v %v", res, err)
	}
}

func TestWindowsScriptFitsCommandLine(t *testing.T) {
	t.Parallel()
	if b := powershell.Budget(WindowsScript.Text); b < 500 {
		t.Fatalf("oneagentctl/1 leaves %d characters of cmd.exe's command line", b)
	}
}
