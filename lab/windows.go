package lab

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"encoding/json"

	"github.com/rotplay/rotplay/internal/winrmfake"
	"github.com/rotplay/rotplay/lab/winemu"
	"github.com/rotplay/rotplay/lab/winhost"
	"github.com/rotplay/rotplay/modules/oneagentctl"
	"github.com/rotplay/rotplay/modules/registryset"
	"github.com/rotplay/rotplay/modules/service"
)

// Windows paths of the Dynatrace files, as the host sees them.
const (
	winAuthProps   = `C:\ProgramData\dynatrace\gateway\config\authorization.properties`
	winRuxitAgent  = `C:\Program Files\dynatrace\remotepluginmodule\agent\conf\ruxitagent.conf`
	winExtensions  = `C:\Program Files\dynatrace\remotepluginmodule\agent\conf\extensions.conf`
	winOneAgentCtl = `C:\Program Files\dynatrace\oneagent\agent\tools\oneagentctl.exe`
	winAGKey       = `Software\Dynatrace\Dynatrace ActiveGate\common`
	winUser        = "Administrator"
)

// winHost is a simulated Windows host of the lab behind a WinRM server.
type winHost struct {
	host   *host
	server *winrmfake.Server
	https  bool
	reg    *winemu.Registry
}

// startWindowsHost lays out a Windows ActiveGate or OneAgent and serves
// it over WinRM: the first Windows host of the lab over HTTPS with NTLM,
// the others over HTTP with Basic, so the demo covers both.
func (l *Lab) startWindowsHost(h *host, https bool, password string) error {
	root := l.HostRoot(h.name)
	if err := os.MkdirAll(root, 0o755); err != nil {
		return err
	}
	wh := winhost.New(h.name, root)
	w := &winHost{host: h, https: https, reg: &winemu.Registry{}}
	l.Sim.SetOSType(h.name, "WINDOWS")
	token, _ := l.Sim.Tokens()
	var err error
	if h.kind == "activegate" {
		err = l.layOutWindowsActiveGate(w, wh, token)
	} else {
		err = l.layOutWindowsOneAgent(w, wh, token)
	}
	if err != nil {
		return err
	}
	exec := wh.Exec
	if log := l.commandLog; log != nil {
		exec = func(ctx context.Context, req winrmfake.Request) int {
			log(h.name, req.CommandLine)
			return wh.Exec(ctx, req)
		}
	}
	cfg := winrmfake.Config{Users: map[string]string{winUser: password}, Handler: exec, TLS: https}
	cfg.NTLM, cfg.Basic = https, !https
	if w.server, err = winrmfake.Listen("127.0.0.1:0", cfg); err != nil {
		return err
	}
	h.win = w
	return nil
}

func crlf(lines ...string) []byte { return []byte(strings.Join(lines, "\r\n") + "\r\n") }

func (l *Lab) layOutWindowsActiveGate(w *winHost, wh *winhost.Host, token string) error {
	tenant := l.Sim.TenantUUID()
	files := map[string][]byte{
		winAuthProps: crlf("[otherenv01]", "tenantToken = otherEnvironmentToken0001", "["+tenant+"]",
			"tenantToken = "+token, "authToken = dt0g02.LAB.wintoken", "mainTenant = true"),
		winRuxitAgent: crlf("Tenant "+tenant, "TenantToken "+token),
		winExtensions: crlf("Tenant="+tenant, "TenantToken="+token),
	}
	for p, data := range files {
		if err := wh.WriteFile(p, data); err != nil {
			return err
		}
	}
	w.reg.Set(winAGKey, "tenant_token", winemu.RegValue{Kind: "String", Data: token})
	name := w.host.name
	svcs := &winemu.Services{Elevated: true}
	svcs.Add(&winemu.Service{Name: "Dynatrace Gateway", DisplayName: "Dynatrace Gateway", Running: true,
		OnStart: func() { l.windowsGatewayStarted(wh, name, tenant) },
		OnStop: func() {
			for _, c := range []string{"activegate", "remoteplugin", "extensions"} {
				l.Sim.Stop(name, c)
			}
		}})
	for _, c := range []string{"activegate", "remoteplugin", "extensions"} {
		l.Sim.Register(name, c)
	}
	handle(wh, w.reg, svcs, nil)
	return nil
}

