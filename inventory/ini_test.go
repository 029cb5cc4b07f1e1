package inventory

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
)

func TestParseINI(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		src    string
		host   string
		groups []string
		vars   map[string]any
	}{
		{"before any section", "h1\n", "h1", []string{"all", "ungrouped"}, map[string]any{}},
		{"inline values", "[ag]\nag-1 ansible_host=10.0.0.5 ansible_port=2222 f=1.5 b=True n=None t=true s='x y' q=\"a b\" z=010 l=[1,2]\n",
			"ag-1", []string{"ag", "all"}, map[string]any{"ansible_host": "10.0.0.5", "ansible_port": 2222, "f": 1.5,
				"b": true, "n": nil, "t": "true", "s": "x y", "q": "a b", "z": "010", "l": []any{1, 2}}},
		{"comments", "# c\n; c\n[g] # c\nh1 a=1 # trailing\n", "h1", []string{"all", "g"}, map[string]any{"a": 1}},
		{"group vars", "[g]\nh1\n[g:vars]\nport = 5432\nname=\"a b\"\nraw=hello world\nansible_group_priority=5\n",
			"h1", []string{"all", "g"}, map[string]any{"port": 5432, "name": "a b", "raw": "hello world"}},
		{"all vars", "h1\n[all:vars]\nansible_user=ops\n", "h1", []string{"all", "ungrouped"}, map[string]any{"ansible_user": "ops"}},
		{"children, declared after use", "[p:children]\nc\n[p:vars]\nx=p\n[c]\nh1\n[c:vars]\nx=c\n",
			"h1", []string{"all", "c", "p"}, map[string]any{"x": "c"}},
		{"range", "[web]\nweb[01:10] x=1\n", "web07", []string{"all", "web"}, map[string]any{"x": 1}},
		{"host listed twice", "[a]\nh1 x=1 y=1\n[b]\nh1 y=2\n", "h1", []string{"a", "all", "b"}, map[string]any{"x": 1, "y": 2}},
		{"escapes", `h1 s="a\"b" u=a\ b`, "h1", []string{"all", "ungrouped"}, map[string]any{"s": `a"b`, "u": "a b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			inv, err := Parse("hosts.ini", []byte(tt.src))
			if err != nil {
				t.Fatal(err)
			}
			h, ok := inv.Host(tt.host)
			if !ok {
				t.Fatalf("no host %q in %q", tt.host, hostNames(inv.Hosts()))
			}
			if !slices.Equal(h.Groups, tt.groups) {
				t.Errorf("Groups = %q, want %q", h.Groups, tt.groups)
			}
			if !reflect.DeepEqual(h.Vars, tt.vars) {
				t.Errorf("Vars = %#v\nwant %#v", h.Vars, tt.vars)
			}
		})
	}
}

func TestINIPriority(t *testing.T) {
	t.Parallel()
	inv, err := Parse("hosts", []byte("[a]\nh1\n[b]\nh1\n[a:vars]\nx=a\nansible_group_priority=5\n[b:vars]\nx=b\n"))
	if err != nil {
		t.Fatal(err)
	}
	if g, _ := inv.Group("a"); g.Priority != 5 {
		t.Errorf("a.Priority = %d, want 5", g.Priority)
	}
	if h, _ := inv.Host("h1"); h.Vars["x"] != "a" {
		t.Errorf("x = %v, want a (priority beats name)", h.Vars["x"])
	}
}

func TestFormatDetection(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file, src string
		ini       bool
	}{
		{"hosts", "# c\n[web]\nh1\n", true},
		{"hosts", "h1 ansible_port=22\n", true},
		{"hosts", "h1\n", true},
		{"hosts", "all:\n  hosts:\n", false},
		{"hosts", "---\nall:\n", false},
		{"hosts", "[a, b]\n", false},
		{"inv.ini", "all:\n", true},
		{"inv.yml", "[web]\n", false},
		{"inv.txt", "[web servers]\n", true},
	}
	for _, tt := range tests {
		if got := isINI(tt.file, []byte(tt.src)); got != tt.ini {
			t.Errorf("isINI(%q, %q) = %v, want %v", tt.file, tt.src, got, tt.ini)
		}
	}
}

const equivalentINI = `
ctl.example.com

[activegates]
ag-1.example.com ansible_host=10.0.0.5 ansible_port=2222
ag-dmz-[01:03].example.com

[activegates:vars]
ansible_user=gateway
ansible_group_priority=3

[ag_windows]
agw-1 ansible_connection=winrm

[activegates:children]
ag_windows

[all:vars]
ansible_user=ops
timeout=30
`

const equivalentYAML = `
all:
  vars: {ansible_user: ops, timeout: 30}
  hosts:
    ctl.example.com:
  children:
    activegates:
      vars: {ansible_user: gateway, ansible_group_priority: 3}
      hosts:
        ag-1.example.com: {ansible_host: 10.0.0.5, ansible_port: 2222}
        ag-dmz-[01:03].example.com:
      children:
        ag_windows:
          hosts:
            agw-1: {ansible_connection: winrm}
`

// TestINIMatchesYAML checks that an INI inventory and its YAML equivalent
// give the same hosts, groups and vars.
func TestINIMatchesYAML(t *testing.T) {
	t.Parallel()
	ini, err := Parse("hosts", []byte(equivalentINI))
	if err != nil {
		t.Fatal(err)
	}
	yml, err := Parse("hosts.yml", []byte(equivalentYAML))
	if err != nil {
		t.Fatal(err)
	}
	if a, b := hostNames(ini.Hosts()), hostNames(yml.Hosts()); !slices.Equal(a, b) {
		t.Fatalf("hosts: INI %q, YAML %q", a, b)
	}
	for _, h := range ini.Hosts() {
		y, _ := yml.Host(h.Name)
		if !reflect.DeepEqual(h.Vars, y.Vars) || !slices.Equal(h.Groups, y.Groups) {
			t.Errorf("host %s: INI %v %q, YAML %v %q", h.Name, h.Vars, h.Groups, y.Vars, y.Groups)
		}
	}
	if a, b := ini.GroupNames(), yml.GroupNames(); !slices.Equal(a, b) {
		t.Fatalf("groups: INI %q, YAML %q", a, b)
	}
	for _, name := range ini.GroupNames() {
		g, _ := ini.Group(name)
		y, _ := yml.Group(name)
		if !slices.Equal(g.Hosts, y.Hosts) || !slices.Equal(g.Children, y.Children) || !slices.Equal(g.Parents, y.Parents) ||
			!reflect.DeepEqual(g.Vars, y.Vars) || g.Priority != y.Priority || g.Depth != y.Depth {
			t.Errorf("group %s differs:\n INI %+v\nYAML %+v", name, g, y)
		}
	}
}

// writeFiles creates files (path to content) under dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
