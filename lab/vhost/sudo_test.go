package vhost

import (
	"strings"
	"testing"
)

func TestSudo(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		opts  Options
		line  string
		stdin string
		want  lineTest
	}{
		{"passwordless", Options{User: "ops"}, "sudo -n -- id -u", "", lineTest{code: 0, stdout: "0\n"}},
		{"as user", Options{User: "ops"}, "sudo -n -u ops -- id -un", "", lineTest{code: 0, stdout: "ops\n"}},
		{"as uid", Options{User: "ops"}, "sudo -n -u '#0' id -u", "", lineTest{code: 0, stdout: "0\n"}},
		{"unknown user", Options{User: "ops"}, "sudo -n -u nobody id", "", lineTest{code: 1, stderrPart: "sudo: unknown user nobody"}},
		{"env reset", Options{User: "ops"}, "FOO=1 sudo -n sh -c 'echo $HOME:$USER:$SUDO_USER:${FOO:-unset}'", "", lineTest{code: 0, stdout: "/root:root:ops:unset\n"}},
		{"env kept", Options{User: "ops"}, "FOO=1 sudo -n -E sh -c 'echo ${FOO:-unset}'", "", lineTest{code: 0, stdout: "1\n"}},
		{"password required", Options{User: "ops", SudoPassword: "pw"}, "sudo -n -- id -u", "", lineTest{code: 1, stderrPart: "sudo: a password is required"}},
		{"no terminal", Options{User: "ops", SudoPassword: "pw"}, "sudo id -u", "", lineTest{code: 1, stderrPart: "a terminal is required"}},
		{"password on stdin", Options{User: "ops", SudoPassword: "pw"}, "sudo -S -p '' sh -c 'id -u; cat'", "pw\nrest", lineTest{code: 0, stdout: "0\nrest"}},
		{"wrong password", Options{User: "ops", SudoPassword: "pw"}, "sudo -S id -u", "nope\n", lineTest{code: 1, stderrPart: "incorrect password attempt"}},
		{"not in sudoers", Options{User: "ops", NoSudo: true}, "sudo id -u", "", lineTest{code: 1, stderrPart: "ops is not in the sudoers file"}},
		{"not in sudoers -n", Options{User: "ops", NoSudo: true}, "sudo -n id -u", "", lineTest{code: 1, stderrPart: "sudo: a password is required"}},
		{"root needs nothing", Options{NoSudo: true}, "sudo -n id -u", "", lineTest{code: 0, stdout: "0\n"}},
		{"no command", Options{User: "ops"}, "sudo -n", "", lineTest{code: 1, stderrPart: "a command is required"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newTestHost(t, tc.opts)
			check(t, tc.line, h.runIn(tc.line, strings.NewReader(tc.stdin)), tc.want.code, tc.want.stdout, tc.want.stderrPart)
		})
	}
}
