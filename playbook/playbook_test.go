package playbook

import (
	"strings"
	"testing"
	"time"
)

func TestParseFull(t *testing.T) {
	t.Parallel()
	pb, err := Parse("p.yaml", []byte(`
name: demo
inventory: inv.yaml
vars:
  a: 1
  b: "{{ a }}"
phases:
  - name: start
    hosts: controller
    tasks:
      - name: first
        command: "true"
        register: out
        when: host.os == "linux"
        retries: 2
        delay: 1.5
        timeout: 2m
        ignore_errors: true
        no_log: yes
        changed_when: "{{ out.rc == 0 }}"
  - name: fleet
    hosts: activegates:!dmz
    forks: 5
    max_fail_percentage: 10%
    vars: {c: 3}
    tasks:
      - file_replace:
`))
	if err != nil {
		t.Fatal(err)
	}
	if pb.Name != "demo" || pb.Inventory != "inv.yaml" || len(pb.Vars) != 2 || pb.Vars[1].Name != "b" {
		t.Fatalf("top level: %+v", pb)
	}
	ph := pb.Phases[0]
	task := ph.Tasks[0]
	if ph.Hosts != Controller || task.Module != "command" || task.Register != "out" || task.Retries != 2 ||
		task.Delay != 1500*time.Millisecond || task.Timeout != 2*time.Minute || !task.IgnoreErrors || !task.NoLog {
		t.Fatalf("task: %+v", task)
	}
	if task.When.Src != `host.os == "linux"` || task.ChangedWhen.Src != "out.rc == 0" {
		t.Fatalf("conditions: %q %q", task.When.Src, task.ChangedWhen.Src)
	}
	if task.When.Pos.String() != "p.yaml:14:15" {
		t.Fatalf("when position %s", task.When.Pos)
	}
	f := pb.Phases[1]
	if f.Forks != 5 || *f.MaxFailPercentage != 10 || f.Tasks[0].Args != nil || f.Tasks[0].Title() != "file_replace" {
		t.Fatalf("phase 2: %+v", f)
	}
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, src string
		want      []string
	}{
		{"list at top", "- hosts: all\n", []string{"p.yaml:1:1: a playbook is a mapping, not a list"}},
		{"no phases", "name: x\n", []string{"p.yaml:1:1: playbook has no phases"}},
		{"empty phases", "phases: []\n", []string{"p.yaml:1:9: phases must be a non-empty list"}},
		{"duplicate key", "name: a\nname: b\nphases: [{hosts: all, tasks: [{command: x}]}]\n",
			[]string{`p.yaml:2:1: playbook: key "name" given twice`}},
		{"bad var name", "vars: {my-var: 1}\nphases: [{hosts: all, tasks: [{command: x}]}]\n",
			[]string{`p.yaml:1:8: variable name "my-var" is not valid`}},
		{"reserved var", "vars: {len: 1}\nphases: [{hosts: all, tasks: [{command: x}]}]\n",
			[]string{`p.yaml:1:8: variable name "len" is reserved`}},
		{"task not mapping", "phases: [{hosts: all, tasks: [command]}]\n",
			[]string{"p.yaml:1:31: task must be a mapping"}},
		{"when not scalar", "phases: [{hosts: all, tasks: [{command: x, when: [a]}]}]\n",
			[]string{"p.yaml:1:50: when must be an expression"}},
		{"timeout not a duration", "phases: [{hosts: all, tasks: [{command: x, timeout: soon}]}]\n",
			[]string{`p.yaml:1:53: timeout must be a duration such as 30s or 2m, or a number of seconds, got "soon"`}},
		{"timeout infinite", "phases: [{hosts: all, tasks: [{command: x, timeout: inf}]}]\n",
			[]string{`p.yaml:1:53: timeout must be a duration`}},
		{"timeout too long", "phases: [{hosts: all, tasks: [{command: x, timeout: 1e30}]}]\n",
			[]string{`p.yaml:1:53: timeout must be a duration`}},
		{"delay NaN", "phases: [{hosts: all, tasks: [{command: x, retries: 2, delay: .nan}]}]\n",
			[]string{`delay must be a duration`}},
		{"bad yaml", "phases: [\n", []string{"p.yaml:1: invalid YAML: did not find expected node content"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := Parse("p.yaml", []byte(tc.src))
			if err == nil {
				t.Fatal("want an error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func TestLoadMissingFile(t *testing.T) {
	t.Parallel()
	if _, err := Load("/nonexistent/playbook.yaml"); err == nil || !strings.Contains(err.Error(), "read playbook") {
		t.Fatalf("got %v", err)
	}
}

func TestAnchorsAndAliases(t *testing.T) {
	t.Parallel()
	pb, err := Parse("p.yaml", []byte(`
phases:
  - name: p
    hosts: all
    tasks:
      - file_replace: &edit {path: /x, key: k, value: v}
      - file_replace: *edit
        check_mode: true
`))
	if err != nil {
		t.Fatal(err)
	}
	a, b := pb.Phases[0].Tasks[0], pb.Phases[0].Tasks[1]
	if b.Args == nil || b.Args.Kind != a.Args.Kind || len(b.Args.Content) != 6 || b.Args.Content[1].Value != "/x" {
		t.Fatalf("alias not resolved: %+v", b.Args)
	}
	if b.CheckMode == nil || !*b.CheckMode {
		t.Fatal("check_mode lost")
	}
}
