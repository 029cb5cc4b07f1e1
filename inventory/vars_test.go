package inventory

import (
	"reflect"
	"testing"
)

func TestVarPrecedence(t *testing.T) {
	t.Parallel()
	inv := load(t, "precedence.yml")
	allVars := map[string]any{"level": "all", "from_all": true, "settings": map[string]any{"a": 1, "b": 2}}
	with := func(extra map[string]any) map[string]any {
		out := map[string]any{}
		for k, v := range allVars {
			out[k] = v
		}
		for k, v := range extra {
			out[k] = v
		}
		return out
	}
	tests := []struct {
		host string
		rule string
		want map[string]any
	}{
		{"inherits", "all < parent < child; a dict is replaced, not merged; priority does not beat depth",
			with(map[string]any{"level": "child", "from_parent": true, "settings": map[string]any{"b": 3}})},
		{"own", "host vars beat every group",
			with(map[string]any{"level": "host", "from_parent": true, "settings": map[string]any{"b": 3}})},
		{"both", "same depth: later name wins; a group listed twice merges, later listing wins",
			with(map[string]any{"tie": "beta-again", "late": true})},
		{"relisted", "a host listed twice merges its vars, later listing wins",
			with(map[string]any{"tie": "beta-again", "late": true, "a": "alpha", "b": "beta", "c": "beta"})},
		{"prioritised", "higher ansible_group_priority beats alphabetical order",
			with(map[string]any{"tie": "aaa_priority"})},
	}
	for _, tt := range tests {
		t.Run(tt.host, func(t *testing.T) {
			t.Parallel()
			h, ok := inv.Host(tt.host)
			if !ok {
				t.Fatalf("Host(%q) not found", tt.host)
			}
			if !reflect.DeepEqual(h.Vars, tt.want) {
				t.Errorf("%s:\n got %v\nwant %v", tt.rule, h.Vars, tt.want)
			}
		})
	}
}

func TestGroupPriority(t *testing.T) {
	t.Parallel()
	inv := load(t, "precedence.yml")
	tests := []struct {
		group    string
		priority int
	}{
		{"parent", 100},
		{"aaa_priority", 20}, // written as the string "20"
		{"zzz_default", 1},
	}
	for _, tt := range tests {
		g, _ := inv.Group(tt.group)
		if g.Priority != tt.priority {
			t.Errorf("group %s: Priority = %d, want %d", tt.group, g.Priority, tt.priority)
		}
		if _, ok := g.Vars[priorityVar]; ok {
			t.Errorf("group %s: %s is left in Vars", tt.group, priorityVar)
		}
	}
}

func TestVarsAreNotShared(t *testing.T) {
	t.Parallel()
	inv := load(t, "precedence.yml")
	a, _ := inv.Host("both")
	b, _ := inv.Host("prioritised")
	a.Vars["settings"].(map[string]any)["a"] = "changed"
	if got := b.Vars["settings"].(map[string]any)["a"]; got != 1 {
		t.Errorf("changing one host's vars changed another's: settings.a = %v", got)
	}
}

func TestVarValues(t *testing.T) {
	t.Parallel()
	inv := load(t, "values.yml")
	h, _ := inv.Host("typed")
	want := map[string]any{
		"base":    map[string]any{"user": "ops", "port": 22},
		"int":     42,
		"float":   1.5,
		"bool":    true,
		"nothing": nil,
		"text":    "007",
		"date":    "2024-01-02", // kept as written, not a time.Time
		"list":    []any{1, "two", map[string]any{"three": 3}},
		"nested":  map[string]any{"1": "one", "key": []any{"a"}},
		"merged":  map[string]any{"user": "ops", "port": 2222},
		// Among merged mappings the first wins.
		"multi": map[string]any{"user": "ops", "port": 22, "shell": "bash"},
	}
	for k, w := range want {
		if got := h.Vars[k]; !reflect.DeepEqual(got, w) {
			t.Errorf("%s = %#v, want %#v", k, got, w)
		}
	}
	if len(h.Vars) != len(want) {
		t.Errorf("got %d vars, want %d: %v", len(h.Vars), len(want), h.Vars)
	}
}
