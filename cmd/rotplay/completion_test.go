package main

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestBashCompletion loads the generated script into a real bash and asks
// it to complete.
func TestBashCompletion(t *testing.T) {
	t.Parallel()
	res := runCLI(t, context.Background(), "completion", "bash")
	if res.code != 0 {
		t.Fatalf("%s", res)
	}
	script := t.TempDir() + "/rotplay.bash"
	if err := os.WriteFile(script, []byte(res.stdout), 0o644); err != nil {
		t.Fatal(err)
	}
	complete := func(words ...string) string {
		t.Helper()
		line := `source ` + script + `; COMP_WORDS=(` + strings.Join(words, " ") + `); COMP_CWORD=` +
			string(rune('0'+len(words)-1)) + `; _rotplay; printf '%s\n' "${COMPREPLY[@]}"`
		out, err := exec.Command("bash", "-c", line).CombinedOutput()
		if err != nil {
			t.Fatalf("bash: %v\n%s", err, out)
		}
		return string(out)
	}
	if got := complete("rotplay", "ro"); !strings.Contains(got, "rollback") {
		t.Errorf("rotplay ro<TAB> = %q", got)
	}
	if got := complete("rotplay", "run", "--fini"); strings.TrimSpace(got) != "--finish-anyway" {
		t.Errorf("rotplay run --fini<TAB> = %q", got)
	}
	if got := complete("rotplay", "graph", "--format", "me"); strings.TrimSpace(got) != "mermaid" {
		t.Errorf("rotplay graph --format me<TAB> = %q", got)
	}
	zsh := runCLI(t, context.Background(), "completion", "zsh")
	if !strings.HasPrefix(zsh.stdout, "#compdef rotplay") || !strings.Contains(zsh.stdout, "complete -o filenames -F _rotplay rotplay") {
		t.Errorf("zsh script: %s", zsh)
	}
}
