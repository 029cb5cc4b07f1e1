package ssh

import (
	"strings"

	"github.com/rotplay/rotplay/internal/shquote"
)

// remotePath makes path safe as a utility operand: a relative path that
// starts with "-" would be taken for an option. Paths are otherwise
// passed as they are; relative ones are relative to the login directory.
func remotePath(path string) string {
	if strings.HasPrefix(path, "-") {
		return "./" + path
	}
	return path
}

// shCommand returns the exec line that runs script with sh, with args as
// its positional parameters ($1, ...), under sudo when becoming.
func (c *conn) shCommand(script string, args ...string) string {
	var b strings.Builder
	b.WriteString(c.sudo)
	b.WriteString("sh -c ")
	b.WriteString(shquote.Always(script))
	if len(args) > 0 {
		b.WriteString(" sh") // $0
		for _, a := range args {
			b.WriteString(" ")
			b.WriteString(shquote.Always(a))
		}
	}
	return b.String()
}

// sudoPrefix returns the command prefix that runs a command as becomeUser
// (root when ""): -n makes sudo fail at once instead of prompting, as
// nobody could answer.
func sudoPrefix(becomeUser string) string {
	if becomeUser == "" {
		return "sudo -n -- "
	}
	return "sudo -n -u " + shquote.Always(becomeUser) + " -- "
}
