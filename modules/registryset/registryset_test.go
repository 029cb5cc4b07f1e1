package registryset

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/rotplay/rotplay/internal/powershell"
	"github.com/rotplay/rotplay/lab/winemu"
	"github.com/rotplay/rotplay/modules"
	"github.com/rotplay/rotplay/secret"
	"github.com/rotplay/rotplay/transport"
	"github.com/rotplay/rotplay/transport/fake"
)

const agKey = `Software\Dynatrace\Dynatrace ActiveGate\common`

// windowsHost is a fake Windows host whose powershell.exe runs the
// emulation of the module's script, after checking the script is exactly
// the shipped one.
func windowsHost(t *testing.T, reg *winemu.Registry) (modules.Host, *fake.Host) {
	t.Helper()
	h := &fake.Host{Name: "agw", Facts: transport.Facts{OS: "windows"}}
	h.Run = func(_ context.Context, _ *fake.Host, cmd transport.Command, stdin []byte) (transport.Result, error) {
		script, err := powershell.Decode(cmd.Line)
		if err != nil || script != Script.Text {
			return transport.Result{ExitCode: 1, Stderr: []byte("unexpected command")}, nil
		}
		var out bytes.Buffer
		code := reg.RegistrySet(bytes.TrimSpace(stdin), &out)
		return transport.Result{ExitCode: code, Stdout: out.Bytes()}, nil
	}
	conn, err := fake.NewNetwork(h).Dial(context.Background(), transport.Target{Name: "agw"})
	if err != nil {
		t.Fatal(err)
	}
	return modules.Host{Name: "agw", Conn: conn}, h
}

func task(t *testing.T, src string) modules.Action {
	t.Helper()
	var n yaml.Node
	if err := yaml.Unmarshal([]byte(src), &n); err != nil {
		t.Fatal(err)
	}
	a, err := New().Decode("play.yaml", n.Content[0])
	if err != nil {
		t.Fatal(err)
	}
	return a
}

const setToken = `{path: 'HKLM\Software\Dynatrace\Dynatrace ActiveGate\common', name: tenant_token, data: NEWTOKEN1234}`

func TestSetKeepsKindAndIsIdempotent(t *testing.T) {
	t.Parallel()
	reg := &winemu.Registry{}
	reg.Set(agKey, "tenant_token", winemu.RegValue{Kind: "ExpandString", Data: "OLDTOKEN1234"})
	host, fh := windowsHost(t, reg)

	res, err := task(t, setToken).Check(context.Background(), host)
	if err != nil || !res.Changed {
		t.Fatalf("check: %+v %v", res, err)
	}
	if v, _ := reg.Get(agKey, "tenant_token"); v.Data != "OLDTOKEN1234" {
		t.Fatal("check changed the registry")
	}
	res, err = task(t, setToken).Apply(context.Background(), host)
	if err != nil || !res.Changed || res.Msg != `set HKLM\Software\Dynatrace\Dynatrace ActiveGate\common\tenant_token (REG_EXPAND_SZ)` {
		t.Fatalf("apply: %+v %v", res, err)
	}
	if v, _ := reg.Get(agKey, "TENANT_TOKEN"); v != (winemu.RegValue{Kind: "ExpandString", Data: "NEWTOKEN1234"}) {
		t.Fatalf("registry holds %+v; the kind must be kept", v)
	}
	// The token is a secret: reported, masked in the diff, never in a command line.
	if len(res.Secrets) != 2 || len(res.Diffs) != 1 || strings.Contains(res.Diffs[0].Before+res.Diffs[0].After, "TOKEN1234") ||
		!strings.Contains(res.Diffs[0].After, secret.Mask("NEWTOKEN1234")) {
		t.Fatalf("secrets %v diff %+v", res.Secrets, res.Diffs)
	}
	for _, c := range fh.Calls() {
		if strings.Contains(c.Arg, "TOKEN1234") {
			t.Fatal("a token travelled in a command line")
		}
	}
	res, err = task(t, setToken).Apply(context.Background(), host)
	if err != nil || res.Changed || !strings.HasPrefix(res.Msg, "already set") {
		t.Fatalf("second apply: %+v %v", res, err)
	}
}

func TestCreatesAndTypes(t *testing.T) {
	t.Parallel()
	reg := &winemu.Registry{}
	host, _ := windowsHost(t, reg)
	res, err := task(t, `{path: 'HKLM:\Software\X', name: Level, data: 5, type: REG_DWORD}`).Apply(context.Background(), host)
	if err != nil || !res.Changed || len(res.Secrets) != 0 {
		t.Fatalf("%+v %v", res, err)
	}
	if v, _ := reg.Get(`Software\X`, "level"); v != (winemu.RegValue{Kind: "DWord", Data: "5"}) {
		t.Fatalf("got %+v", v)
	}
	if _, err := task(t, `{path: 'HKLM\Software\X', name: Level, data: five, type: REG_DWORD}`).Apply(context.Background(), host); err == nil ||
		!strings.Contains(err.Error(), "registry-set/1 failed") {
		t.Fatalf("bad DWORD: %v", err)
	}
}

func TestNotWindows(t *testing.T) {
	t.Parallel()
	h := &fake.Host{Name: "lin"}
	conn, _ := fake.NewNetwork(h).Dial(context.Background(), transport.Target{Name: "lin"})
	_, err := task(t, setToken).Apply(context.Background(), modules.Host{Name: "lin", Conn: conn})
	if err == nil || !strings.Contains(err.Error(), "only on Windows") {
		t.Fatalf("got %v", err)
	}
}

func TestDecodeErrors(t *testing.T) {
	t.Parallel()
	for src, want := range map[string]string{
		`{path: 'HKCU\Software\X', name: a, data: b}`:                `path "HKCU\\Software\\X" is not under HKLM`,
		`{path: 'HKLM\Software\X', name: a, data: b, type: REG_BIN}`: `type "REG_BIN" is not supported`,
		`{path: 'HKLM\Software\X', name: a}`:                         `missing required argument "data"`,
	} {
		var n yaml.Node
		_ = yaml.Unmarshal([]byte(src), &n)
		if _, err := New().Decode("p.yaml", n.Content[0]); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v, want %q", src, err, want)
		}
	}
}

func TestScriptFitsCommandLine(t *testing.T) {
	t.Parallel()
	if b := powershell.Budget(Script.Text); b < 500 {
		t.Fatalf("registry-set leaves %d characters of cmd.exe's command line", b)
	}
}
