package fakedt

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"syscall"
)

// FS is the file system of one host as the fakes see it. Names are absolute
// host paths ("/var/lib/dynatrace/..."). The fakes act as the root-owned
// daemons they imitate, so an FS applies no permission checks of its own.
// Implementations must be safe for concurrent use; errors for missing files
// wrap fs.ErrNotExist.
type FS interface {
	// ReadFile returns the content of the file at name.
	ReadFile(name string) ([]byte, error)

	// WriteFile replaces the file at name atomically: readers see the old
	// or the new content, never a mix. Missing parent directories are
	// created (mode 0755, owned by root). A file that existed keeps its
	// owner; the mode becomes perm. Idempotent for the same data.
	WriteFile(name string, data []byte, perm fs.FileMode) error

	// Stat returns the metadata of name, following symlinks.
	Stat(name string) (fs.FileInfo, error)
}

// DirFS returns an FS whose "/" is the real directory root: DirFS("/") is
// the machine's own file system, which Main uses. Names are cleaned as
// absolute paths first, so ".." cannot climb above root; symlinks are
// followed by the OS, so this is not a security boundary.
func DirFS(root string) FS { return dirFS{root: root} }

type dirFS struct{ root string }

var _ FS = dirFS{}

func (d dirFS) real(name string) string {
	return filepath.Join(d.root, filepath.FromSlash(path.Clean("/"+name)))
}

func (d dirFS) ReadFile(name string) ([]byte, error) { return os.ReadFile(d.real(name)) }

func (d dirFS) Stat(name string) (fs.FileInfo, error) { return os.Stat(d.real(name)) }

// WriteFile writes a temporary file next to name and renames it over name,
// after copying the old file's owner onto it.
func (d dirFS) WriteFile(name string, data []byte, perm fs.FileMode) error {
	dst := d.real(name)
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(dst), "."+filepath.Base(dst)+".fakedt-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	if err := writeSyncClose(tmp, data, perm); err != nil {
		return err
	}
	if err := keepOwner(tmp.Name(), dst); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		return fmt.Errorf("replace %s: %w", name, err)
	}
	return nil
}

func writeSyncClose(f *os.File, data []byte, perm fs.FileMode) error {
	_, err := f.Write(data)
	if err == nil {
		err = f.Chmod(perm)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// keepOwner gives tmp the owner of dst when dst exists and differs; only
// possible (and only needed) when running as root.
func keepOwner(tmp, dst string) error {
	info, err := os.Stat(dst)
	if err != nil {
		return nil // a new file: the writer owns it
	}
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok || int(st.Uid) == os.Geteuid() && int(st.Gid) == os.Getegid() {
		return nil
	}
	return os.Chown(tmp, int(st.Uid), int(st.Gid))
}
