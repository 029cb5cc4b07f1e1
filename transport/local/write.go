//go:build unix

package local

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	"github.com/rotplay/rotplay/transport"
)

// WriteFile implements transport.Conn: a temporary file .rotplay-* is
// written in path's directory, flushed, given its owner and mode, renamed
// over path, and the directory is flushed. On any failure before the
// rename, including ctx ending, the temporary file is removed and path is
// untouched.
//
// A new file gets opts.Mode exactly (the umask does not apply). An existing
// file keeps its owner, group, mode and setuid/setgid/sticky bits.
//
// When path is a symlink, the file it points to (following every link) is
// replaced and the link is kept, as `echo data > link` would do; a dangling
// link creates its target.
func (c *conn) WriteFile(ctx context.Context, path string, data []byte, opts transport.WriteOptions) error {
	if err := c.check(ctx); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := c.replace(ctx, path, data, opts); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// attrs is what a written file must end up with. uid and gid -1 mean
// whatever the writing process gets.
type attrs struct {
	mode     fs.FileMode
	uid, gid int
}

// modeBits are the bits WriteFile sets: permissions and the special bits,
// which os.Chmod understands and a replaced file must not lose.
const modeBits = fs.ModePerm | fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky

func (c *conn) replace(ctx context.Context, path string, data []byte, opts transport.WriteOptions) error {
	target, err := resolveLinks(path)
	if err != nil {
		return err
	}
	want, err := targetAttrs(target, opts)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(target), ".rotplay-*")
	if err != nil {
		return err
	}
	if err := c.fill(ctx, tmp, data, want); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Rename(tmp.Name(), target); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := syncDir(filepath.Dir(target)); err != nil {
		return fmt.Errorf("content replaced, but flushing its directory failed: %w", err)
	}
	return nil
}

// targetAttrs decides the owner and mode: the existing file's, or opts'.
func targetAttrs(target string, opts transport.WriteOptions) (attrs, error) {
	fi, err := os.Stat(target)
	switch {
	case err == nil && fi.IsDir():
		return attrs{}, &fs.PathError{Op: "write", Path: target, Err: syscall.EISDIR}
	case err == nil:
		info := fileInfo(fi)
		return attrs{mode: fi.Mode() & modeBits, uid: info.UID, gid: info.GID}, nil
	case !errors.Is(err, fs.ErrNotExist):
		return attrs{}, err
	}
	a := attrs{mode: opts.Mode & modeBits, uid: -1, gid: -1}
	if a.mode == 0 {
		a.mode = 0o600
	}
	if opts.Chown {
		a.uid, a.gid = opts.UID, opts.GID
	}
	return a, nil
}

// fill writes data to tmp, sets its owner and mode, flushes and closes it,
// and checks ctx a last time: after fill succeeds, only the rename is left.
func (c *conn) fill(ctx context.Context, tmp *os.File, data []byte, want attrs) error {
	if _, err := tmp.Write(data); err != nil {
		return err
	}
	// chown before chmod: chown clears the setuid and setgid bits.
	if err := chown(tmp, want.uid, want.gid); err != nil {
		return err
	}
	if err := tmp.Chmod(want.mode); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if c.beforeRename != nil {
		c.beforeRename()
	}
	return ctx.Err()
}

// chown gives f the owner and group wanted, calling chown only when they
// differ from what f has: a non-root user rewriting its own file must not
// need the right to chown.
func chown(f *os.File, uid, gid int) error {
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	cur := fileInfo(fi)
	if (uid < 0 || uid == cur.UID) && (gid < 0 || gid == cur.GID) {
		return nil
	}
	return f.Chown(uid, gid)
}

// maxLinks bounds symlink chains, as the kernel's ELOOP does.
const maxLinks = 40

// resolveLinks follows path while it is a symlink and returns the first
// path that is not one (which may not exist yet).
func resolveLinks(path string) (string, error) {
	p := path
	for range maxLinks {
		fi, err := os.Lstat(p)
		if errors.Is(err, fs.ErrNotExist) || (err == nil && fi.Mode()&fs.ModeSymlink == 0) {
			return p, nil
		}
		if err != nil {
			return "", err
		}
		dest, err := os.Readlink(p)
		if err != nil {
			return "", err
		}
		if !filepath.IsAbs(dest) {
			// Not filepath.Join: cleaning "dir/../x" lexically is wrong
			// when dir is itself a symlink; the kernel resolves it right.
			dest = filepath.Dir(p) + string(filepath.Separator) + dest
		}
		p = dest
	}
	return "", &fs.PathError{Op: "follow symlinks", Path: path, Err: syscall.ELOOP}
}

// syncDir flushes dir so that a rename in it survives a crash.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
