package inventory

import (
	"maps"
	"strconv"

	"go.yaml.in/yaml/v3"

	"github.com/rotplay/rotplay/diag"
)

// groupKeys are the keys a group mapping may have.
var groupKeys = []string{"hosts", "vars", "children"}

// builder collects what the YAML says while walking it, and every problem
// found on the way, before the group tree is resolved.
type builder struct {
	file   string
	errs   diag.List
	hosts  []*hostDef // in order of first appearance
	byName map[string]*hostDef
	groups map[string]*groupDef
}

// hostDef is a host as listed, with its own vars merged across listings.
type hostDef struct {
	name string
	pos  diag.Pos
	vars map[string]any
	// fileVars come from host_vars/NAME next to the inventory file.
	fileVars map[string]any
}

// groupDef is a group as listed, merged across listings.
type groupDef struct {
	name     string
	pos      diag.Pos
	vars     map[string]any
	fileVars map[string]any // from group_vars/NAME next to the inventory file
	priority int
	hosts    []string        // direct hosts, in order of first listing
	hasHost  map[string]bool // set of hosts
	children []edge          // in order of first listing
	parents  map[string]bool
}

// edge is one parent-to-child link, kept with where it is written so that
// a cycle can be reported at the link that closes it.
type edge struct {
	child string
	pos   diag.Pos
}

func newBuilder(file string) *builder {
	b := &builder{file: file, byName: map[string]*hostDef{}, groups: map[string]*groupDef{}}
	b.groupDef(All, diag.Pos{})
	b.groupDef(Ungrouped, diag.Pos{})
	return b
}

// document walks the top level, which maps group names to groups. A nil or
// null document has no groups; Parse then reports that there are no hosts.
func (b *builder) document(n *yaml.Node) {
	if isNull(n) {
		return
	}
	if n.Kind != yaml.MappingNode {
		b.errs.Addf(diag.At(b.file, n), "an inventory must be a mapping of group names, got %s", kindName(n)).
			WithHint(`start the file with "all:" and list hosts under "hosts:"`)
		return
	}
	for _, p := range b.pairs(n, false) {
		b.group(p.key, p.value, nil)
	}
}

// group walks one group listing. parent is the group whose children list
// it, or nil at the top level.
func (b *builder) group(key, body *yaml.Node, parent *groupDef) {
	pos := diag.At(b.file, key)
	if e := checkName("group", key.Value); e != nil {
		e.Pos = pos
		b.errs = append(b.errs, e)
		return
	}
	g := b.groupDef(key.Value, pos)
	if parent != nil {
		// A bad link is reported; the body is still checked.
		b.link(parent, g, pos)
	}
	if isNull(body) {
		return
	}
	if body.Kind != yaml.MappingNode {
		b.errs.Addf(diag.At(b.file, body), "group %q: expected a mapping with hosts, vars or children, got %s", g.name, kindName(body)).
			WithHint("indent hosts:, vars: or children: below %q", g.name+":")
		return
	}
	for _, p := range b.pairs(body, false) {
		b.groupEntry(g, p)
	}
}

// groupEntry handles one key of a group mapping.
func (b *builder) groupEntry(g *groupDef, p pair) {
	switch p.key.Value {
	case "hosts":
		b.groupHosts(g, p.value)
	case "vars":
		b.groupVars(g, p.value)
	case "children":
		b.groupChildren(g, p.value)
	default:
		e := b.errs.Addf(diag.At(b.file, p.key), "group %q: unknown key %q", g.name, p.key.Value)
		if s := diag.Suggest(p.key.Value, groupKeys); s != "" {
			e.WithHint("did you mean %q?", s)
		} else {
			e.WithHint(`a group takes only hosts, vars and children; list hosts under "hosts:"`)
		}
	}
}

// groupDef returns the group named name, creating it at pos if it is new.
func (b *builder) groupDef(name string, pos diag.Pos) *groupDef {
	g, ok := b.groups[name]
	if !ok {
		g = &groupDef{name: name, vars: map[string]any{}, priority: 1,
			hasHost: map[string]bool{}, parents: map[string]bool{}}
		b.groups[name] = g
	}
	if g.pos.Line == 0 {
		g.pos = pos
	}
	return g
}

// link makes child a child of parent. "all" contains every group already,
// and "ungrouped" is computed, so neither may take part in a listed link.
func (b *builder) link(parent, child *groupDef, pos diag.Pos) {
	switch {
	case child.name == All || child.name == Ungrouped:
		b.errs.Addf(pos, "group %q cannot be a child of group %q", child.name, parent.name).
			WithHint("every group is already inside %q; remove %q from these children", All, child.name)
		return
	case parent.name == Ungrouped:
		b.errs.Addf(pos, "group %q cannot have children", Ungrouped).
			WithHint("it holds the hosts that have no other group; make %q a top-level group", child.name)
		return
	}
	if !child.parents[parent.name] {
		child.parents[parent.name] = true
		parent.children = append(parent.children, edge{child.name, pos})
	}
}

// groupHosts walks a group's hosts mapping: host name (or range) to vars.
func (b *builder) groupHosts(g *groupDef, n *yaml.Node) {
	if isNull(n) {
		return
	}
	if n.Kind != yaml.MappingNode {
		b.errs.Addf(diag.At(b.file, n), "group %q: hosts must be a mapping of host names, got %s", g.name, kindName(n)).
			WithHint(`write each host as "name:" on its own line, not as a "- name" list item`)
		return
	}
	for _, p := range b.pairs(n, false) {
		b.hostListing(g, p.key, p.value)
	}
}

// hostListing adds the hosts one key names (several when it has ranges) to
// g, with the vars given there.
func (b *builder) hostListing(g *groupDef, key, value *yaml.Node) {
	pos := diag.At(b.file, key)
	names, e := expandHosts(key.Value)
	if e != nil {
		e.Pos = pos
		b.errs = append(b.errs, e)
		return
	}
	if !isNull(value) && value.Kind != yaml.MappingNode {
		b.errs.Addf(diag.At(b.file, value), "host %q: expected a mapping of vars or nothing, got %s", key.Value, kindName(value)).
			WithHint(`write vars as "name: value" indented below the host, or leave the value empty`)
		return
	}
	vars := b.vars(value, "host "+strconv.Quote(key.Value))
	for _, name := range names {
		if e := checkName("host", name); e != nil {
			e.Pos = pos
			b.errs = append(b.errs, e)
			return
		}
		b.addHost(g, name, pos, vars)
	}
}

// addHost records one listing of a host in g. Later listings override the
// vars of earlier ones key by key.
func (b *builder) addHost(g *groupDef, name string, pos diag.Pos, vars map[string]any) {
	h, ok := b.byName[name]
	if !ok {
		h = &hostDef{name: name, pos: pos, vars: map[string]any{}}
		b.byName[name] = h
		b.hosts = append(b.hosts, h)
	}
	maps.Copy(h.vars, vars)
	if !g.hasHost[name] {
		g.hasHost[name] = true
		g.hosts = append(g.hosts, name)
	}
}

// groupChildren walks a group's children mapping: group name to group.
func (b *builder) groupChildren(g *groupDef, n *yaml.Node) {
	if isNull(n) {
		return
	}
	if n.Kind != yaml.MappingNode {
		b.errs.Addf(diag.At(b.file, n), "group %q: children must be a mapping of group names, got %s", g.name, kindName(n)).
			WithHint(`write each child group as "name:" on its own line, not as a "- name" list item`)
		return
	}
	for _, p := range b.pairs(n, false) {
		b.group(p.key, p.value, g)
	}
}
