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
)

// host is a Target resolved against the defaults.
type host struct {
	name     string // for messages: the inventory name, else the address
	hostname string // what is dialed
	port     int
	addr     string // hostname:port, also the known_hosts lookup key
	user     string

	keyFile        string // "" means agent and default keys
	password       string // "" means no password authentication
	knownHostsFile string // extra known_hosts file for this host

	become     bool
	becomeUser string
}

// resolve fills in the defaults of t: port 22, the controller's user,
// the inventory name as the address.
func (d *dialer) resolve(t transport.Target) (*host, error) {
	h := &host{name: t.Name, hostname: t.Address, port: t.Port, user: t.User, become: t.Become, becomeUser: t.BecomeUser}
	if h.hostname == "" {
		h.hostname = t.Name
	}
	if h.name == "" {
		h.name = h.hostname
	}
	if h.hostname == "" {
		return nil, fmt.Errorf("target has neither an address nor a name")
	}
	if h.port == 0 {
		h.port = 22
	}
	h.addr = net.JoinHostPort(h.hostname, strconv.Itoa(h.port))
	if h.user == "" {
		u, err := d.env.user()
		if err != nil {
			return nil, fmt.Errorf("no user given (ansible_user) and the controller's user is unknown: %w", err)
		}
		h.user = u
	}
	var err error
	if h.keyFile, err = d.pathVar(t.Vars, varKeyFile); err != nil {
		return nil, err
	}
	if h.knownHostsFile, err = d.pathVar(t.Vars, varKnownHosts); err != nil {
		return nil, err
	}
	// ansible_password wins over its older name ansible_ssh_pass.
	if h.password, err = stringVar(t.Vars, varPassword); err != nil || h.password != "" {
		return h, err
	}
	h.password, err = stringVar(t.Vars, varSSHPass)
	return h, err
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
