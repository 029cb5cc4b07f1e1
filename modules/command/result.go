package command

import (
	"fmt"
	"strings"

	"github.com/rotplay/rotplay/modules"
	"github.com/rotplay/rotplay/transport"
)

// result turns how the command ended into the module's Result. stdout and
// stderr lose their trailing line breaks, as in Ansible, so that a test
// like `svc.stdout == "active"` works.
func result(line string, out transport.Result) modules.Result {
	stdout := strings.TrimRight(string(out.Stdout), "\r\n")
	stderr := strings.TrimRight(string(out.Stderr), "\r\n")
	msg := firstLine(stderr)
	if msg == "" {
		msg = firstLine(stdout)
	}
	if out.ExitCode != 0 {
		// Say how it failed even when the command printed nothing.
		msg = strings.TrimSuffix(fmt.Sprintf("exit code %d: %s", out.ExitCode, msg), ": ")
	}
	return modules.Result{
		Changed: true,
		Failed:  out.ExitCode != 0,
		Msg:     msg,
		Values: map[string]any{
			"cmd":          line,
			"rc":           out.ExitCode,
			"stdout":       stdout,
			"stderr":       stderr,
			"stdout_lines": lines(stdout),
			"stderr_lines": lines(stderr),
		},
	}
}

// firstLine returns the first line of s that is not blank, trimmed.
func firstLine(s string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(line)
}

// lines splits s into lines without their endings. It returns []any, the
// type templates index and iterate, and an empty list for empty output.
func lines(s string) []any {
	out := []any{}
	if s == "" {
		return out
	}
	for l := range strings.SplitSeq(s, "\n") {
		out = append(out, strings.TrimSuffix(l, "\r"))
	}
	return out
}
