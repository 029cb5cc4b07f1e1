package inventory

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestVarsDirs checks group_vars and host_vars next to the inventory, and
// Ansible's layering: every inventory-file group var < group_vars/all <
// other group_vars files (by depth) < inventory-file host vars < host_vars.
func TestVarsDirs(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"hosts": `[parent:children]
child
[child]
h1 x=inline
h2
[other]
h1
[parent:vars]
a=inline-parent
b=inline-parent
[child:vars]
c=inline-child
[all:vars]
d=inline-all
`,
		"group_vars/all.yml":             "a: file-all\nc: file-all\nd: file-all\n",
		"group_vars/parent.yml":          "a: file-parent\n",
		"group_vars/child/10.yml":        "e: first\nf: first\n",
		"group_vars/child/20.yaml":       "f: second\n",
		"group_vars/child/sub/x.yml":     "g: sub\n",
		"group_vars/child/.hidden.yml":   "e: hidden\n",
		"group_vars/child/notes.txt":     "not: [yaml",
		"group_vars/child/backup.yml~":   "e: backup\n",
		"group_vars/nosuch.yml":          "e: ignored\n",
		"group_vars/other":               "o: plain\n",
		"group_vars/other.yml":           "o: yml\n",
		"host_vars/h1.json":              `{"x": "file", "a": "host-file"}`,
		"host_vars/h2.yml":               "d: host-file\n",
		"host_vars/not-in-inventory.yml": "d: ignored\n",
	})
	inv, err := Load(filepath.Join(dir, "hosts"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		host string
		want map[string]any
	}{
		{"h1", map[string]any{"x": "file", "a": "host-file", "b": "inline-parent", "c": "file-all", "d": "file-all",
			"e": "first", "f": "second", "g": "sub", "o": "plain"}},
		{"h2", map[string]any{"a": "file-parent", "b": "inline-parent", "c": "file-all", "d": "host-file",
			"e": "first", "f": "second", "g": "sub"}},
	}
	for _, tt := range tests {
		h, _ := inv.Host(tt.host)
		if !reflect.DeepEqual(h.Vars, tt.want) {
			t.Errorf("%s:\n got %v\nwant %v", tt.host, h.Vars, tt.want)
		}
	}
	child, _ := inv.Group("child")
	want := map[string]any{"c": "inline-child", "e": "first", "f": "second", "g": "sub"}
	if !reflect.DeepEqual(child.Vars, want) {
		t.Errorf("child.Vars = %v, want %v (file vars over inline)", child.Vars, want)
	}
}

// TestVarsDirsYAMLSameLevel checks that at the same level a file var
// overrides the inventory's, for a YAML inventory too, and that Parse
// reads no directories.
func TestVarsDirsYAMLSameLevel(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := "all:\n  vars: {x: inline}\n  hosts:\n    h1: {y: inline}\n"
	writeFiles(t, dir, map[string]string{
		"inventory.yml":      src,
		"group_vars/all.yml": "x: file\n",
		"host_vars/h1.yml":   "y: file\n",
	})
	inv, err := Load(filepath.Join(dir, "inventory.yml"))
	if err != nil {
		t.Fatal(err)
	}
	h, _ := inv.Host("h1")
	if want := map[string]any{"x": "file", "y": "file"}; !reflect.DeepEqual(h.Vars, want) {
		t.Errorf("Vars = %v, want %v", h.Vars, want)
	}
	inv, err = Parse(filepath.Join(dir, "inventory.yml"), []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	h, _ = inv.Host("h1")
	if want := map[string]any{"x": "inline", "y": "inline"}; !reflect.DeepEqual(h.Vars, want) {
		t.Errorf("Parse: Vars = %v, want %v", h.Vars, want)
	}
}

func TestVarsDirsErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"hosts":                      "h1\n",
		"group_vars/all.yml":         "- a list\n",
		"group_vars/ungrouped/v.yml": "$ANSIBLE_VAULT;1.1;AES256\n3132\n",
		"host_vars/h1.yml":           "a: 1\na: 2\n",
	})
	_, err := Load(filepath.Join(dir, "hosts"))
	if err == nil {
		t.Fatal("Load succeeded, want errors")
	}
	got := strings.ReplaceAll(err.Error(), dir+string(filepath.Separator), "")
	for _, want := range []string{
		`group_vars/all.yml:1:1: vars file for group "all": vars must be a mapping of name: value, got a list`,
		`group_vars/ungrouped/v.yml:1:1: vars file is encrypted with ansible-vault`,
		`host_vars/h1.yml:2:1: duplicate key "a"`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("errors lack %q:\n%s", want, got)
		}
	}
}
