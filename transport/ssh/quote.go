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

// command is a script for execute, with its positional parameters.
type command struct {
	script string
	args   []string
	// inline lets the pipelining shell run the script in a subshell of
	// its own instead of a new sh (see inShell). Only for rotplay's own
	// scripts: a subshell shares the shell's process, so a cancelled one
	// is killed as a script's sh would be, never exec'd into a command.
	inline bool
}

// line is the exec line that runs cmd in a new sh (see shCommand).
func (c *conn) line(cmd command) string { return c.shCommand(cmd.script, cmd.args...) }

// inShell is the line the pipelining shell runs for cmd: without sudo, an
// inline script runs in the frame's own background subshell (a fork, no
// exec of sh), with the shell's variables unset and args as its positional
// parameters; eval parses the script there, so not even a syntax error
// could reach the shell. Anything else is the same line as in a session.
func (c *conn) inShell(cmd command) string {
	if !cmd.inline || c.sudo != "" {
		return c.line(cmd)
	}
	var b strings.Builder
	b.WriteString("{ unset b c d r; set --")
	for _, a := range cmd.args {
		b.WriteString(" ")
		b.WriteString(shquote.Always(a))
	}
	b.WriteString("; eval ")
	b.WriteString(shquote.Always(cmd.script))
	b.WriteString("; }")
	return b.String()
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
