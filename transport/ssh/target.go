package ssh

import (
	"fmt"
	"net"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/rotplay/rotplay/transport"
)

// Inventory variables the transport reads (Ansible's names where Ansible
// has one).
const (
	varKeyFile    = "ansible_ssh_private_key_file"
	varPassword   = "ansible_password"
	varSSHPass    = "ansible_ssh_pass"
	varKnownHosts = "rotplay_known_hosts_file"
	varPipelining = "rotplay_ssh_pipelining"
)

// host is a Target resolved against the defaults.
type host struct {
	name     string // for messages: the inventory name, else the address
	hostname string // what is dialed
	port     int
	addr     string // hostname:port, also the known_hosts lookup key
	user     string

	keyFile       string   // "" means agent and identityFiles (or default keys)
	identityFiles []string // ssh_config IdentityFile, ~ expanded
	password      string   // "" means no password authentication
	knownHosts    []string // extra known_hosts files for this host
	recordTo      string   // where accept-new records keys; "" is Options' first file
	acceptNew     bool     // record an unknown host key (accept-new)

	// jumps are the jump hosts to go through, in order; the last one
	// connects to addr. Empty for a direct connection.
	jumps []jumpSpec

	become     bool
	becomeUser string

	// pipelining runs the commands in one long-lived shell (see
	// remoteShell); rotplay_ssh_pipelining: false turns it off.
	pipelining bool
}

// resolve fills in t from the inventory first, then ssh_config (looked
// up by ansible_host, else the inventory name, as ssh would be called),
// then the defaults: port 22, the controller's user.
func (d *dialer) resolve(t transport.Target) (*host, error) {
	cfg, err := d.sshConfig()
	if err != nil {
		return nil, err
	}
	alias := t.Address
	if alias == "" {
		alias = t.Name
	}
	if alias == "" {
		return nil, fmt.Errorf("target has neither an address nor a name")
	}
	h := &host{name: t.Name, become: t.Become, becomeUser: t.BecomeUser}
	if h.name == "" {
		h.name = alias
	}
	if err := d.resolveEndpoint(h, cfg, alias, t.Address, t.User, t.Port); err != nil {
		return nil, err
	}
	if err := d.resolveFiles(h, cfg, alias, t.Vars); err != nil {
		return nil, err
	}
	if h.jumps, err = d.resolveJumps(cfg, alias, t.Vars); err != nil {
		return nil, err
	}
	if h.pipelining, err = boolVar(t.Vars, varPipelining, true); err != nil {
		return nil, err
	}
	// ansible_password wins over its older name ansible_ssh_pass.
	if h.password, err = stringVar(t.Vars, varPassword); err != nil || h.password != "" {
		return h, err
	}
	h.password, err = stringVar(t.Vars, varSSHPass)
	return h, err
}

// resolveEndpoint sets hostname, port, addr and user: the inventory's
// values, else ssh_config's HostName, Port and User for alias, else the
// defaults.
func (d *dialer) resolveEndpoint(h *host, cfg *sshConfig, alias, address, user string, port int) error {
	h.hostname, h.user, h.port = address, user, port
	var err error
	if h.hostname == "" {
		if h.hostname, err = cfg.get(alias, "HostName"); err != nil {
			return err
		}
		if h.hostname == "" {
			h.hostname = alias
		}
	}
	if h.port == 0 {
		p, err := cfg.get(alias, "Port")
		if err != nil {
			return err
		}
		if p != "" {
			if h.port, err = strconv.Atoi(p); err != nil || h.port <= 0 || h.port > 65535 {
				return fmt.Errorf("%s: Port %q for %s is not a port number", cfg.file, p, alias)
			}
		}
	}
	if h.port == 0 {
		h.port = 22
	}
	h.addr = net.JoinHostPort(h.hostname, strconv.Itoa(h.port))
	if h.user == "" {
		if h.user, err = cfg.get(alias, "User"); err != nil {
			return err
		}
	}
	if h.user == "" {
		u, err := d.env.user()
		if err != nil {
			return fmt.Errorf("no user given (ansible_user) and the controller's user is unknown: %w", err)
		}
		h.user = u
	}
	return nil
}

// resolveFiles sets the key file, identity files, known_hosts files and
// accept-new from the inventory and ssh_config.
func (d *dialer) resolveFiles(h *host, cfg *sshConfig, alias string, vars map[string]any) error {
	var err error
	if h.keyFile, err = d.pathVar(vars, varKeyFile); err != nil {
		return err
	}
	extra, err := d.pathVar(vars, varKnownHosts)
	if err != nil {
		return err
	}
	if h.identityFiles, err = d.configPaths(cfg, alias, "IdentityFile", h); err != nil {
		return err
	}
	if h.knownHosts, err = d.configPaths(cfg, alias, "UserKnownHostsFile", h); err != nil {
		return err
	}
	if len(h.knownHosts) > 0 {
		h.recordTo = h.knownHosts[0] // as ssh does with UserKnownHostsFile
	}
	if extra != "" {
		h.knownHosts = append(h.knownHosts, extra)
	}
	if h.acceptNew, err = cfg.acceptNew(alias); err != nil {
		return err
	}
	h.acceptNew = h.acceptNew || d.opts.AcceptNewHostKeys
	return nil
}

// configPaths returns the paths ssh_config gives for key (each value may
// list several), with ~ and the tokens %d %h %r %u %% expanded; "none"
// is no path.
func (d *dialer) configPaths(cfg *sshConfig, alias, key string, h *host) ([]string, error) {
	values, err := cfg.getAll(alias, key)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, v := range values {
		for _, p := range strings.Fields(v) {
			if strings.EqualFold(p, "none") {
				continue
			}
			p, err := d.expandHome(d.expandTokens(p, h))
			if err != nil {
				return nil, err
			}
			out = append(out, p)
		}
	}
	return out, nil
}

// expandTokens expands the ssh_config tokens that make sense for files.
func (d *dialer) expandTokens(p string, h *host) string {
	if !strings.Contains(p, "%") {
		return p
	}
	home, _ := d.env.home()
	local, _ := d.env.user()
	return strings.NewReplacer("%%", "%", "%d", home, "%h", h.hostname, "%r", h.user, "%u", local).Replace(p)
}

// stringVar reads a string variable; a missing one is "".
func stringVar(vars map[string]any, name string) (string, error) {
	v, ok := vars[name]
	if !ok || v == nil {
		return "", nil
	}
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("variable %s must be a string, not %T", name, v)
	}
	return s, nil
}

// boolVar reads a boolean variable: true or false, def when unset.
func boolVar(vars map[string]any, name string, def bool) (bool, error) {
	v, ok := vars[name]
	if !ok || v == nil {
		return def, nil
	}
	b, err := transport.ParseBool(v)
	if err != nil {
		return false, fmt.Errorf("variable %s %w", name, err)
	}
	return b, nil
}

// pathVar reads a path variable, expanding a leading ~/.
func (d *dialer) pathVar(vars map[string]any, name string) (string, error) {
	p, err := stringVar(vars, name)
	if err != nil || p == "" {
		return p, err
	}
	return d.expandHome(p)
}

// expandHome expands a leading "~" or "~/": inventories and known_hosts
// paths are written that way, and Go does not expand them.
func (d *dialer) expandHome(p string) (string, error) {
	if p != "~" && !strings.HasPrefix(p, "~/") {
		return p, nil
	}
	home, err := d.env.home()
	if err != nil {
		return "", fmt.Errorf("expand %s: %w", p, err)
	}
	return filepath.Join(home, p[1:]), nil
}
