package inventory

import (
	"errors"
	"io/fs"
	"slices"
	"testing"
)

// load parses a testdata inventory, failing the test on error.
func load(t *testing.T, name string) *Inventory {
	t.Helper()
	inv, err := Load("testdata/" + name)
	if err != nil {
		t.Fatalf("Load(%s): %v", name, err)
	}
	return inv
}

func hostNames(hosts []*Host) []string {
	names := make([]string, len(hosts))
	for i, h := range hosts {
		names[i] = h.Name
	}
	return names
}

func TestHostsInFileOrder(t *testing.T) {
	t.Parallel()
	inv := load(t, "nested.yml")
	want := []string{
		"ctl.example.com", "ag-1.example.com",
		"ag-dmz-01.example.com", "ag-dmz-02.example.com", "ag-dmz-03.example.com",
		"agw-1", "weba.example.com", "webb.example.com", "webc.example.com",
		"bastion.example.com",
	}
	if got := hostNames(inv.Hosts()); !slices.Equal(got, want) {
		t.Errorf("Hosts() = %q\nwant %q", got, want)
	}
}

func TestGroups(t *testing.T) {
	t.Parallel()
	inv := load(t, "nested.yml")
	wantNames := []string{"activegates", "ag_windows", "all", "oneagents", "staging", "ungrouped"}
	if got := inv.GroupNames(); !slices.Equal(got, wantNames) {
		t.Errorf("GroupNames() = %q, want %q", got, wantNames)
	}
	tests := []struct {
		name     string
		hosts    []string // in inventory order
		children []string
		parents  []string
		depth    int
		pos      string
	}{
		{name: "all", hosts: hostNames(inv.Hosts()), children: []string{"activegates", "oneagents", "staging", "ungrouped"},
			depth: 0, pos: "testdata/nested.yml:2:1"},
		{name: "activegates", hosts: []string{"ag-1.example.com", "ag-dmz-01.example.com", "ag-dmz-02.example.com", "ag-dmz-03.example.com", "agw-1"},
			children: []string{"ag_windows"}, parents: []string{"all"}, depth: 1, pos: "testdata/nested.yml:8:5"},
		{name: "ag_windows", hosts: []string{"agw-1"}, parents: []string{"activegates", "staging"}, depth: 2, pos: "testdata/nested.yml:15:9"},
		{name: "staging", hosts: []string{"ag-dmz-02.example.com", "agw-1", "webb.example.com"},
			children: []string{"ag_windows"}, parents: []string{"all"}, depth: 1, pos: "testdata/nested.yml:21:1"},
		{name: "oneagents", hosts: []string{"weba.example.com", "webb.example.com", "webc.example.com"}, parents: []string{"all"}, depth: 1, pos: "testdata/nested.yml:18:5"},
		// webc is listed under ungrouped but belongs to oneagents.
		{name: "ungrouped", hosts: []string{"ctl.example.com", "bastion.example.com"}, parents: []string{"all"}, depth: 1, pos: "testdata/nested.yml:27:1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g, ok := inv.Group(tt.name)
			if !ok {
				t.Fatalf("Group(%q) not found", tt.name)
			}
			if !slices.Equal(g.Hosts, tt.hosts) {
				t.Errorf("Hosts = %q, want %q", g.Hosts, tt.hosts)
			}
			if !slices.Equal(g.Children, tt.children) {
				t.Errorf("Children = %q, want %q", g.Children, tt.children)
			}
			if !slices.Equal(g.Parents, tt.parents) {
				t.Errorf("Parents = %q, want %q", g.Parents, tt.parents)
			}
			if g.Depth != tt.depth {
				t.Errorf("Depth = %d, want %d", g.Depth, tt.depth)
			}
			if got := g.Pos.String(); got != tt.pos {
				t.Errorf("Pos = %s, want %s", got, tt.pos)
			}
		})
	}
}

func TestHostGroupsAndPos(t *testing.T) {
	t.Parallel()
	inv := load(t, "nested.yml")
	tests := []struct {
		host   string
		groups []string
		pos    string
	}{
		{"ctl.example.com", []string{"all", "ungrouped"}, "testdata/nested.yml:6:5"},
		{"agw-1", []string{"activegates", "ag_windows", "all", "staging"}, "testdata/nested.yml:17:13"},
		// First listed through the range, later again under staging.
		{"ag-dmz-02.example.com", []string{"activegates", "all", "staging"}, "testdata/nested.yml:13:9"},
		{"webc.example.com", []string{"all", "oneagents"}, "testdata/nested.yml:20:9"},
		{"bastion.example.com", []string{"all", "ungrouped"}, "testdata/nested.yml:29:5"},
	}
	for _, tt := range tests {
		t.Run(tt.host, func(t *testing.T) {
			t.Parallel()
			h, ok := inv.Host(tt.host)
			if !ok {
				t.Fatalf("Host(%q) not found", tt.host)
			}
			if !slices.Equal(h.Groups, tt.groups) {
				t.Errorf("Groups = %q, want %q", h.Groups, tt.groups)
			}
			if got := h.Pos.String(); got != tt.pos {
				t.Errorf("Pos = %s, want %s", got, tt.pos)
			}
		})
	}
}

func TestLookupMisses(t *testing.T) {
	t.Parallel()
	inv := load(t, "nested.yml")
	if _, ok := inv.Host("nope"); ok {
		t.Error(`Host("nope") found`)
	}
	if _, ok := inv.Group("nope"); ok {
		t.Error(`Group("nope") found`)
	}
	// Hosts returns a copy: changing it must not change the inventory.
	inv.Hosts()[0] = nil
	if inv.Hosts()[0] == nil {
		t.Error("Hosts() exposes the inventory's own slice")
	}
}

func TestLoadMissingFile(t *testing.T) {
	t.Parallel()
	_, err := Load("testdata/does-not-exist.yml")
	if !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("Load: got %v, want an error wrapping fs.ErrNotExist", err)
	}
	const want = "read inventory: open testdata/does-not-exist.yml: no such file or directory"
	if err.Error() != want {
		t.Errorf("Load error = %q, want %q", err, want)
	}
}

func TestAnchors(t *testing.T) {
	t.Parallel()
	inv := load(t, "anchors.yml")
	g, _ := inv.Group("web_copy")
	if want := []string{"web1", "web2"}; !slices.Equal(g.Hosts, want) {
		t.Errorf("web_copy.Hosts = %q, want %q", g.Hosts, want)
	}
	db1, _ := inv.Host("db1")
	if got := db1.Vars["engine"]; got != "mysql" {
		t.Errorf("db1 engine = %v, want mysql: the host's own key beats the merged one", got)
	}
	web2, _ := inv.Host("web2")
	if got := web2.Vars["port"]; got != 8080 {
		t.Errorf("web2 port = %v, want 8080", got)
	}
}
