package vhost

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
)

// cmdLn makes symbolic links (-s; -f replaces, -n does not enter a
// directory symlink). Hard links are not supported: ownership is kept per
// path, and a hard link would share it.
func cmdLn(_ context.Context, p *proc, args []string) int {
	c, ok := p.parseArgs(argSpec{short: "sfnTv", long: []string{"--symbolic", "--force"}}, args, 1)
	if !ok {
		return 1
	}
	if !c.has("s", "--symbolic") {
		return p.errorf(1, "hard links are not supported on this host; use ln -s")
	}
	if len(c.operands) == 0 || len(c.operands) > 2 {
		return p.errorf(1, "expected TARGET [LINK_NAME]")
	}
	target := c.operands[0]
	link := path.Base(target)
	if len(c.operands) == 2 {
		link = c.operands[1]
	}
	follow := !c.has("n", "T")
	if _, info, err := p.h.statAt(p.cred, p.abs(link), follow); err == nil && info.IsDir() && follow {
		link = path.Join(link, path.Base(target))
	}
	if c.has("f", "--force") {
		if _, info, err := p.h.statAt(p.cred, p.abs(link), false); err == nil && !info.IsDir() {
			if err := p.h.remove(p.cred, p.abs(link)); err != nil {
				return p.errorf(1, "cannot remove '%s': %s", link, errText(err))
			}
		}
	}
	if err := p.h.symlink(p.cred, target, p.abs(link)); err != nil {
		return p.errorf(1, "failed to create symbolic link '%s': %s", link, errText(err))
	}
	return 0
}

// cmdReadlink prints a symlink's target, or with -f/-e/-m the canonical
// path (virtual, symlinks resolved).
func cmdReadlink(_ context.Context, p *proc, args []string) int {
	c, ok := p.parseArgs(argSpec{short: "femnqsvz"}, args, 1)
	if !ok {
		return 1
	}
	code := 0
	for _, name := range c.operands {
		var out string
		var err error
		switch {
		case c.has("f", "e", "m"):
			out, err = p.canonical(name, c.has("e"))
		default:
			out, err = p.h.readlink(p.cred, p.abs(name))
		}
		if err != nil {
			code = 1
			continue
		}
		fmt.Fprintln(p.stdout, out)
	}
	return code
}

// cmdRealpath prints canonical virtual paths.
func cmdRealpath(_ context.Context, p *proc, args []string) int {
	c, ok := p.parseArgs(argSpec{short: "eqms"}, args, 1)
	if !ok {
		return 1
	}
	code := 0
	for _, name := range c.operands {
		out, err := p.canonical(name, c.has("e"))
		if err != nil {
			code = p.fileErr(1, name, err)
			continue
		}
		fmt.Fprintln(p.stdout, out)
	}
	return code
}

// canonical resolves every symlink in name; the last component may be
// missing unless mustExist.
func (p *proc) canonical(name string, mustExist bool) (string, error) {
	v, _, err := p.h.statAt(p.cred, p.abs(name), true)
	if err != nil && (mustExist || v == "" || !errors.Is(err, fs.ErrNotExist)) {
		return "", err
	}
	return v, nil
}

// cmdPwdP is `pwd -P`: the working directory with symlinks resolved.
func cmdPwdP(_ context.Context, p *proc, _ []string) int {
	dir, err := p.canonical(p.dir, true)
	if err != nil {
		p.name = "pwd"
		return p.fileErr(1, p.dir, err)
	}
	fmt.Fprintln(p.stdout, dir)
	return 0
}
