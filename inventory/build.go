package inventory

import (
	"maps"
	"slices"
)

// build turns what the builder collected into an Inventory. It runs only
// when parsing found no errors, so the group tree is acyclic.
func (b *builder) build() *Inventory {
	b.adoptOrphans()
	inv := &Inventory{File: b.file, byName: map[string]*Host{}, groups: map[string]*Group{}}
	depths := map[string]int{}
	for name, g := range b.groups {
		inv.groups[name] = &Group{
			Name:     name,
			Children: childNames(g),
			Parents:  slices.Sorted(maps.Keys(g.parents)),
			Vars:     withFileVars(g.vars, g.fileVars),
			Priority: g.priority,
			Depth:    b.depth(name, depths),
			Pos:      g.pos,
			inline:   g.vars,
			file:     g.fileVars,
		}
	}
	groupsOf := b.hostGroups()
	for i, hd := range b.hosts {
		h := &Host{Name: hd.name, Groups: groupsOf[hd.name], Pos: hd.pos, index: i}
		groups := make([]*Group, len(h.Groups))
		for j, name := range h.Groups {
			groups[j] = inv.groups[name]
			// Hosts are visited in inventory order, so each group's
			// Hosts come out in inventory order too.
			groups[j].Hosts = append(groups[j].Hosts, h.Name)
		}
		h.Vars = hostVars(hd, groups)
		inv.hosts = append(inv.hosts, h)
		inv.byName[h.Name] = h
	}
	return inv
}

func childNames(g *groupDef) []string {
	names := make([]string, len(g.children))
	for i, e := range g.children {
		names[i] = e.child
	}
	slices.Sort(names)
	return names
}

// withFileVars is a group's vars as Group.Vars reports them: those of the
// inventory file, overridden by those of its group_vars files.
func withFileVars(inline, file map[string]any) map[string]any {
	if len(file) == 0 {
		return inline
	}
	out := maps.Clone(inline)
	maps.Copy(out, file)
	return out
}