// windowsGatewayStarted reports the tokens the gateway connects with,
// read from its files as the real one reads them at start.
func (l *Lab) windowsGatewayStarted(wh *winhost.Host, name, tenant string) {
	read := func(p string) string { b, _ := wh.ReadFile(p); return string(b) }
	l.Sim.Connect(name, "activegate", iniValue(read(winAuthProps), tenant, "tenantToken", " = "))
	l.Sim.Connect(name, "remoteplugin", iniValue(read(winRuxitAgent), "", "TenantToken", " "))
	l.Sim.Connect(name, "extensions", iniValue(read(winExtensions), "", "TenantToken", "="))
}

// iniValue finds key's value (separated by sep) in section ("" for the
// whole file), ignoring the key's case and a trailing comment.
func iniValue(text, section, key, sep string) string {
	in := section == ""
	for _, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "[") {
			in = section == "" || line == "["+section+"]"
			continue
		}
		k, v, ok := strings.Cut(line, sep)
		if in && ok && strings.EqualFold(strings.TrimSpace(k), key) {
			v, _, _ = strings.Cut(v, " #")
			return strings.TrimSpace(v)
		}
	}
	return ""
}

func (l *Lab) layOutWindowsOneAgent(w *winHost, wh *winhost.Host, token string) error {
	if err := wh.WriteFile(winOneAgentCtl, []byte("MZ (rotplay lab: simulated oneagentctl.exe)")); err != nil {
		return err
	}
	name := w.host.name
	agent := &winemu.OneAgent{Path: winOneAgentCtl, Tenant: l.Sim.TenantUUID(), Token: token, Running: token,
		Elevated: true, OnRestart: func(tok string) { l.Sim.Stop(name, "oneagent"); l.Sim.Connect(name, "oneagent", tok) }}
	l.Sim.Register(name, "oneagent")
	handle(wh, w.reg, &winemu.Services{Elevated: true}, agent)
	return nil
}

// handle registers the emulations of the modules' Windows scripts.
func handle(wh *winhost.Host, reg *winemu.Registry, svcs *winemu.Services, agent *winemu.OneAgent) {
	wh.Handle(registryset.Script, func(_ context.Context, _ *winhost.Host, in json.RawMessage, out, _ io.Writer) int {
		return reg.RegistrySet(in, out)
	})
	wh.Handle(service.WindowsScript, func(_ context.Context, _ *winhost.Host, in json.RawMessage, out, _ io.Writer) int {
		return svcs.Service(in, out)
	})
	if agent != nil {
		wh.Handle(oneagentctl.WindowsScript, func(ctx context.Context, h *winhost.Host, in json.RawMessage, out, errw io.Writer) int {
			expand := func(s string) string { return h.Expand(winhost.SessionOf(ctx), s) }
			return agent.OneAgentCtl(in, expand, out, errw)
		})
	}
}

// writeWinRMCA writes the CA of the HTTPS WinRM hosts for the inventory.
func (l *Lab) writeWinRMCA() (string, error) {
	for _, h := range l.hosts {
		if h.win != nil && h.win.https {
			p := filepath.Join(l.Dir, "winrm-ca.pem")
			return p, os.WriteFile(p, h.win.server.CACertPEM(), 0o644)
		}
	}
	return "", nil
}

// RegistryToken is a Windows ActiveGate's tenant_token registry value,
// for tests.
func (l *Lab) RegistryToken(name string) (string, error) {
	for _, h := range l.hosts {
		if h.name == name && h.win != nil {
			v, _ := h.win.reg.Get(winAGKey, "tenant_token")
			return v.Data, nil
		}
	}
	return "", fmt.Errorf("no Windows host %s", name)
}
