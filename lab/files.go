package lab

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/crypto/ssh/knownhosts"

	"github.com/rotplay/rotplay/lab/dtsim"
)

// writeClientFiles writes what a rotplay run needs to reach the lab: the
// inventory, known_hosts and the API token file.
func (l *Lab) writeClientFiles() error {
	l.Inventory = filepath.Join(l.Dir, "inventory.yaml")
	l.KnownHosts = filepath.Join(l.Dir, "known_hosts")
	l.StateDir = filepath.Join(l.Dir, "state")
	tokenFile := filepath.Join(l.Dir, "api-token")
	if err := os.WriteFile(tokenFile, []byte(l.Sim.APIToken()+"\n"), 0o600); err != nil {
		return err
	}
	var kh strings.Builder
	for _, h := range l.hosts {
		if h.server != nil {
			kh.WriteString(knownhosts.Line([]string{knownhosts.Normalize(h.server.Addr())}, h.key) + "\n")
		}
	}
	ca, err := l.writeWinRMCA()
	if err != nil {
		return err
	}
	if err := os.WriteFile(l.KnownHosts, []byte(kh.String()), 0o644); err != nil {
		return err
	}
	return os.WriteFile(l.Inventory, []byte(l.inventory(tokenFile, ca)), 0o600)
}

func (l *Lab) inventory(tokenFile, ca string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# The rotplay practice lab: every host is simulated in the `rotplay lab` process,\n")
	fmt.Fprintf(&b, "# reachable over real SSH on 127.0.0.1.\nall:\n  vars:\n")
	fmt.Fprintf(&b, "    dt_environment_url: %s\n    dt_tenant: %s\n    dt_api_token_file: %s\n", l.APIURL, l.Sim.TenantUUID(), tokenFile)
	b.WriteString("    dt_verify_api: true\n")
	fmt.Fprintf(&b, "    ansible_host: 127.0.0.1\n    ansible_ssh_private_key_file: %s\n", filepath.Join(l.Dir, "id_ed25519"))
	fmt.Fprintf(&b, "    rotplay_known_hosts_file: %s\n", l.KnownHosts)
	if l.opts.SessionPerCommand {
		b.WriteString("    rotplay_ssh_pipelining: false\n")
	}
	b.WriteString("  children:\n")
	for _, group := range []struct{ name, kind string }{{"activegates", "activegate"}, {"oneagents", "oneagent"}} {
		fmt.Fprintf(&b, "    %s:\n      hosts:\n", group.name)
		for _, h := range l.hosts {
			if h.kind != group.kind {
				continue
			}
			if h.win != nil {
				b.WriteString(l.windowsEntry(h, ca))
				continue
			}
			_, port, _ := net.SplitHostPort(h.server.Addr())
			fmt.Fprintf(&b, "        %s: {ansible_port: %s, ansible_user: %s", h.name, port, h.user)
			if h.become {
				b.WriteString(", ansible_become: true")
			}
			b.WriteString("}\n")
		}
	}
	return b.String()
}

// simReporter delivers the fakes' reports to the in-process simulator.
type simReporter struct{ sim *dtsim.Simulator }

func (r simReporter) Connect(_ context.Context, host, component, token string) (bool, string, error) {
	ok, reason := r.sim.Connect(host, component, token)
	return ok, reason, nil
}

func (r simReporter) Stop(_ context.Context, host, component string) error {
	r.sim.Stop(host, component)
	return nil
}

// windowsEntry is a Windows host's inventory line. The password is the
// lab's own, written in the lab's private inventory (mode 0600); a real
// inventory would take it from the environment: {{ env("WINRM_PASSWORD") }}.
func (l *Lab) windowsEntry(h *host, ca string) string {
	_, port, _ := net.SplitHostPort(h.win.server.Addr())
	e := fmt.Sprintf("        %s: {ansible_connection: winrm, ansible_port: %s, ansible_user: %s, ansible_password: %s",
		h.name, port, h.user, l.winPassword)
	if h.win.https {
		e += ", ansible_winrm_scheme: https, ansible_winrm_transport: ntlm, ansible_winrm_ca_trust_path: " + ca
	} else {
		e += ", ansible_winrm_scheme: http, ansible_winrm_transport: basic"
	}
	return e + "}\n"
}
