package e2e

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/rotplay/rotplay/lab/dtsim"
	"github.com/rotplay/rotplay/lab/fakedt"
)

// Host kinds, as the inventory groups them.
const (
	activeGate = "activegate"
	oneAgent   = "oneagent"
)

// hostSpec describes one host of a test's fleet.
type hostSpec struct {
	name    string
	kind    string // activeGate or oneAgent
	login   string // the user rotplay logs in as
	become  bool   // ansible_become: commands and file operations under sudo -n
	zremote bool   // an ActiveGate with zRemote installed
	// restartDelay is how long every start or restart of the host's fake
	// services takes (0: at once).
	restartDelay time.Duration
}

// standardFleet is two ActiveGates and two OneAgents; on each side one
// host logs in as root and one as sudoUser with become.
func standardFleet() []hostSpec {
	return []hostSpec{
		{name: "ag-1", kind: activeGate, login: "root", zremote: true},
		{name: "ag-2", kind: activeGate, login: sudoUser, become: true},
		{name: "oa-1", kind: oneAgent, login: "root"},
		{name: "oa-2", kind: oneAgent, login: sudoUser, become: true},
	}
}

// host is one running host of a fleet.
type host struct {
	hostSpec
	dir  string // sshd's files, and root/
	root string // the directories the host sees at the same paths (hostDirs)
	key  ssh.PublicKey
	sshd *sshd
	// files are the host's token files as laid out, by host path.
	files map[string]fileState
}

// fileState is a file's content and metadata at one moment.
type fileState struct {
	content  []byte
	uid, gid uint32
	mode     fs.FileMode
}

// real is where the host's file at path is on this machine: the same
// inode, through the bind mount's source.
func (h *host) real(path string) string { return filepath.Join(h.root, filepath.FromSlash(path)) }

// layOut writes the host's Dynatrace files with the environment's current
// token, and registers its components with the simulator.
func (h *host) layOut(sim *dtsim.Simulator, simURL string) error {
	for _, d := range hostDirs {
		if err := os.MkdirAll(h.real(d), 0o755); err != nil {
			return err
		}
	}
	fsys := fakedt.DirFS(h.root)
	hc := fakedt.HostConfig{Host: h.name, Tenant: sim.TenantUUID(), Simulator: simURL,
		RestartDelayMS: int(h.restartDelay / time.Millisecond)}
	if err := fakedt.WriteHostConfig(fsys, hc); err != nil {
		return err
	}
	if h.kind == oneAgent {
		return h.layOutOneAgent(sim, fsys)
	}
	return h.layOutActiveGate(sim)
}

// tokenFile is one ActiveGate file holding the tenant token.
type tokenFile struct {
	path    string
	content string
	mode    fs.FileMode
	owner   string // user and group; "" is root
}

// activeGateFiles are an ActiveGate's token files: a multi-environment
// authorization.properties, the remote plugin module's files and, with
// zRemote, its ruxitagent.conf with Windows line endings.
func (h *host) activeGateFiles(tenant, token string) []tokenFile {
	files := []tokenFile{
		{fakedt.AuthorizationPropertiesPath, strings.Join([]string{
			"[otherenv01]", "tenantToken = otherEnvironmentToken0001", "authToken = dt0g02.E2E.othertoken",
			"[" + tenant + "]", "tenantToken = " + token, "authToken = dt0g02.E2E.maintoken",
			"mainTenant = true", "# written by the rotplay e2e harness", ""}, "\n"), 0o640, agentUser},
		{fakedt.RemotePluginRuxitAgentConfPath, "Tenant " + tenant + "\nTenantToken " + token +
			"\nServer https://127.0.0.1:9999/communication\n", 0o644, ""},
		{fakedt.RemotePluginExtensionsConfPath, "Tenant=" + tenant + "\nTenantToken=" + token + "\n", 0o644, ""},
	}
	if h.zremote {
		files = append(files, tokenFile{fakedt.ZRemoteRuxitAgentConfPath,
			"Tenant " + tenant + "\r\nTenantToken " + token + "\r\n", 0o644, ""})
	}
	return files
}

func (h *host) layOutActiveGate(sim *dtsim.Simulator) error {
	token, _ := sim.Tokens()
	for _, f := range h.activeGateFiles(sim.TenantUUID(), token) {
		if err := writeOwned(h.real(f.path), []byte(f.content), f.mode, f.owner); err != nil {
			return err
		}
	}
	components := []string{"activegate", "remoteplugin", "extensions"}
	if h.zremote {
		components = append(components, "zremote")
	}
	for _, c := range components {
		sim.Register(h.name, c)
	}
	var err error
	h.files, err = h.snapshot()
	return err
}

func (h *host) layOutOneAgent(sim *dtsim.Simulator, fsys fakedt.FS) error {
	if err := copyExecutable(suite.fakedt, h.real(fakedt.OneAgentCtlPath)); err != nil {
		return err
	}
	token, _ := sim.Tokens()
	err := fakedt.WriteOneAgentConfig(fsys, fakedt.OneAgentConfig{Tenant: sim.TenantUUID(), TenantToken: token,
		Server: "{https://127.0.0.1:9999/communication}"})
	if err != nil {
		return err
	}
	sim.Register(h.name, "oneagent")
	h.files = map[string]fileState{}
	return nil
}

// snapshot reads every token file the host has now.
func (h *host) snapshot() (map[string]fileState, error) {
	out := map[string]fileState{}
	for _, f := range h.activeGateFiles("", "") {
		st, err := readState(h.real(f.path))
		if err != nil {
			return nil, err
		}
		out[f.path] = st
	}
	return out, nil
}

// readState reads a file's content, owner and mode.
func readState(name string) (fileState, error) {
	content, err := os.ReadFile(name)
	if err != nil {
		return fileState{}, err
	}
	fi, err := os.Stat(name)
	if err != nil {
		return fileState{}, err
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return fileState{}, fmt.Errorf("stat %s: no owner", name)
	}
	return fileState{content: content, uid: st.Uid, gid: st.Gid, mode: fi.Mode()}, nil
}

// writeOwned writes a file with exactly mode and, unless owner is "", the
// owner's user and group; parent directories are made root's, 0755.
func writeOwned(name string, data []byte, mode fs.FileMode, owner string) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(name, data, mode); err != nil {
		return err
	}
	if err := os.Chmod(name, mode); err != nil { // whatever the umask did
		return err
	}
	if owner == "" {
		return nil
	}
	u, err := user.Lookup(owner)
	if err != nil {
		return err
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return os.Chown(name, uid, gid)
}

// copyExecutable copies src to dst with mode 0755, making dst's parents.
func copyExecutable(src, dst string) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o755)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
