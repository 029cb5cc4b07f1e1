package command

import (
	"strings"

	"github.com/rotplay/rotplay/internal/shquote"
)

// quoteArgv joins argv into a POSIX sh command line that sh splits back
// into exactly argv, with nothing expanded.
func quoteArgv(argv []string) string {
	quoted := make([]string, len(argv))
	for i, arg := range argv {
		if i == 0 && strings.Contains(arg, "=") {
			// A bare NAME=value first word is a variable assignment to sh,
			// not the program to run.
			quoted[i] = shquote.Always(arg)
			continue
		}
		quoted[i] = shquote.Word(arg)
	}
	return strings.Join(quoted, " ")
}
