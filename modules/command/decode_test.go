package command

import (
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/rotplay/rotplay/modules"
)

const commandHintText = ` (write "command: <line>", or give cmd (a shell command line) or argv (a list of arguments) below command:)`

// decode decodes the arguments of the task in src, a mapping whose one key
// is command, as the engine would hand them over.
func decode(t *testing.T, src string) (modules.Action, error) {
	t.Helper()
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
		t.Fatal(err)
	}
	return New().Decode("play.yml", doc.Content[0].Content[1])
}

func TestDecodeErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, src, want string
	}{
		{"both cmd and argv", "command:\n  cmd: ls\n  argv: [ls]\n",
			"play.yml:2:3: command: both cmd and argv given" + commandHintText},
		{"neither cmd nor argv", "command:\n  chdir: /tmp\n",
			"play.yml:2:3: command: neither cmd nor argv given" + commandHintText},
		{"no arguments", "command:\n",
			"play.yml:1:9: command: no command given" + commandHintText},
		{"blank free form", "command: \"  \"\n",
			"play.yml:1:10: command: the command line is empty" + commandHintText},
		{"list", "command: [a]\n",
			"play.yml:1:10: command: arguments must be a command line or a mapping, got a list (to give a list of arguments, write it below argv:)"},
		{"unknown argument", "command:\n  cmd: ls\n  chdri: /tmp\n",
			`play.yml:3:3: command: unknown argument "chdri" (did you mean "chdir"?)`},
		{"cmd not a string, reported once", "command:\n  cmd: [a, b]\n",
			`play.yml:2:8: command: argument "cmd": expected a string, got a list`},
		{"argv not a list", "command:\n  argv: 3\n",
			`play.yml:2:9: command: argument "argv": expected a list of string, got "3"`},
		{"empty cmd", "command:\n  cmd: \"\"\n",
			"play.yml:2:8: command: cmd is empty" + commandHintText},
		{"empty argv", "command:\n  argv: []\n",
			"play.yml:2:9: command: argv is empty (list the program and its arguments, e.g. argv: [systemctl, restart, oneagent])"},
		{"all problems at once, in order", "command:\n  cmd: ls\n  removes: ./bar\n  creates: foo\n  bogus: 1\n",
			`play.yml:3:12: command: removes must be an absolute path, got "./bar" (write the full path: a relative one would depend on where the connection starts)` + "\n" +
				`play.yml:4:12: command: creates must be an absolute path, got "foo" (write the full path: a relative one would depend on where the connection starts)` + "\n" +
				`play.yml:5:3: command: unknown argument "bogus" (command takes: argv, chdir, cmd, creates, removes, stdin)`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			act, err := decode(t, tc.src)
			if err == nil || err.Error() != tc.want || act != nil {
				t.Errorf("Decode error:\n%v\nwant:\n%s", err, tc.want)
			}
		})
	}
}

// TestDecode checks what a valid task runs. Templates are left as they
// are: the run-time Decode sees them rendered.
func TestDecode(t *testing.T) {
	t.Parallel()
	stdin := "token\n"
	tests := []struct {
		name, src string
		want      action
	}{
		{"free form", "command: systemctl is-active oneagent\n",
			action{line: "systemctl is-active oneagent"}},
		{"cmd", "command:\n  cmd: ls | wc -l\n  chdir: /opt\n",
			action{line: "ls | wc -l", dir: "/opt"}},
		{"argv", "command:\n  argv: [printf, '%s\\n', \"it's $HOME\"]\n",
			action{line: `printf '%s\n' 'it'\''s $HOME'`, argv: true}},
		{"stdin", "command:\n  cmd: cat\n  stdin: \"token\\n\"\n",
			action{line: "cat", stdin: &stdin}},
		{"guards", "command:\n  cmd: install\n  creates: /opt/x\n  removes: 'C:\\x'\n",
			action{line: "install", creates: "/opt/x", removes: `C:\x`}},
		{"templated paths are checked later", "command:\n  cmd: ls\n  creates: '{{ dir }}/x'\n",
			action{line: "ls", creates: "{{ dir }}/x"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			act, err := decode(t, tc.src)
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			got := *act.(*action)
			if got.line != tc.want.line || got.argv != tc.want.argv || got.dir != tc.want.dir ||
				got.creates != tc.want.creates || got.removes != tc.want.removes ||
				(got.stdin == nil) != (tc.want.stdin == nil) || (got.stdin != nil && *got.stdin != *tc.want.stdin) {
				t.Errorf("Decode = %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestInfo(t *testing.T) {
	t.Parallel()
	if info := New().Info(); info.Name != "command" || info.Controller || info.Summary == "" {
		t.Errorf("Info() = %+v", info)
	}
}
