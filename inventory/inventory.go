package inventory

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/rotplay/rotplay/diag"
)

// Names of the groups every inventory has.
const (
	All       = "all"
	Ungrouped = "ungrouped"
)

// Inventory is a parsed inventory file. It is immutable once parsed and safe
// for concurrent use, as long as callers do not modify the Hosts and Groups
// it hands out.
type Inventory struct {
	File string // the file it was parsed from, as given to Load or Parse

	hosts  []*Host // in order of first appearance in the file
	byName map[string]*Host
	groups map[string]*Group
}

// Host is one managed host.
type Host struct {
	Name string
	// Vars are the host's inventory variables after precedence (see the
	// package documentation). Variables Ansible derives at run time, such as
	// inventory_hostname or group_names, are not included.
	Vars map[string]any
	// Groups lists every group the host belongs to, directly or through
	// children, including "all", sorted.
	Groups []string
	// Pos is where the host is first listed.
	Pos diag.Pos

	index int // position in Inventory.hosts, for inventory order
}

// Group is a named set of hosts.
type Group struct {
	Name string
	// Hosts lists the group's hosts, direct and through children, in
	// inventory order.
	Hosts []string
	// Children and Parents list the direct child and parent groups, sorted.
	Children []string
	Parents  []string
	// Vars are the group's own variables, without ansible_group_priority:
	// those the inventory file gives it, overridden by those of its
	// group_vars files. Hosts merge the two in different layers (see the
	// package documentation).
	Vars map[string]any
	// Priority is ansible_group_priority (default 1). It orders groups of
	// the same Depth when their vars are merged; higher wins.
	Priority int
	// Depth is the length of the longest chain of children from "all" to
	// this group; "all" has depth 0.
	Depth int
	// Pos is where the group is first listed; zero for "all" and
	// "ungrouped" when the file does not mention them.
	Pos diag.Pos

	inline, file map[string]any // Vars from the inventory file and from group_vars
}

// Load reads and parses the inventory file at path, in YAML or INI (see
// Parse), then reads the group_vars and host_vars directories next to it.
func Load(path string) (*Inventory, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read inventory: %w", err)
	}
	return parse(path, data, filepath.Dir(path))
}

// Parse parses an inventory in Ansible's YAML or INI format, chosen by
// file's extension (.ini is INI; .yml, .yaml and .json are YAML) or else by
// the content (see isINI). file is used only for that and for positions in
// errors; Parse reads no group_vars or host_vars directories. All problems
// found are returned together as a diag.List.
func Parse(file string, data []byte) (*Inventory, error) {
	return parse(file, data, "")
}

// parse parses data, then reads the vars directories in dir unless dir is
// empty.
func parse(file string, data []byte, dir string) (*Inventory, error) {
	b := newBuilder(file)
	if isINI(file, data) {
		b.ini(data)
	} else {
		root, err := parseYAML(file, data)
		if err != nil {
			return nil, err
		}
		b.document(root)
	}
	b.checkCycles()
	if dir != "" {
		b.varsDirs(dir)
	}
	// Without hosts but with other errors, those errors are the cause:
	// saying "no hosts" as well would only be noise.
	if len(b.hosts) == 0 && len(b.errs) == 0 {
		b.errs.Addf(diag.Pos{}, "inventory %s defines no hosts", file).
			WithHint(`list hosts under "all:" then "hosts:", one "name:" per line`)
	}
	if err := uniq(b.errs).Err(); err != nil {
		return nil, err
	}
	return b.build(), nil
}

// Hosts returns all hosts, in order of first appearance in the file.
func (inv *Inventory) Hosts() []*Host {
	return slices.Clone(inv.hosts)
}

// Host returns the host with the given name.
func (inv *Inventory) Host(name string) (*Host, bool) {
	h, ok := inv.byName[name]
	return h, ok
}

// Group returns the group with the given name. "all" and "ungrouped" always
// exist.
func (inv *Inventory) Group(name string) (*Group, bool) {
	g, ok := inv.groups[name]
	return g, ok
}

// GroupNames returns the names of all groups, sorted.
func (inv *Inventory) GroupNames() []string {
	names := make([]string, 0, len(inv.groups))
	for name := range inv.groups {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// uniq drops repeated diagnostics: a node reached through several aliases
// is checked once per alias but should be reported once.
func uniq(errs diag.List) diag.List {
	seen := map[string]bool{}
	var out diag.List
	for _, e := range errs {
		if s := e.Error(); !seen[s] {
			seen[s] = true
			out = append(out, e)
		}
	}
	return out
}
