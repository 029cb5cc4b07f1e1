package vhost

import (
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"syscall"

	"github.com/rotplay/rotplay/lab/fakedt"
)

// hostFS is a host's file system as root-owned daemons (the fakes) and
// the lab see it: virtual paths, no permission checks beyond root's.
type hostFS struct{ h *Host }

var _ fakedt.FS = hostFS{}

func (f hostFS) ReadFile(name string) ([]byte, error) {
	v, err := f.h.resolve(rootCred, name, true)
	if err != nil {
		return nil, pathErr("open", name, err)
	}
	data, err := os.ReadFile(f.h.realPath(v))
	if err != nil {
		return nil, pathErr("open", name, err)
	}
	return data, nil
}

func (f hostFS) Stat(name string) (fs.FileInfo, error) {
	_, info, err := f.h.statAt(rootCred, name, true)
	if err != nil {
		return nil, pathErr("stat", name, err)
	}
	return info, nil
}

// WriteFile implements fakedt.FS: parents are created root-owned, the
// data goes to a temporary file renamed over name, and an existing file's
// owner is kept.
func (f hostFS) WriteFile(name string, data []byte, perm fs.FileMode) error {
	err := f.h.mkdirAll(rootCred, path.Dir(vabs("/", name)), 0o755)
	var v string
	if err == nil {
		v, err = f.h.resolve(rootCred, name, true)
	}
	if err != nil {
		return pathErr("write", name, err)
	}
	if err := f.h.replaceFile(v, data, perm); err != nil {
		return pathErr("write", name, err)
	}
	return nil
}

// replaceFile atomically replaces the file at the resolved virtual path v,
// keeping its virtual owner.
func (h *Host) replaceFile(v string, data []byte, perm fs.FileMode) error {
	real := h.realPath(v)
	tmp, err := os.CreateTemp(filepath.Dir(real), "."+filepath.Base(real)+".tmp*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Chmod(perm)
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return os.Rename(tmp.Name(), real)
}

// mkdirAll makes dir and its missing parents (mkdir -p), owned by c.
func (h *Host) mkdirAll(c cred, dir string, perm fs.FileMode) error {
	_, info, err := h.statAt(c, dir, true)
	if err == nil {
		if !info.IsDir() {
			return syscall.ENOTDIR
		}
		return nil
	}
	if dir != "/" {
		if err := h.mkdirAll(c, path.Dir(dir), 0o755); err != nil {
			return err
		}
	}
	if err := h.mkdir(c, dir, perm); err != nil && !os.IsExist(err) {
		return err
	}
	return nil
}
