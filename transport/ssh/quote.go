package ssh

import (
	"strings"
)

// quote returns s as one sh word in single quotes, each ' in s written as
//
//	'\''
//
// Inside single quotes sh interprets nothing, so any byte string,
// newlines included, comes through unchanged.
func quote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// shellWord quotes s for a command shown to the user, only when needed,
// so that messages stay readable.
func shellWord(s string) string {
	plain := s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("._-/:@%+=,", r))
	}) < 0
	if plain {
		return s
	}
	return quote(s)
}

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
	b.WriteString(quote(script))
	if len(args) > 0 {
		b.WriteString(" sh") // $0
		for _, a := range args {
			b.WriteString(" ")
			b.WriteString(quote(a))
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
	return "sudo -n -u " + quote(becomeUser) + " -- "
}
