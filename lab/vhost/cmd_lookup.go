package vhost

import (
	"context"
	"fmt"
	"io/fs"
	"strconv"
	"strings"

	"mvdan.cc/sh/v3/interp"
	"mvdan.cc/sh/v3/syntax"
)

// which finds name the way the shell would: a builtin utility or keyword
// prints its name, a command its path, a path itself if executable.
func (p *proc) which(name string, builtins bool) (string, bool) {
	switch {
	case builtins && (interp.IsBuiltin(name) || syntax.IsKeyword(name)):
		return name, true
	case strings.Contains(name, "/"):
		v, info, err := p.h.statAt(p.cred, p.abs(name), true)
		if err == nil && !info.IsDir() && p.h.may(p.cred, v, info, permExec) {
			return name, true
		}
		return "", false
	case lookupCommand(name) != nil && !strings.HasPrefix(name, "\x00"):
		return commandPath(name), true
	}
	return "", false
}

// cmdWhich prints the path of each command; exit 1 if one is missing.
func cmdWhich(_ context.Context, p *proc, args []string) int {
	code := 0
	for _, name := range args {
		if strings.HasPrefix(name, "-") {
			continue
		}
		if where, ok := p.which(name, false); ok {
			fmt.Fprintln(p.stdout, where)
		} else {
			code = 1
		}
	}
	return code
}

// cmdCommandV is `command -v`. Shell functions are not seen: the
// interpreter does not show them to handlers.
func cmdCommandV(_ context.Context, p *proc, args []string) int {
	code := 0
	for _, name := range args {
		if where, ok := p.which(name, true); ok {
			fmt.Fprintln(p.stdout, where)
		} else {
			code = 1
		}
	}
	return code
}

// cmdType is the type builtin, answering from the host's commands.
func cmdType(_ context.Context, p *proc, args []string) int {
	code := 0
	for _, name := range args {
		switch where, ok := p.which(name, false); {
		case syntax.IsKeyword(name):
			fmt.Fprintf(p.stdout, "%s is a shell keyword\n", name)
		case interp.IsBuiltin(name):
			fmt.Fprintf(p.stdout, "%s is a shell builtin\n", name)
		case ok:
			fmt.Fprintf(p.stdout, "%s is %s\n", name, where)
		default:
			p.name = "sh"
			code = p.errorf(1, "type: %s: not found", name)
		}
	}
	return code
}

// cmdUmask is the umask builtin: print (octal, or -S symbolic) or set an
// octal mask for the rest of the shell.
func cmdUmask(_ context.Context, p *proc, args []string) int {
	p.name = "umask"
	switch {
	case len(args) == 0:
		fmt.Fprintf(p.stdout, "%04o\n", uint32(p.umask()))
	case len(args) == 1 && args[0] == "-S":
		fmt.Fprintln(p.stdout, symbolicUmask(p.umask()))
	case len(args) == 1:
		n, err := strconv.ParseUint(args[0], 8, 32)
		if err != nil || n > 0o777 {
			return p.errorf(1, "%s: invalid octal number", args[0])
		}
		p.sh.setUmask(fs.FileMode(n))
	default:
		return p.errorf(2, "too many arguments")
	}
	return 0
}

func symbolicUmask(m fs.FileMode) string {
	allowed := ^uint32(m) & 0o777
	classes := []string{"u", "g", "o"}
	parts := make([]string, 3)
	for i, cls := range classes {
		bits := allowed >> uint(6-3*i) & 7
		s := cls + "="
		for j, ch := range "rwx" {
			if bits&(4>>uint(j)) != 0 {
				s += string(ch)
			}
		}
		parts[i] = s
	}
	return strings.Join(parts, ",")
}
