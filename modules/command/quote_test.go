package command

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

func TestQuoteArgv(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		argv []string
		want string
	}{
		{"plain words stay bare", []string{"systemctl", "is-active", "one_agent@1.service"}, "systemctl is-active one_agent@1.service"},
		{"blank", []string{"echo", "a b"}, "echo 'a b'"},
		{"single quote", []string{"echo", "it's"}, `echo 'it'\''s'`},
		{"double quote", []string{"echo", `say "hi"`}, `echo 'say "hi"'`},
		{"dollar and backtick", []string{"echo", "$HOME", "`id`", "$(id)"}, "echo '$HOME' '`id`' '$(id)'"},
		{"glob, tilde, comment", []string{"ls", "*", "~", "#x"}, "ls '*' '~' '#x'"},
		{"empty argument", []string{"printf", ""}, "printf ''"},
		{"assignment-like first word", []string{"A=b", "A=b"}, "'A=b' A=b"},
		{"newline", []string{"echo", "a\nb"}, "echo 'a\nb'"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := quoteArgv(tc.argv); got != tc.want {
				t.Errorf("quoteArgv(%q) = %s, want %s", tc.argv, got, tc.want)
			}
		})
	}
}

// TestQuoteArgvRoundTrip asks a real sh to split the quoted line back:
// the only judge of quoting that matters.
func TestQuoteArgvRoundTrip(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh")
	}
	args := []string{"a b", "it's", `"q"`, "$HOME", "`id`", "$(id)", "*", "~", "#c", "", "a\nb", `back\slash`, "x=y", "-n", "é 日本"}
	// printf repeats its format for every argument; NUL cannot occur in
	// an argument, so it separates them unambiguously.
	line := quoteArgv(append([]string{"printf", `%s\0`}, args...))
	out, err := exec.Command("sh", "-c", line).Output()
	if err != nil {
		t.Fatalf("sh -c %s: %v", line, err)
	}
	got := strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00")
	if !slices.Equal(got, args) {
		t.Errorf("sh split %s into\n%q\nwant\n%q", line, got, args)
	}
}
