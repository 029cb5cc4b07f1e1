package e2e

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/ssh/knownhosts"

	"github.com/rotplay/rotplay/lab/dtsim"
)

// fleet is one test's Dynatrace environment: the simulator, and hosts
// reachable over real OpenSSH. Nothing of it is shared with another test.
type fleet struct {
	dir        string
	sim        *dtsim.Simulator
	apiURL     string
	hosts      []*host
	inventory  string
	knownHosts string
	// apiTokenFile holds the simulator's API token.
	apiTokenFile string
	stateDir     string
	oldToken     string // the tenant token the hosts were laid out with
}

// startFleet starts the simulator and the hosts of specs, all at once;
// t.Cleanup stops them.
func startFleet(t testing.TB, specs []hostSpec) *fleet {
	t.Helper()
	needSuite(t)
	f := &fleet{dir: t.TempDir(), sim: dtsim.New(dtsim.Options{})}
	f.stateDir = filepath.Join(f.dir, "state")
	f.oldToken, _ = f.sim.Tokens()
	f.startAPI(t)
	for _, spec := range specs {
		f.hosts = append(f.hosts, &host{hostSpec: spec, dir: filepath.Join(f.dir, spec.name)})
	}
	errs := make([]error, len(f.hosts))
	var wg sync.WaitGroup
	for i, h := range f.hosts {
		wg.Go(func() { errs[i] = f.startHost(h) })
	}
	wg.Wait()
	for _, h := range f.hosts {
		if h.sshd != nil {
			t.Cleanup(h.sshd.stop)
			t.Cleanup(func() { h.logIfFailed(t) })
		}
	}
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	if err := f.writeClientFiles(); err != nil {
		t.Fatal(err)
	}
	return f
}

// startAPI serves the simulator on a loopback port until the test ends.
func (f *fleet) startAPI(t testing.TB) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f.apiURL = "http://" + ln.Addr().String()
	srv := &http.Server{Handler: f.sim.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
}

// startHost lays out one host's files and starts its sshd.
func (f *fleet) startHost(h *host) error {
	h.root = filepath.Join(h.dir, "root")
	if err := checkOutsideTmpfs(h.root); err != nil {
		return err
	}
	if err := os.MkdirAll(h.root, 0o755); err != nil {
		return err
	}
	var err error
	if h.key, err = hostKeyFile(h.dir); err != nil {
		return err
	}
	if err := h.layOut(f.sim, f.apiURL); err != nil {
		return fmt.Errorf("lay out %s: %w", h.name, err)
	}
	if h.sshd, err = startSSHD(h.dir, h.login); err != nil {
		return fmt.Errorf("start sshd for %s: %w", h.name, err)
	}
	return nil
}

// checkOutsideTmpfs refuses a host directory that a host's own tmpfs
// would hide from its bind mounts (a TMPDIR under /run, say).
func checkOutsideTmpfs(dir string) error {
	for _, d := range tmpfsDirs {
		if dir == d || strings.HasPrefix(dir, d+"/") {
			return fmt.Errorf("the test directory %s is under %s, which each host covers with a tmpfs: set TMPDIR elsewhere", dir, d)
		}
	}
	return nil
}

// logIfFailed shows what sshd logged (errors only) when t failed.
func (h *host) logIfFailed(t testing.TB) {
	if log := h.sshd.logText(); t.Failed() && log != "" {
		t.Logf("%s: sshd logged:\n%s", h.name, log)
	}
}

// host returns the host called name; it panics on a typo in a test.
func (f *fleet) host(name string) *host {
	for _, h := range f.hosts {
		if h.name == name {
			return h
		}
	}
	panic("no host " + name)
}

// writeClientFiles writes the API token file, known_hosts and the
// inventory for playbooks/rotation.yaml.
func (f *fleet) writeClientFiles() error {
	tokenFile := filepath.Join(f.dir, "api-token")
	f.apiTokenFile = tokenFile
	if err := os.WriteFile(tokenFile, []byte(f.sim.APIToken()+"\n"), 0o600); err != nil {
		return err
	}
	f.knownHosts = filepath.Join(f.dir, "known_hosts")
	var kh strings.Builder
	for _, h := range f.hosts {
		addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(h.sshd.port))
		kh.WriteString(knownhosts.Line([]string{knownhosts.Normalize(addr)}, h.key) + "\n")
	}
	if err := os.WriteFile(f.knownHosts, []byte(kh.String()), 0o644); err != nil {
		return err
	}
	f.inventory = filepath.Join(f.dir, "inventory.yaml")
	return os.WriteFile(f.inventory, []byte(f.inventoryYAML(tokenFile)), 0o644)
}

func (f *fleet) inventoryYAML(tokenFile string) string {
	var b strings.Builder
	b.WriteString("all:\n  vars:\n")
	fmt.Fprintf(&b, "    dt_environment_url: %q\n    dt_tenant: %q\n    dt_api_token_file: %q\n",
		f.apiURL, f.sim.TenantUUID(), tokenFile)
	fmt.Fprintf(&b, "    ansible_host: 127.0.0.1\n    ansible_ssh_private_key_file: %q\n", suite.clientKey)
	fmt.Fprintf(&b, "    rotplay_known_hosts_file: %q\n  children:\n", f.knownHosts)
	for _, group := range []struct{ name, kind string }{{"activegates", activeGate}, {"oneagents", oneAgent}} {
		fmt.Fprintf(&b, "    %s:\n      hosts:\n", group.name)
		for _, h := range f.hosts {
			if h.kind != group.kind {
				continue
			}
			fmt.Fprintf(&b, "        %s: {ansible_port: %d, ansible_user: %s, ansible_become: %t}\n",
				h.name, h.sshd.port, h.login, h.become)
		}
	}
	return b.String()
}
