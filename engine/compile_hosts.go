package engine

import (
	"fmt"
	"maps"

	"slices"
	"strconv"

	"github.com/rotplay/rotplay/diag"

	"github.com/rotplay/rotplay/inventory"
	"github.com/rotplay/rotplay/playbook"
	"github.com/rotplay/rotplay/transport"
)

// DefaultConnection is the transport used when a host sets no
// ansible_connection, as in Ansible.
const DefaultConnection = "ssh"

// selectHosts resolves a phase's hosts pattern and applies --limit. The
// controller is never limited: API work is not a host of the fleet.
func (c *compiler) selectHosts(ph *playbook.Phase) (hosts []*Host, excluded []string) {
	if ph.Hosts == "" {
		return nil, nil
	}
	if ph.Hosts == playbook.Controller {
		return []*Host{c.controller()}, nil
	}
	if c.inv == nil {
		c.errs.Addf(ph.HostsPos, "phase %q targets %q but no inventory was given", ph.Name, ph.Hosts).
			WithHint("pass -i INVENTORY, set `inventory:` in the playbook, or use hosts: %s", playbook.Controller)
		return nil, nil
	}
	sel, err := c.inv.Select(ph.Hosts)
	if err != nil {
		c.errs.Add(ph.HostsPos, at(ph.HostsPos, err))
		return nil, nil
	}
	if len(sel) == 0 {
		c.errs.Addf(ph.HostsPos, "hosts %q selects no host in %s", ph.Hosts, c.inv.File).
			WithHint("check the pattern against the inventory's groups: %v", c.inv.GroupNames())
		return nil, nil
	}
	for _, ih := range sel {
		if c.limit != nil && !c.limit[ih.Name] {
			excluded = append(excluded, ih.Name)
			continue
		}
		hosts = append(hosts, c.host(ih))
	}
	return hosts, excluded
}

// controller returns the controller host. It gets the inventory's `all`
// vars, as Ansible's implicit localhost does.
func (c *compiler) controller() *Host {
	if h, ok := c.hosts[ControllerHost]; ok && h.Controller {
		return h
	}
	vars := map[string]any{}
	if c.inv != nil {
		if g, ok := c.inv.Group("all"); ok {
			vars = g.Vars
		}
	}
	h := &Host{Name: ControllerHost, Vars: vars, Groups: nil, Connection: "local", Controller: true,
		Target: transport.Target{Name: ControllerHost, Address: "localhost", Vars: vars}}
	c.hosts[ControllerHost] = h
	c.order = append(c.order, ControllerHost)
	return h
}

func (c *compiler) host(ih *inventory.Host) *Host {
	if h, ok := c.hosts[ih.Name]; ok {
		return h
	}
	h := &Host{Name: ih.Name, Vars: ih.Vars, Groups: ih.Groups, Pos: ih.Pos}
	if ih.Name == ControllerHost {
		c.errs.Addf(ih.Pos, "host name %q is reserved for the machine rotplay runs on", ControllerHost).
			WithHint("rename the host, or use hosts: %s in the playbook instead", playbook.Controller)
	}
	vars := c.connectionVars(ih.Vars)
	h.Target = c.target(ih, vars)
	h.Connection = stringVar(vars, "ansible_connection", DefaultConnection)
	if !slices.Contains(c.opts.Connections, h.Connection) {
		c.errs.Addf(ih.Pos, "host %s: connection type %q is not supported", ih.Name, h.Connection).
			WithHint("set ansible_connection to one of %v", c.opts.Connections)
	}
	c.hosts[ih.Name] = h
	c.order = append(c.order, ih.Name)
	return h
}

// connectionVars are the variables a host's connection is made with: its
// inventory vars, with the extra vars (-e) over them, as in Ansible, where
// -e ansible_user=deploy wins too. vars itself is not changed.
func (c *compiler) connectionVars(vars map[string]any) map[string]any {
	if len(c.opts.ExtraVars) == 0 {
		return vars
	}
	merged := make(map[string]any, len(vars)+len(c.opts.ExtraVars))
	maps.Copy(merged, vars)
	maps.Copy(merged, c.opts.ExtraVars)
	return merged
}

// target maps Ansible's connection variables (vars: see connectionVars)
// to a transport.Target.
func (c *compiler) target(ih *inventory.Host, vars map[string]any) transport.Target {
	t := transport.Target{Name: ih.Name, Vars: vars,
		Address:    stringVar(vars, "ansible_host", ih.Name),
		User:       stringVar(vars, "ansible_user", ""),
		BecomeUser: stringVar(vars, "ansible_become_user", ""),
	}
	if v, ok := vars["ansible_port"]; ok {
		port, err := strconv.Atoi(fmt.Sprint(v))
		if err != nil || port < 1 || port > 65535 {
			c.errs.Addf(ih.Pos, "host %s: ansible_port must be a port number, got %v", ih.Name, v).
				WithHint("set ansible_port to a number from 1 to 65535, e.g. 22")
		}
		t.Port = port
	}
	if v, ok := vars["ansible_become"]; ok {
		b, err := transport.ParseBool(v)
		if err != nil {
			c.errs.Addf(ih.Pos, "host %s: ansible_become %v", ih.Name, err).WithHint("write ansible_become: true")
		}
		t.Become = b
	}
	return t
}

func stringVar(vars map[string]any, key, def string) string {
	if v, ok := vars[key]; ok && v != nil {
		return fmt.Sprint(v)
	}
	return def
}

// at gives position-less diagnostics in err the position pos, keeping their
// hints: the inventory reports pattern errors without knowing where the
// pattern was written.
func at(pos diag.Pos, err error) error {
	var list diag.List
	list.Add(pos, err)
	for i, e := range list {
		if e.Pos.Line == 0 {
			cp := *e
			cp.Pos = pos
			list[i] = &cp
		}
	}
	return list
}
