package vhost

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strings"

	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/interp"
)

// proc is one external command being run: the Go implementation gets it
// instead of a process. Commands read and write only through it.
type proc struct {
	sh     *shell // the shell that started it, for umask
	h      *Host
	cred   cred
	name   string // argv[0] as given, for messages
	dir    string // virtual working directory
	env    []string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

// procFrom builds the proc for a command the interpreter is about to run.
func (s *shell) procFrom(ctx context.Context) *proc {
	hc := interp.HandlerCtx(ctx)
	stdin := hc.Stdin
	if f, ok := stdin.(*os.File); ok && f == nil || stdin == nil {
		stdin = strings.NewReader("")
	}
	return &proc{
		sh: s, h: s.h, cred: s.cred, dir: hc.Dir, env: exported(hc.Env),
		stdin: stdin, stdout: orDiscard(hc.Stdout), stderr: orDiscard(hc.Stderr),
	}
}

// exported lists the variables a child process inherits, sorted.
func exported(env expand.Environ) []string {
	vars := map[string]string{}
	env.Each(func(name string, vr expand.Variable) bool {
		switch {
		case !vr.IsSet():
			delete(vars, name)
		case vr.Exported && vr.Kind == expand.String && !shellOnly[name]:
			vars[name] = vr.String()
		}
		return true
	})
	list := make([]string, 0, len(vars))
	for k, v := range vars {
		list = append(list, k+"="+v)
	}
	slices.Sort(list)
	return list
}

// Flags for proc.create.
const (
	truncFlag  = os.O_TRUNC
	appendFlag = os.O_APPEND

	exclusiveCreate = os.O_WRONLY | os.O_CREATE | os.O_EXCL
)

// shellOnly are variables a shell sets for itself and never exports.
var shellOnly = map[string]bool{"UID": true, "EUID": true, "GID": true}

// getenv returns the value of the exported variable name.
func (p *proc) getenv(name string) string {
	for _, kv := range p.env {
		if k, v, _ := strings.Cut(kv, "="); k == name {
			return v
		}
	}
	return ""
}

// errorf prints "name: message" on stderr and returns code.
func (p *proc) errorf(code int, format string, args ...any) int {
	fmt.Fprintf(p.stderr, "%s: %s\n", p.name, fmt.Sprintf(format, args...))
	return code
}

// fileErr reports a failed operation on a file the coreutils way
// ("cat: x: No such file or directory") and returns code.
func (p *proc) fileErr(code int, name string, err error) int {
	return p.errorf(code, "%s: %s", name, errText(err))
}

// abs is name as a virtual path seen from the working directory.
func (p *proc) abs(name string) string { return vabs(p.dir, name) }

// umask is the file creation mask in effect.
func (p *proc) umask() fs.FileMode { return p.sh.getUmask() }

// open opens name for reading; "-" and /dev/stdin are standard input.
func (p *proc) open(name string) (io.ReadCloser, error) {
	if name == "-" {
		return io.NopCloser(p.stdin), nil
	}
	if f := stdioDevice(p.abs(name), p.stdin, p.stdout, p.stderr); f != nil {
		return f, nil
	}
	f, err := p.h.openFile(p.cred, p.abs(name), os.O_RDONLY, 0)
	if err != nil {
		return nil, err
	}
	return f, nil
}

// create opens name for writing, truncating it, creating it with
// 0666&^umask like a shell redirection.
func (p *proc) create(name string, flag int) (io.WriteCloser, error) {
	if f := stdioDevice(p.abs(name), p.stdin, p.stdout, p.stderr); f != nil {
		return f, nil
	}
	f, err := p.h.openFile(p.cred, p.abs(name), os.O_WRONLY|os.O_CREATE|flag, 0o666&^p.umask())
	if err != nil {
		return nil, err
	}
	return f, nil
}

// readFile returns the whole content of name ("-" is stdin).
func (p *proc) readFile(name string) ([]byte, error) {
	r, err := p.open(name)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return io.ReadAll(r)
}

// eachInput calls fn for every operand, or for stdin when there are none,
// reporting unreadable files and returning 1 if any was.
func (p *proc) eachInput(operands []string, fn func(name string, r io.Reader) error) int {
	if len(operands) == 0 {
		operands = []string{"-"}
	}
	code := 0
	for _, name := range operands {
		r, err := p.open(name)
		if err == nil {
			err = fn(name, r)
			r.Close()
		}
		if err != nil {
			code = p.fileErr(1, name, err)
		}
	}
	return code
}
