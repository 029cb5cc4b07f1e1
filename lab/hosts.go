package lab

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/crypto/ssh"

	"github.com/rotplay/rotplay/lab/fakedt"
	"github.com/rotplay/rotplay/lab/sshserver"
)

// clientKey is the lab's SSH login key, written to the lab directory.
type clientKey struct {
	signer ssh.Signer
	pem    []byte
}

func newClientKey() (*clientKey, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	block, err := ssh.MarshalPrivateKey(priv, "rotplay lab")
	if err != nil {
		return nil, err
	}
	signer, err := ssh.NewSignerFromKey(priv)
	return &clientKey{signer: signer, pem: pem.EncodeToMemory(block)}, err
}

// startHosts lays out every host's files and starts its SSH server.
func (l *Lab) startHosts(ctx context.Context, opts Options) error {
	key, err := newClientKey()
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(l.Dir, "id_ed25519"), key.pem, 0o600); err != nil {
		return err
	}
	l.clientKey = key
	plan := make([]*host, 0, opts.ActiveGates+opts.OneAgents)
	for i := 1; i <= opts.ActiveGates; i++ {
		plan = append(plan, &host{name: fmt.Sprintf("ag-%d", i), kind: "activegate", user: "root"})
	}
	for i := 1; i <= opts.OneAgents; i++ {
		// Every other OneAgent logs in as a normal user with sudo, as
		// many fleets do.
		user := "root"
		if i%2 == 0 {
			user = "ops"
		}
		plan = append(plan, &host{name: fmt.Sprintf("oa-%d", i), kind: "oneagent", user: user})
	}
	for i, h := range plan {
		if err := ctx.Err(); err != nil {
			return err
		}
		h.become = h.user != "root"
		if login, ok := opts.Logins[h.name]; ok {
			h.user, h.become = loginUser(login, h.user), login.Become
		}
		if err := l.startHost(h, i); err != nil {
			return fmt.Errorf("start lab host %s: %w", h.name, err)
		}
		l.hosts = append(l.hosts, h)
	}
	return l.startWindowsHosts(ctx, opts)
}

// startWindowsHosts starts the Windows ActiveGates and OneAgents.
func (l *Lab) startWindowsHosts(ctx context.Context, opts Options) error {
	var plan []*host
	for i := 1; i <= opts.WindowsActiveGates; i++ {
		plan = append(plan, &host{name: fmt.Sprintf("agw-%d", i), kind: "activegate", user: winUser})
	}
	for i := 1; i <= opts.WindowsOneAgents; i++ {
		plan = append(plan, &host{name: fmt.Sprintf("oaw-%d", i), kind: "oneagent", user: winUser})
	}
	if len(plan) > 0 {
		pw := make([]byte, 12)
		if _, err := rand.Read(pw); err != nil {
			return err
		}
		l.winPassword = fmt.Sprintf("Lab-%x", pw)
	}
	for i, h := range plan {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := l.startWindowsHost(h, i == 0, l.winPassword); err != nil {
			return fmt.Errorf("start lab host %s: %w", h.name, err)
		}
		l.hosts = append(l.hosts, h)
	}
	return nil
}

func (l *Lab) startHost(h *host, index int) error {
	root := l.HostRoot(h.name)
	if err := l.layOut(h, index, root); err != nil {
		return err
	}
	hostKey, err := sshserver.GenerateHostKey()
	if err != nil {
		return err
	}
	h.hostKey, h.key = hostKey, hostKey.PublicKey()
	if err := l.serve(h); err != nil {
		return err
	}
	return h.listen()
}

// layOut writes a host's Dynatrace files with the environment's current
// token and registers its components with the simulator.
func (l *Lab) layOut(h *host, index int, root string) error {
	fsys := fakedt.DirFS(root)
	tenant := l.Sim.TenantUUID()
	token, _ := l.Sim.Tokens()
	if err := fakedt.WriteHostConfig(fsys, fakedt.HostConfig{Host: h.name, Tenant: tenant}); err != nil {
		return err
	}
	if h.user != "root" {
		if err := os.MkdirAll(filepath.Join(root, "home", h.user), 0o755); err != nil {
			return err
		}
	}
	if h.kind == "oneagent" {
		return l.layOutOneAgent(h, fsys, tenant, token)
	}
	return l.layOutActiveGate(h, index, fsys, tenant, token)
}

func (l *Lab) layOutActiveGate(h *host, index int, fsys fakedt.FS, tenant, token string) error {
	files := map[string]string{
		fakedt.AuthorizationPropertiesPath: strings.Join([]string{
			"[otherenv01]", "tenantToken = otherEnvironmentToken0001", "authToken = dt0g02.LAB.othertoken",
			"[" + tenant + "]", "tenantToken = " + token, "authToken = dt0g02.LAB.maintoken",
			"mainTenant = true # the environment this ActiveGate was downloaded from", ""}, "\n"),
		fakedt.RemotePluginRuxitAgentConfPath: "Tenant " + tenant + "\nTenantToken " + token + "\nServer https://127.0.0.1:9999/communication\n",
		fakedt.RemotePluginExtensionsConfPath: "Tenant=" + tenant + "\nTenantToken=" + token + "\n",
	}
	components := []string{"activegate", "remoteplugin", "extensions"}
	if index == 0 { // zRemote is installed on the first ActiveGate only: "where present"
		files[fakedt.ZRemoteRuxitAgentConfPath] = "Tenant " + tenant + "\r\nTenantToken " + token + "\r\n"
		components = append(components, "zremote")
	}
	for path, content := range files {
		if err := fsys.WriteFile(path, []byte(content), 0o640); err != nil {
			return err
		}
	}
	for _, c := range components {
		l.Sim.Register(h.name, c)
	}
	return nil
}

func (l *Lab) layOutOneAgent(h *host, fsys fakedt.FS, tenant, token string) error {
	if err := fsys.WriteFile(fakedt.OneAgentCtlPath, []byte("#!/bin/sh\n# rotplay lab: simulated oneagentctl\n"), 0o755); err != nil {
		return err
	}
	if err := fakedt.WriteOneAgentConfig(fsys, fakedt.OneAgentConfig{Tenant: tenant, TenantToken: token,
		Server: "{https://127.0.0.1:9999/communication}"}); err != nil {
		return err
	}
	l.Sim.Register(h.name, "oneagent")
	return nil
}

// logged tells log every command before exec runs it.
func logged(host string, exec sshserver.ExecFunc, log func(host, command string)) sshserver.ExecFunc {
	if log == nil {
		return exec
	}
	return func(ctx context.Context, req sshserver.ExecRequest) int {
		log(host, req.Command)
		return exec(ctx, req)
	}
}
