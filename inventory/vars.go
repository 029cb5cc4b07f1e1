package inventory

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/rotplay/rotplay/diag"
)

// This file owns variable precedence; the package documentation states it
// for users, and hostVars below is the one place that implements it.

// hostVars merges the vars of a host's groups and its own vars, from the
// lowest precedence to the highest, in Ansible's layers: the inventory
// file's group vars, then group_vars/all, then the group_vars files of the
// other groups, then the inventory file's host vars, then host_vars files.
// Within each group layer, groups go in mergeOrder. groups holds every group
// of the host, "all" included.
func hostVars(hd *hostDef, groups []*Group) map[string]any {
	ordered := slices.Clone(groups)
	slices.SortFunc(ordered, mergeOrder)
	out := map[string]any{}
	put := func(vars map[string]any) {
		for k, v := range vars {
			out[k] = clone(v)
		}
	}
	for _, g := range ordered {
		put(g.inline)
	}
	// "all" sorts first, so this layer puts group_vars/all lowest.
	for _, g := range ordered {
		put(g.file)
	}
	put(hd.vars)
	put(hd.fileVars)
	return out
}

// mergeOrder sorts groups as Ansible's sort_groups does: by depth, then
// ansible_group_priority, then name; what sorts later wins. "all" is the
// only group of depth 0, so it always comes first.
func mergeOrder(a, b *Group) int {
	return cmp.Or(
		cmp.Compare(a.Depth, b.Depth),
		cmp.Compare(a.Priority, b.Priority),
		cmp.Compare(a.Name, b.Name),
	)
}

// groupVars merges one vars listing into g, taking ansible_group_priority
// out of the vars.
func (b *builder) groupVars(g *groupDef, n *yaml.Node) {
	vars := b.vars(n, "group "+strconv.Quote(g.name))
	b.setGroupVars(g, vars, func() diag.Pos { return b.varPos(n, priorityVar) })
}

// setGroupVars merges vars into g, later listings overriding earlier keys.
// ansible_group_priority sets g.priority instead; priorityPos says where
// it is written, for the error when it is not an integer.
func (b *builder) setGroupVars(g *groupDef, vars map[string]any, priorityPos func() diag.Pos) {
	if v, ok := vars[priorityVar]; ok {
		delete(vars, priorityVar)
		if p, ok := groupPriority(v); ok {
			g.priority = p
		} else {
			b.errs.Addf(priorityPos(), "group %q: %s must be an integer, got %s", g.name, priorityVar, describe(v)).
				WithHint("higher numbers win over groups of the same depth; the default is 1")
		}
	}
	maps.Copy(g.vars, vars)
}

// priorityVar is the group variable that orders groups of the same depth.
const priorityVar = "ansible_group_priority"

// groupPriority accepts an integer or, as Ansible's int() does, a string
// holding one.
func groupPriority(v any) (int, bool) {
	switch v := v.(type) {
	case int:
		return v, true
	case string:
		p, err := strconv.Atoi(strings.TrimSpace(v))
		return p, err == nil
	}
	return 0, false
}

// varPos is the position of the value of key in the vars mapping n, or of
// n itself when key came in through a merge key.
func (b *builder) varPos(n *yaml.Node, key string) diag.Pos {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return diag.At(b.file, resolve(n.Content[i+1]))
		}
	}
	return diag.At(b.file, n)
}

// describe renders a decoded value for a message.
func describe(v any) string {
	if s, ok := v.(string); ok {
		return strconv.Quote(s)
	}
	return fmt.Sprint(v)
}
