package vhost

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"slices"
	"strings"
	"syscall"

	"mvdan.cc/sh/v3/interp"
)

// Names the call handler rewrites builtins to, so that our exec handler
// runs them: the interpreter's own versions look at the real machine
// (command -v, type) or are missing (umask). A NUL cannot appear in a
// command name a script types.
const (
	internalUmask    = "\x00umask"
	internalCommandV = "\x00command-v"
	internalType     = "\x00type"
	internalPwdP     = "\x00pwd-P"
)

// call adjusts builtins before the interpreter runs them.
func (s *shell) call(_ context.Context, args []string) ([]string, error) {
	switch args[0] {
	case "set":
		return s.filterSet(args), nil
	case "trap":
		return s.filterTrap(args), nil
	case "umask":
		return append([]string{internalUmask}, args[1:]...), nil
	case "type":
		return append([]string{internalType}, args[1:]...), nil
	case "command":
		switch {
		case len(args) > 1 && args[1] == "-v":
			return append([]string{internalCommandV}, args[2:]...), nil
		case len(args) > 1 && args[1] == "-V": // verbose, as type: "printf is a shell builtin"
			return append([]string{internalType}, args[2:]...), nil
		}
	case "pwd":
		if slices.Contains(args, "-P") { // the builtin would resolve it on the real machine
			return []string{internalPwdP}, nil
		}
	}
	return args, nil
}

// filterSet takes the noclobber option (set -C, set -o noclobber), which
// the interpreter does not know, out of a set command and applies it to
// the shell; the rest goes on to the builtin.
func (s *shell) filterSet(args []string) []string {
	out := []string{"set"}
	i := 1
	for ; i < len(args); i++ {
		a := args[i]
		if a == "--" || len(a) < 2 || a[0] != '-' && a[0] != '+' {
			break
		}
		if (a == "-o" || a == "+o") && i+1 < len(args) && args[i+1] == "noclobber" {
			s.setNoClobber(a[0] == '-')
			i++
			continue
		}
		if a[1] != 'o' && strings.ContainsRune(a, 'C') {
			s.setNoClobber(a[0] == '-')
			if a = strings.ReplaceAll(a, "C", ""); len(a) == 1 {
				continue
			}
		}
		out = append(out, a)
	}
	out = append(out, args[i:]...)
	if len(out) == 1 && len(args) > 1 {
		return []string{":"} // only -C was given: nothing left for set to do
	}
	return out
}

// exec runs every command that is not a builtin or function.
func (s *shell) exec(ctx context.Context, args []string) error {
	p := s.procFrom(ctx)
	var code int
	if hook := s.h.hook.Load(); hook != nil {
		req := Request{User: s.cred.user, Command: strings.Join(args, " "), Stdin: p.stdin, Stdout: p.stdout, Stderr: p.stderr}
		code = (*hook)(ctx, req, func(ctx context.Context, _ Request) int { return p.run(ctx, args) })
		if code < 0 {
			code = 128 - code
		}
	} else {
		code = p.run(ctx, args)
	}
	if code != 0 {
		return interp.ExitStatus(uint8(code))
	}
	return nil
}

// open serves redirections. /dev/stdout and friends refer to the
// command's own streams; everything else is a file in the root.
func (s *shell) open(ctx context.Context, name string, flag int, perm os.FileMode) (io.ReadWriteCloser, error) {
	hc := interp.HandlerCtx(ctx)
	v := vabs(hc.Dir, name)
	if f := stdioDevice(v, hc.Stdin, hc.Stdout, hc.Stderr); f != nil {
		return f, nil
	}
	if s.noClobber() && flag&os.O_TRUNC != 0 && flag&os.O_APPEND == 0 {
		if _, info, err := s.h.statAt(s.cred, v, true); err == nil && info.Mode().IsRegular() {
			return nil, &fs.PathError{Op: "cannot create", Path: name, Err: errors.New("cannot overwrite existing file")}
		}
	}
	f, err := s.h.openFile(s.cred, v, flag, perm&^s.getUmask())
	if err != nil {
		op := "cannot open"
		if flag&os.O_CREATE != 0 {
			op = "cannot create"
		}
		return nil, &fs.PathError{Op: op, Path: name, Err: reason{errnoOf(err)}}
	}
	return f, nil
}

// reason is an errno worded as sh prints it ("Permission denied"); it
// still matches fs.ErrNotExist and the like.
type reason struct{ err error }

func (r reason) Error() string { return errText(r.err) }
func (r reason) Unwrap() error { return r.err }

// stdioDevice returns the stream /dev/stdin, /dev/stdout or /dev/stderr
// (and /dev/fd/0-2) stand for, or nil.
func stdioDevice(v string, in io.Reader, out, errw io.Writer) io.ReadWriteCloser {
	switch v {
	case "/dev/stdin", "/dev/fd/0":
		return stream{r: in}
	case "/dev/stdout", "/dev/fd/1":
		return stream{w: out}
	case "/dev/stderr", "/dev/fd/2":
		return stream{w: errw}
	}
	return nil
}

// stream is a standard stream opened by name; closing it closes nothing.
type stream struct {
	r io.Reader
	w io.Writer
}

func (s stream) Read(p []byte) (int, error) {
	if s.r == nil {
		return 0, io.EOF
	}
	return s.r.Read(p)
}

func (s stream) Write(p []byte) (int, error) {
	if s.w == nil {
		return 0, syscall.EBADF
	}
	return s.w.Write(p)
}

func (stream) Close() error { return nil }

// stat serves test -e/-f/-d and cd.
func (s *shell) stat(ctx context.Context, name string, follow bool) (fs.FileInfo, error) {
	_, info, err := s.h.statAt(s.cred, vabs(interp.HandlerCtx(ctx).Dir, name), follow)
	if err != nil {
		return nil, pathErr("stat", name, err)
	}
	return info, nil
}

// readDir serves globbing.
func (s *shell) readDir(ctx context.Context, name string) ([]fs.DirEntry, error) {
	entries, err := s.h.readDir(s.cred, vabs(interp.HandlerCtx(ctx).Dir, name))
	if err != nil {
		return nil, pathErr("readdir", name, err)
	}
	return entries, nil
}

// access serves test -r/-w/-x and cd's search check.
func (s *shell) access(ctx context.Context, name string, mode interp.AccessMode) error {
	v, info, err := s.h.statAt(s.cred, vabs(interp.HandlerCtx(ctx).Dir, name), true)
	if err != nil {
		return pathErr("access", name, err)
	}
	if !s.h.may(s.cred, v, info, int(mode)) {
		return pathErr("access", name, syscall.EACCES)
	}
	return nil
}
