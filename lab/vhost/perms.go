package vhost

import (
	"io/fs"
	"os"
	"path"
	"syscall"
)

// Permission bits as access(2) names them.
const (
	permRead  = 4
	permWrite = 2
	permExec  = 1
)

// may reports whether c may access the file at virtual path v (metadata
// info) for want (permRead|permWrite|permExec), with the virtual owner
// deciding which bits apply. Root may do anything except execute a file
// with no x bit, as on Linux.
func (h *Host) may(c cred, v string, info fs.FileInfo, want int) bool {
	mode := info.Mode()
	if c.uid == 0 {
		return want&permExec == 0 || info.IsDir() || mode&0o111 != 0
	}
	o := h.owners.get(v)
	bits := int(mode.Perm())
	switch {
	case o.uid == c.uid:
		bits >>= 6
	case o.gid == c.gid:
		bits >>= 3
	}
	return bits&want == want
}

// mayWriteDir checks that c may add or remove entries in directory dir.
func (h *Host) mayWriteDir(c cred, dir string) error {
	info, err := os.Stat(h.realPath(dir))
	if err != nil {
		return errnoOf(err)
	}
	if !info.IsDir() {
		return syscall.ENOTDIR
	}
	if !h.may(c, dir, info, permWrite|permExec) {
		return syscall.EACCES
	}
	return nil
}

// mayUnlink checks that c may remove or rename away the entry v: write
// access to its directory, and with the sticky bit (/tmp) ownership of the
// entry or of the directory.
func (h *Host) mayUnlink(c cred, v string) error {
	dir := path.Dir(v)
	if err := h.mayWriteDir(c, dir); err != nil {
		return err
	}
	info, err := os.Stat(h.realPath(dir))
	if err != nil {
		return errnoOf(err)
	}
	if c.uid == 0 || info.Mode()&fs.ModeSticky == 0 {
		return nil
	}
	if h.owners.get(v).uid != c.uid && h.owners.get(dir).uid != c.uid {
		return syscall.EPERM
	}
	return nil
}

// mayChangeAttrs checks that c may chmod or touch v: root or the owner.
func (h *Host) mayChangeAttrs(c cred, v string) error {
	if c.uid == 0 || h.owners.get(v).uid == c.uid {
		return nil
	}
	return syscall.EPERM
}
