package inventory

import (
	"maps"
	"slices"
	"strings"
)

// This file resolves the group tree: cycles, the implicit links to "all",
// depths and memberships.

// checkCycles reports every link that closes a cycle of children. Depths
// and memberships are only defined on an acyclic tree.
func (b *builder) checkCycles() {
	const (
		unvisited = iota
		onPath
		done
	)
	state := map[string]int{}
	var path []string
	var visit func(g *groupDef)
	visit = func(g *groupDef) {
		state[g.name] = onPath
		path = append(path, g.name)
		for _, e := range g.children {
			switch state[e.child] {
			case onPath:
				b.reportCycle(path, e)
			case unvisited:
				visit(b.groups[e.child])
			}
		}
		path = path[:len(path)-1]
		state[g.name] = done
	}
	for _, name := range slices.Sorted(maps.Keys(b.groups)) {
		if state[name] == unvisited {
			visit(b.groups[name])
		}
	}
}

// reportCycle reports the link e, from the last group on path back to a
// group already on it.
func (b *builder) reportCycle(path []string, e edge) {
	start := slices.Index(path, e.child)
	cycle := append(slices.Clone(path[start:]), e.child)
	parent := path[len(path)-1]
	b.errs.Addf(e.pos, "group %q is its own descendant: %s", e.child, strings.Join(cycle, " -> ")).
		WithHint("remove %q from the children of %q", e.child, parent)
}

// adoptOrphans makes every group that is nobody's child a child of "all",
// as Ansible does for groups listed at the top level.
func (b *builder) adoptOrphans() {
	all := b.groups[All]
	for _, name := range slices.Sorted(maps.Keys(b.groups)) {
		g := b.groups[name]
		if name != All && len(g.parents) == 0 {
			g.parents[All] = true
			all.children = append(all.children, edge{child: name})
		}
	}
}

// depth is the length of the longest chain of children from "all" to the
// group name, the order in which group vars override each other.
func (b *builder) depth(name string, memo map[string]int) int {
	if d, ok := memo[name]; ok {
		return d
	}
	d := 0
	for parent := range b.groups[name].parents {
		d = max(d, b.depth(parent, memo)+1)
	}
	memo[name] = d
	return d
}

// members returns the set of hosts of the group name, direct and through
// children.
func (b *builder) members(name string, memo map[string]map[string]bool) map[string]bool {
	if m, ok := memo[name]; ok {
		return m
	}
	g := b.groups[name]
	m := maps.Clone(g.hasHost)
	for _, e := range g.children {
		maps.Copy(m, b.members(e.child, memo))
	}
	memo[name] = m
	return m
}

// hostGroups maps each host to the names of its groups, sorted. A host is
// in "ungrouped" exactly when it has no group but "all", whether or not it
// is listed under "ungrouped": Ansible drops such listings too.
func (b *builder) hostGroups() map[string][]string {
	memo := map[string]map[string]bool{}
	out := map[string][]string{}
	for name := range b.groups {
		if name == Ungrouped {
			continue
		}
		for host := range b.members(name, memo) {
			out[host] = append(out[host], name)
		}
	}
	for _, h := range b.hosts {
		if len(out[h.name]) == 1 { // only "all"
			out[h.name] = append(out[h.name], Ungrouped)
		}
		slices.Sort(out[h.name])
	}
	return out
}
