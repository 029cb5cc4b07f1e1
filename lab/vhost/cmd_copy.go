package vhost

import (
	"context"
	"io"
	"io/fs"
	"os"
	"path"
	"syscall"
	"time"
)

// cpOpts are cp's options.
type cpOpts struct {
	recursive bool // -r, -R, -a
	preserve  bool // -p, -a: mode, owner (as root) and times
}

// cmdCp copies files (and with -r directories). A new file gets the
// source's mode minus the umask and belongs to the copier; an existing
// destination keeps its owner and mode, as with GNU cp.
func cmdCp(_ context.Context, p *proc, args []string) int {
	c, ok := p.parseArgs(argSpec{short: "rRpafTv", long: []string{"--recursive", "--preserve", "--archive", "--force"}}, args, 1)
	if !ok {
		return 1
	}
	o := cpOpts{
		recursive: c.has("r", "R", "a", "--recursive", "--archive"),
		preserve:  c.has("p", "a", "--preserve", "--archive"),
	}
	srcs, targets, code := p.destination(c.operands, c.has("T"))
	for i, src := range srcs {
		sv, info, err := p.h.statAt(p.cred, p.abs(src), true)
		switch {
		case err != nil:
			code = p.errorf(1, "cannot stat '%s': %s", src, errText(err))
		case info.IsDir() && !o.recursive:
			code = p.errorf(1, "-r not specified; omitting directory '%s'", src)
		default:
			if err := p.copyEntry(o, sv, info, p.abs(targets[i])); err != nil {
				code = p.errorf(1, "cannot copy '%s' to '%s': %s", src, targets[i], errText(err))
			}
		}
	}
	return code
}

// copyEntry copies the resolved source sv (metadata info) to dst.
func (p *proc) copyEntry(o cpOpts, sv string, info fs.FileInfo, dst string) error {
	switch {
	case info.IsDir():
		return p.copyDir(o, sv, info, dst)
	case info.Mode()&fs.ModeSymlink != 0:
		target, err := p.h.readlink(p.cred, sv)
		if err != nil {
			return err
		}
		return p.h.symlink(p.cred, target, dst)
	}
	return p.copyFile(o, sv, info, dst)
}

func (p *proc) copyFile(o cpOpts, sv string, info fs.FileInfo, dst string) error {
	in, err := p.h.openFile(p.cred, sv, os.O_RDONLY, 0)
	if err != nil {
		return err
	}
	defer in.Close()
	mode := info.Mode().Perm() &^ p.umask()
	if o.preserve {
		mode = goMode(unixBits(info.Mode()))
	}
	out, err := p.h.openFile(p.cred, dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, mode)
	if err != nil {
		return err
	}
	_, err = io.Copy(out, in)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err == nil && o.preserve {
		err = p.preserveAttrs(sv, info, dst)
	}
	return err
}

// preserveAttrs gives dst the mode, times and (as root) owner of sv.
func (p *proc) preserveAttrs(sv string, info fs.FileInfo, dst string) error {
	if err := p.h.chmod(p.cred, dst, goMode(unixBits(info.Mode()))); err != nil {
		return err
	}
	if p.cred.uid == 0 {
		o := p.h.owners.get(sv)
		if err := p.h.chown(p.cred, dst, o.uid, o.gid, true); err != nil {
			return err
		}
	}
	dv, _, err := p.h.statAt(p.cred, dst, true)
	if err != nil {
		return err
	}
	return errnoOf(os.Chtimes(p.h.realPath(dv), time.Now(), info.ModTime()))
}

func (p *proc) copyDir(o cpOpts, sv string, info fs.FileInfo, dst string) error {
	if _, dinfo, err := p.h.statAt(p.cred, dst, true); err != nil {
		if err := p.h.mkdir(p.cred, dst, info.Mode().Perm()|0o700); err != nil {
			return err
		}
	} else if !dinfo.IsDir() {
		return syscall.ENOTDIR
	}
	entries, err := p.h.readDir(p.cred, sv)
	if err != nil {
		return err
	}
	for _, e := range entries {
		child := path.Join(sv, e.Name())
		_, cinfo, err := p.h.statAt(p.cred, child, false)
		if err == nil {
			err = p.copyEntry(o, child, cinfo, path.Join(dst, e.Name()))
		}
		if err != nil {
			return err
		}
	}
	if o.preserve {
		return p.preserveAttrs(sv, info, dst)
	}
	return p.h.chmod(p.cred, dst, info.Mode().Perm()&^p.umask())
}
