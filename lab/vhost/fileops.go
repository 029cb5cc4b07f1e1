package vhost

import (
	"errors"
	"io/fs"
	"os"
	"path"
	"syscall"
	"time"
)

// The file operations below are what commands and shell handlers use.
// They take the caller's credentials and a virtual path, check virtual
// permissions the way the kernel would, and return bare errnos (never a
// real path) for the caller to wrap with the name it was given.

// statAt resolves name and returns the resolved virtual path and the
// entry's metadata (of a final symlink itself unless follow). The path is
// returned even for a missing entry whose directory exists.
func (h *Host) statAt(c cred, name string, follow bool) (string, fs.FileInfo, error) {
	v, err := h.resolve(c, name, follow)
	if err != nil {
		return "", nil, err
	}
	info, err := os.Lstat(h.realPath(v))
	if err != nil {
		return v, nil, errnoOf(err)
	}
	return v, info, nil
}

// openFile opens name like open(2) for c. A created file gets exactly
// perm (the caller applies the umask) and c as its owner.
func (h *Host) openFile(c cred, name string, flag int, perm fs.FileMode) (*os.File, error) {
	v, info, err := h.statAt(c, name, true)
	switch {
	case err == nil:
		if flag&os.O_CREATE != 0 && flag&os.O_EXCL != 0 {
			return nil, syscall.EEXIST
		}
		if err := h.checkOpen(c, v, info, flag); err != nil {
			return nil, err
		}
		f, err := os.OpenFile(h.realPath(v), flag, 0)
		if err != nil {
			return nil, errnoOf(err)
		}
		return f, nil
	case errors.Is(err, syscall.ENOENT) && v != "" && flag&os.O_CREATE != 0:
		return h.createFile(c, v, flag, perm)
	}
	return nil, err
}

func writing(flag int) bool { return flag&(os.O_WRONLY|os.O_RDWR|os.O_TRUNC|os.O_APPEND) != 0 }

func (h *Host) checkOpen(c cred, v string, info fs.FileInfo, flag int) error {
	want := permRead
	switch {
	case flag&os.O_RDWR != 0:
		want = permRead | permWrite
	case writing(flag):
		want = permWrite
	}
	if info.IsDir() && writing(flag) {
		return syscall.EISDIR
	}
	if !h.may(c, v, info, want) {
		return syscall.EACCES
	}
	return nil
}

func (h *Host) createFile(c cred, v string, flag int, perm fs.FileMode) (*os.File, error) {
	if err := h.mayWriteDir(c, path.Dir(v)); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(h.realPath(v), flag|os.O_CREATE, perm)
	if err != nil {
		return nil, errnoOf(err)
	}
	// The lab process's own umask must not change what the host's umask
	// decided.
	if err := f.Chmod(perm); err != nil {
		f.Close()
		return nil, errnoOf(err)
	}
	h.owners.set(v, owner{c.uid, c.gid})
	return f, nil
}

// readDir lists the directory name (following symlinks), sorted by name.
func (h *Host) readDir(c cred, name string) ([]fs.DirEntry, error) {
	v, info, err := h.statAt(c, name, true)
	if err != nil {
		return nil, err
	}
	if !info.IsDir() {
		return nil, syscall.ENOTDIR
	}
	if !h.may(c, v, info, permRead) {
		return nil, syscall.EACCES
	}
	entries, err := os.ReadDir(h.realPath(v))
	return entries, errnoOf(err)
}

// mkdir makes the directory name with exactly perm, owned by c.
func (h *Host) mkdir(c cred, name string, perm fs.FileMode) error {
	v, _, err := h.statAt(c, name, false)
	switch {
	case err == nil:
		return syscall.EEXIST
	case v == "" || !errors.Is(err, syscall.ENOENT):
		return err
	}
	if err := h.mayWriteDir(c, path.Dir(v)); err != nil {
		return err
	}
	if err := os.Mkdir(h.realPath(v), perm); err != nil {
		return errnoOf(err)
	}
	h.owners.set(v, owner{c.uid, c.gid})
	return errnoOf(os.Chmod(h.realPath(v), perm))
}

// remove unlinks the file, symlink or empty directory name.
func (h *Host) remove(c cred, name string) error {
	v, _, err := h.statAt(c, name, false)
	if err != nil {
		return err
	}
	if err := h.mayUnlink(c, v); err != nil {
		return err
	}
	if err := os.Remove(h.realPath(v)); err != nil {
		return errnoOf(err)
	}
	h.owners.remove(v)
	return nil
}

// rename moves src to dst like rename(2); owners travel with the entry.
func (h *Host) rename(c cred, src, dst string) error {
	vs, _, err := h.statAt(c, src, false)
	if err != nil {
		return err
	}
	vd, _, dstErr := h.statAt(c, dst, false)
	if vd == "" {
		return dstErr
	}
	if err := h.mayUnlink(c, vs); err != nil {
		return err
	}
	if dstErr == nil {
		err = h.mayUnlink(c, vd) // replacing dst removes it
	} else {
		err = h.mayWriteDir(c, path.Dir(vd))
	}
	if err != nil {
		return err
	}
	if err := os.Rename(h.realPath(vs), h.realPath(vd)); err != nil {
		return errnoOf(err)
	}
	h.owners.move(vs, vd)
	return nil
}

// chmod sets the mode of name (following symlinks); owner or root only.
func (h *Host) chmod(c cred, name string, mode fs.FileMode) error {
	v, _, err := h.statAt(c, name, true)
	if err != nil {
		return err
	}
	if err := h.mayChangeAttrs(c, v); err != nil {
		return err
	}
	return errnoOf(os.Chmod(h.realPath(v), mode))
}

// chown sets the virtual owner of name; -1 keeps a field. Only root may
// give files away, as on Linux.
func (h *Host) chown(c cred, name string, uid, gid int, follow bool) error {
	v, _, err := h.statAt(c, name, follow)
	if err != nil {
		return err
	}
	o := h.owners.get(v)
	if c.uid != 0 && (o.uid != c.uid || uid != -1 && uid != c.uid || gid != -1 && gid != c.gid) {
		return syscall.EPERM
	}
	if uid >= 0 {
		o.uid = uid
	}
	if gid >= 0 {
		o.gid = gid
	}
	h.owners.set(v, o)
	return nil
}

// symlink creates name pointing at target, stored verbatim: it is read
// back with the host's own root (see resolve).
func (h *Host) symlink(c cred, target, name string) error {
	v, _, err := h.statAt(c, name, false)
	switch {
	case err == nil:
		return syscall.EEXIST
	case v == "" || !errors.Is(err, syscall.ENOENT):
		return err
	}
	if err := h.mayWriteDir(c, path.Dir(v)); err != nil {
		return err
	}
	if err := os.Symlink(target, h.realPath(v)); err != nil {
		return errnoOf(err)
	}
	h.owners.set(v, owner{c.uid, c.gid})
	return nil
}

// readlink returns the target of the symlink name.
func (h *Host) readlink(c cred, name string) (string, error) {
	v, _, err := h.statAt(c, name, false)
	if err != nil {
		return "", err
	}
	t, err := os.Readlink(h.realPath(v))
	return t, errnoOf(err)
}

// touch sets name's times to now: the owner, root, or anyone who may
// write it.
func (h *Host) touch(c cred, name string) error {
	v, info, err := h.statAt(c, name, true)
	if err != nil {
		return err
	}
	if h.mayChangeAttrs(c, v) != nil && !h.may(c, v, info, permWrite) {
		return syscall.EACCES
	}
	now := time.Now()
	return errnoOf(os.Chtimes(h.realPath(v), now, now))
}
