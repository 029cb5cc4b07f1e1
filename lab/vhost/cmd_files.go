package vhost

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path"
	"syscall"
)

// destination works out where each source goes for mv and cp: into dst
// when it is a directory, else to dst itself (one source only).
func (p *proc) destination(operands []string, noTargetDir bool) (srcs []string, targets []string, code int) {
	if len(operands) == 0 {
		return nil, nil, p.errorf(1, "missing file operand")
	}
	if len(operands) == 1 {
		return nil, nil, p.errorf(1, "missing destination file operand after '%s'", operands[0])
	}
	srcs, dst := operands[:len(operands)-1], operands[len(operands)-1]
	_, info, err := p.h.statAt(p.cred, p.abs(dst), true)
	intoDir := err == nil && info.IsDir() && !noTargetDir
	if len(srcs) > 1 && !intoDir {
		return nil, nil, p.errorf(1, "target '%s' is not a directory", dst)
	}
	for _, src := range srcs {
		if intoDir {
			targets = append(targets, path.Join(dst, path.Base(src)))
		} else {
			targets = append(targets, dst)
		}
	}
	return srcs, targets, 0
}

// cmdMv renames files; -f is accepted (there are no prompts anyway).
// Virtual owners travel with what is moved.
func cmdMv(_ context.Context, p *proc, args []string) int {
	c, ok := p.parseArgs(argSpec{short: "fiTnv", long: []string{"--force"}}, args, 1)
	if !ok {
		return 1
	}
	srcs, targets, code := p.destination(c.operands, c.has("T"))
	for i, src := range srcs {
		if _, _, err := p.h.statAt(p.cred, p.abs(src), false); err != nil {
			code = p.errorf(1, "cannot stat '%s': %s", src, errText(err))
			continue
		}
		if err := p.h.rename(p.cred, p.abs(src), p.abs(targets[i])); err != nil {
			code = p.errorf(1, "cannot move '%s' to '%s': %s", src, targets[i], errText(err))
		}
	}
	return code
}

// cmdRm removes files; -f ignores missing ones, -r removes directories.
func cmdRm(_ context.Context, p *proc, args []string) int {
	c, ok := p.parseArgs(argSpec{short: "fdrRiv", long: []string{"--force", "--recursive"}}, args, 1)
	if !ok {
		return 1
	}
	force, recursive := c.has("f", "--force"), c.has("r", "R", "--recursive")
	if len(c.operands) == 0 && !force {
		return p.errorf(1, "missing operand")
	}
	code := 0
	for _, name := range c.operands {
		if err := p.rm(name, recursive, c.has("d"), force); err != nil {
			code = 1
		}
	}
	return code
}

// rm removes one operand, printing why it could not; with force a
// missing operand is no error.
func (p *proc) rm(name string, recursive, emptyDirs, force bool) error {
	v := p.abs(name)
	if b := path.Base(name); b == "." || b == ".." {
		p.errorf(1, "refusing to remove '.' or '..' directory: skipping '%s'", name)
		return syscall.EINVAL
	}
	if v == "/" && recursive {
		p.errorf(1, "it is dangerous to operate recursively on '/'")
		return syscall.EPERM
	}
	_, info, err := p.h.statAt(p.cred, v, false)
	switch {
	case errors.Is(err, fs.ErrNotExist) && force:
		return nil
	case err == nil && info.IsDir() && recursive:
		err = p.removeTree(v)
	case err == nil && info.IsDir() && !emptyDirs:
		err = syscall.EISDIR
	case err == nil:
		err = p.h.remove(p.cred, v)
	}
	if err != nil {
		p.errorf(1, "cannot remove '%s': %s", name, errText(err))
	}
	return err
}

// removeTree removes the directory v and everything in it.
func (p *proc) removeTree(v string) error {
	entries, err := p.h.readDir(p.cred, v)
	if err != nil {
		return err
	}
	for _, e := range entries {
		child := path.Join(v, e.Name())
		if e.IsDir() {
			err = p.removeTree(child)
		} else {
			err = p.h.remove(p.cred, child)
		}
		if err != nil {
			return err
		}
	}
	return p.h.remove(p.cred, v)
}

// cmdRmdir removes empty directories.
func cmdRmdir(_ context.Context, p *proc, args []string) int {
	c, ok := p.parseArgs(argSpec{short: "p"}, args, 1)
	if !ok {
		return 1
	}
	code := 0
	for _, name := range c.operands {
		_, info, err := p.h.statAt(p.cred, p.abs(name), false)
		if err == nil && !info.IsDir() {
			err = syscall.ENOTDIR
		}
		if err == nil {
			err = p.h.remove(p.cred, p.abs(name))
		}
		if err != nil {
			code = p.errorf(1, "failed to remove '%s': %s", name, errText(err))
		}
	}
	return code
}

// cmdMkdir makes directories: -p makes parents and accepts existing ones,
// -m sets the mode (octal or symbolic, from a=rwx).
func cmdMkdir(_ context.Context, p *proc, args []string) int {
	c, ok := p.parseArgs(argSpec{short: "pm:v", long: []string{"--parents", "--mode="}}, args, 1)
	if !ok {
		return 1
	}
	mode := 0o777 &^ p.umask()
	if spec, ok := c.value("m", "--mode"); ok {
		bits, err := parseMode(spec, 0o777, true)
		if err != nil {
			return p.errorf(1, "invalid mode '%s'", spec)
		}
		mode = goMode(bits)
	}
	if len(c.operands) == 0 {
		return p.errorf(1, "missing operand")
	}
	code := 0
	for _, name := range c.operands {
		var err error
		if c.has("p", "--parents") {
			err = p.mkdirParents(p.abs(name), mode)
		} else {
			err = p.h.mkdir(p.cred, p.abs(name), mode)
		}
		if err != nil {
			code = p.errorf(1, "cannot create directory '%s': %s", name, errText(err))
		}
	}
	return code
}

// mkdirParents is mkdir -p: parents get u+wx on top of the umask's mode.
func (p *proc) mkdirParents(v string, mode fs.FileMode) error {
	_, info, err := p.h.statAt(p.cred, v, true)
	if err == nil {
		if info.IsDir() {
			return nil
		}
		return syscall.EEXIST
	}
	if v != "/" {
		if err := p.mkdirParents(path.Dir(v), (0o777&^p.umask())|0o300); err != nil {
			return err
		}
	}
	return p.h.mkdir(p.cred, v, mode)
}

// cmdTouch creates missing files (0666 minus umask) and updates the times
// of existing ones; -c creates nothing.
func cmdTouch(_ context.Context, p *proc, args []string) int {
	c, ok := p.parseArgs(argSpec{short: "acm"}, args, 1)
	if !ok {
		return 1
	}
	code := 0
	for _, name := range c.operands {
		_, _, err := p.h.statAt(p.cred, p.abs(name), true)
		switch {
		case err == nil:
			err = p.h.touch(p.cred, p.abs(name))
		case errors.Is(err, fs.ErrNotExist) && !c.has("c"):
			var f *os.File
			if f, err = p.h.openFile(p.cred, p.abs(name), os.O_WRONLY|os.O_CREATE, 0o666&^p.umask()); err == nil {
				f.Close()
			}
		case errors.Is(err, fs.ErrNotExist):
			err = nil
		}
		if err != nil {
			code = p.errorf(1, "cannot touch '%s': %s", name, errText(err))
		}
	}
	return code
}
