package vhost

import (
	"context"
	"errors"
	"io/fs"
	"path"
	"strings"
	"syscall"
)

// shCall is a parsed sh command line.
type shCall struct {
	opts     []string // options for the interpreter, e.g. "-e"
	command  bool     // -c
	stdin    bool     // -s
	operands []string
}

// cmdSh runs a nested shell on the same host, as the same user:
// sh -c SCRIPT [ARG0 [ARG]...], sh FILE [ARG]..., or a script on stdin.
func cmdSh(ctx context.Context, p *proc, args []string) int {
	call, err := parseSh(args)
	if err != nil {
		p.name = "sh"
		return p.errorf(2, "%v", err)
	}
	sc := script{
		arg0: p.name, opts: call.opts, dir: p.dir, env: p.env,
		stdin: p.stdin, stdout: p.stdout, stderr: p.stderr,
	}
	rest := call.operands
	switch {
	case call.command:
		sc.src, rest = rest[0], rest[1:]
		if len(rest) > 0 {
			sc.arg0, rest = rest[0], rest[1:]
		}
	case !call.stdin && len(rest) > 0:
		data, err := p.readFile(rest[0])
		if err != nil {
			return p.errorf(2, "cannot open %s: %s", rest[0], errText(err))
		}
		sc.src, sc.arg0, rest = string(data), rest[0], rest[1:]
	default:
		// A script on stdin runs as it arrives, as sh -s does.
		sc.params, sc.stdin = rest, nil
		return newShell(p.h, p.cred, p.umask()).runStream(ctx, sc, p.stdin)
	}
	sc.params = rest
	return newShell(p.h, p.cred, p.umask()).run(ctx, sc)
}

func parseSh(args []string) (shCall, error) {
	var c shCall
	i := 0
loop:
	for ; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			i++
			break loop
		case a == "-o" || a == "+o":
			if i+1 == len(args) {
				return c, errors.New("-o: option requires an argument")
			}
			c.opts = append(c.opts, a, args[i+1])
			i++
		case a == "-l" || a == "-i" || a == "-p" || strings.HasPrefix(a, "--"):
			// login, interactive, privileged, --norc...: nothing to do here
		case len(a) > 1 && (a[0] == '-' || a[0] == '+'):
			c.opts = append(c.opts, c.takeLetters(a)...)
		default:
			break loop
		}
	}
	c.operands = args[i:]
	if c.command && len(c.operands) == 0 {
		return c, errors.New("-c: option requires an argument")
	}
	return c, nil
}

// takeLetters notes -c and -s in a cluster such as "-ec" and returns the
// interpreter options left ("-e").
func (c *shCall) takeLetters(a string) []string {
	var opts []string
	for _, l := range a[1:] {
		switch {
		case l == 'c' && a[0] == '-':
			c.command = true
		case l == 's' && a[0] == '-':
			c.stdin = true
		default:
			opts = append(opts, string(a[0])+string(l))
		}
	}
	return opts
}

// runFile executes a file by path: the oneagentctl fake where OneAgent is
// installed, else a shell script (a #! line naming sh, bash or dash, or
// none, as sh runs a file the kernel will not).
func (p *proc) runFile(ctx context.Context, name string, args []string) int {
	v, info, err := p.h.statAt(p.cred, p.abs(name), true)
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
		return p.notFound(name)
	}
	if err != nil || info.IsDir() || !p.h.may(p.cred, v, info, permExec) {
		p.name = "sh"
		return p.errorf(126, "%s: Permission denied", name)
	}
	if isOneAgentCtl(v) {
		return cmdOneAgentCtl(ctx, p, args)
	}
	data, err := p.readFile(name)
	if err != nil {
		p.name = "sh"
		return p.errorf(126, "%s: %s", name, errText(err))
	}
	src := string(data)
	if interp, ok := strings.CutPrefix(src, "#!"); ok && !shellInterpreter(interp) {
		p.name = "sh"
		return p.errorf(126, "%s: cannot execute: unsupported interpreter", name)
	}
	return newShell(p.h, p.cred, p.umask()).run(ctx, script{
		src: src, arg0: name, params: args, dir: p.dir, env: p.env,
		stdin: p.stdin, stdout: p.stdout, stderr: p.stderr,
	})
}

// shellInterpreter reports whether a #! line (without "#!") runs sh.
func shellInterpreter(line string) bool {
	line, _, _ = strings.Cut(line, "\n")
	f := strings.Fields(line)
	if len(f) > 1 && path.Base(f[0]) == "env" {
		f = f[1:]
	}
	if len(f) == 0 {
		return false
	}
	switch path.Base(f[0]) {
	case "sh", "bash", "dash":
		return true
	}
	return false
}

// isOneAgentCtl reports whether the virtual path v is an installed
// oneagentctl: <INSTALL_PATH>/agent/tools/oneagentctl, whatever the
// install path (the lab puts a marker file there).
func isOneAgentCtl(v string) bool {
	return strings.HasSuffix(v, "/agent/tools/oneagentctl")
}
