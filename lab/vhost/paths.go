package vhost

import (
	"errors"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"syscall"
)

// maxSymlinks bounds symlink expansions in one lookup, as Linux does.
const maxSymlinks = 40

// devices are the real device files a host shares with the machine: they
// hold no data of anyone's, and scripts need them (`> /dev/null`).
var devices = map[string]bool{
	"/dev/null": true, "/dev/zero": true, "/dev/random": true, "/dev/urandom": true,
}

// vabs returns the clean absolute virtual path of name seen from the
// virtual directory dir. Cleaning first is what keeps ".." inside the
// root: "/../.." is "/".
func vabs(dir, name string) string {
	if !path.IsAbs(name) {
		name = path.Join(dir, name)
	}
	return path.Clean(name)
}

// realPath maps a clean virtual path to the real file. v must come from
// vabs or resolve; the join cannot climb out of root because v is clean
// and absolute.
func (h *Host) realPath(v string) string {
	if devices[v] {
		return v
	}
	return filepath.Join(h.root, filepath.FromSlash(v))
}

// resolve expands the symlinks along the virtual path name (the last
// component too when follow is set) and returns a virtual path free of
// them, checking that c may search every directory on the way.
//
// Symlinks are read the way a chrooted process reads them: an absolute
// target starts again at the virtual root and ".." stops there, so no
// symlink in the root can reach a real file outside it.
func (h *Host) resolve(c cred, name string, follow bool) (string, error) {
	if v := vabs("/", name); devices[v] {
		return v, nil
	}
	rest := splitPath(vabs("/", name))
	cur, hops := "/", 0
	for len(rest) > 0 {
		elem := rest[0]
		rest = rest[1:]
		if elem == ".." {
			cur = path.Dir(cur)
			continue
		}
		next := path.Join(cur, elem)
		if len(rest) == 0 && !follow {
			return next, nil
		}
		info, err := os.Lstat(h.realPath(next))
		switch {
		case errors.Is(err, fs.ErrNotExist) && len(rest) == 0:
			return next, nil // may be about to be created
		case err != nil:
			return "", errnoOf(err)
		case info.Mode()&fs.ModeSymlink != 0:
			if hops++; hops > maxSymlinks {
				return "", syscall.ELOOP
			}
			target, err := os.Readlink(h.realPath(next))
			if err != nil {
				return "", errnoOf(err)
			}
			if path.IsAbs(target) {
				cur = "/"
			}
			rest = append(splitPath(target), rest...)
		case len(rest) > 0 && !info.IsDir():
			return "", syscall.ENOTDIR
		case len(rest) > 0 && !h.may(c, next, info, permExec):
			return "", syscall.EACCES
		default:
			cur = next
		}
	}
	return cur, nil
}

// splitPath returns the non-empty, non-"." elements of p.
func splitPath(p string) []string {
	var out []string
	for _, e := range strings.Split(p, "/") {
		if e != "" && e != "." {
			out = append(out, e)
		}
	}
	return out
}

// errnoOf returns the errno inside a file-system error, so that errors
// carry no real path: callers wrap it with the virtual one.
func errnoOf(err error) error {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		return errno
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}

// pathErr is err about the virtual path name, with no real path in it.
func pathErr(op, name string, err error) error {
	return &fs.PathError{Op: op, Path: name, Err: errnoOf(err)}
}

// errText is err's reason as coreutils print it ("No such file or
// directory").
func errText(err error) string {
	s := errnoOf(err).Error()
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
