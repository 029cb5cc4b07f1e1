package vhost

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"sync"

	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/interp"
	"mvdan.cc/sh/v3/syntax"
)

// defaultUmask is a login shell's umask on a stock Linux host.
const defaultUmask fs.FileMode = 0o022

// shell is one sh process on a host: who it runs as and the state the
// interpreter does not keep for us (umask, noclobber). Pipelines and
// subshells run handlers concurrently, hence the lock.
type shell struct {
	h    *Host
	cred cred

	mu        sync.Mutex
	umask     fs.FileMode
	noclobber bool
	traps     map[string]string // signal traps: the interpreter has none
}

func newShell(h *Host, c cred, umask fs.FileMode) *shell {
	return &shell{h: h, cred: c, umask: umask}
}

func (s *shell) getUmask() fs.FileMode {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.umask
}

func (s *shell) setUmask(m fs.FileMode) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.umask = m
}

func (s *shell) noClobber() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.noclobber
}

func (s *shell) setNoClobber(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.noclobber = on
}

// script is one program for the interpreter to run.
type script struct {
	src    string
	arg0   string    // $0
	opts   []string  // sh options such as "-e"
	params []string  // $1...
	dir    string    // virtual working directory
	env    []string  // exported variables, NAME=value
	stdin  io.Reader // nil: empty
	stdout io.Writer
	stderr io.Writer
}

// runLogin runs an SSH request's command line as a login shell would.
func (s *shell) runLogin(ctx context.Context, req Request) int {
	sc := script{
		src: req.Command, arg0: "sh", dir: s.loginDir(),
		env: loginEnv(s.cred, req.Env), stdin: req.Stdin,
		stdout: orDiscard(req.Stdout), stderr: orDiscard(req.Stderr),
	}
	if sc.src == "" && sc.stdin != nil {
		data, err := io.ReadAll(sc.stdin)
		if err != nil {
			fmt.Fprintf(sc.stderr, "sh: read script: %v\n", err)
			return 2
		}
		sc.src, sc.stdin = string(data), nil
	}
	return s.run(ctx, sc)
}

// loginDir is the home directory, or "/" when it is gone, as login does.
func (s *shell) loginDir() string {
	if _, info, err := s.h.statAt(s.cred, s.cred.home, true); err == nil && info.IsDir() {
		return s.cred.home
	}
	return "/"
}

// loginEnv is the environment sshd and login give a session, plus what
// the client sent.
func loginEnv(c cred, extra map[string]string) []string {
	env := []string{
		"HOME=" + c.home, "USER=" + c.user, "LOGNAME=" + c.user, "SHELL=/bin/sh",
		"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
	}
	for k, v := range extra {
		env = append(env, k+"="+v)
	}
	return env
}

// run interprets sc and returns its exit status: 2 for a syntax error,
// as dash does.
func (s *shell) run(ctx context.Context, sc script) int {
	file, err := syntax.NewParser().Parse(strings.NewReader(sc.src), sc.arg0)
	if err != nil {
		fmt.Fprintf(sc.stderr, "%s: %v\n", sc.arg0, err)
		return 2
	}
	stdin, closeStdin, err := fileStdin(sc.stdin)
	if err != nil {
		fmt.Fprintf(sc.stderr, "%s: %v\n", sc.arg0, err)
		return 2
	}
	defer closeStdin()
	// A command blocked reading stdin must see EOF when the session ends.
	defer context.AfterFunc(ctx, closeStdin)()
	r, err := interp.New(s.options(sc, stdin)...)
	if err != nil {
		fmt.Fprintf(sc.stderr, "%s: %v\n", sc.arg0, err)
		return 2
	}
	err = r.Run(ctx, file)
	if ctx.Err() != nil {
		s.deliverTerm(ctx, r)
	}
	return exitCode(err, sc.stderr)
}

// runStream interprets the script src as it arrives, each line's
// statements once the line is complete, as sh -s does: a client may send
// a command, wait for its output, then send the next (rotplay's
// pipelining). The commands' stdin is empty (a real sh -s would let them
// read the rest of the script; no client of the lab wants that). It ends
// at the end of src, at exit, or when ctx ends.
func (s *shell) runStream(ctx context.Context, sc script, src io.Reader) int {
	r, err := interp.New(s.options(sc, nil)...)
	if err != nil {
		fmt.Fprintf(sc.stderr, "%s: %v\n", sc.arg0, err)
		return 2
	}
	// A statement blocked in a read of src must see EOF when ctx ends.
	if c, ok := src.(io.Closer); ok {
		defer context.AfterFunc(ctx, func() { _ = c.Close() })()
	}
	parser := syntax.NewParser()
	var runErr error
	for stmts, perr := range parser.InteractiveSeq(src) {
		if perr != nil {
			if ctx.Err() != nil {
				break
			}
			fmt.Fprintf(sc.stderr, "%s: %v\n", sc.arg0, perr)
			return 2
		}
		if parser.Incomplete() {
			continue // the statement goes on in the next line
		}
		for _, st := range stmts {
			runErr = r.Run(ctx, st)
			if r.Exited() || ctx.Err() != nil {
				break
			}
		}
		if r.Exited() || ctx.Err() != nil {
			break
		}
	}
	if ctx.Err() != nil {
		s.deliverTerm(ctx, r)
		if runErr == nil {
			runErr = ctx.Err()
		}
	}
	return exitCode(runErr, sc.stderr)
}

func (s *shell) options(sc script, in *os.File) []interp.RunnerOption {
	var stdin io.Reader // a nil *os.File must stay a nil interface
	if in != nil {
		stdin = in
	}
	params := append(append(append([]string{}, sc.opts...), "--"), sc.params...)
	return []interp.RunnerOption{
		interp.StdIO(stdin, sc.stdout, sc.stderr),
		interp.Env(expand.ListEnviron(append(sc.env, s.idVars()...)...)),
		func(r *interp.Runner) error { r.Dir = sc.dir; return nil }, // virtual: interp.Dir would stat it for real
		interp.Params(params...),
		interp.CallHandler(s.call),
		interp.ExecHandlers(func(interp.ExecHandlerFunc) interp.ExecHandlerFunc { return s.exec }),
		interp.OpenHandler(s.open),
		interp.StatHandler(s.stat),
		interp.ReadDirHandler2(s.readDir),
		interp.AccessHandler(s.access),
	}
}

// idVars are bash's UID, EUID and GID, which the interpreter would
// otherwise take from the lab process.
func (s *shell) idVars() []string {
	return []string{fmt.Sprintf("UID=%d", s.cred.uid), fmt.Sprintf("EUID=%d", s.cred.uid), fmt.Sprintf("GID=%d", s.cred.gid)}
}

// exitCode turns the interpreter's result into an exit status; an error
// that is not a status is the shell's own failure.
func exitCode(err error, stderr io.Writer) int {
	if err == nil {
		return 0
	}
	var st interp.ExitStatus
	if errors.As(err, &st) {
		return int(st)
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return 130
	}
	fmt.Fprintf(stderr, "sh: %v\n", err)
	return 2
}

// fileStdin gives the interpreter an *os.File for r: any other reader
// would make it start a copying goroutine and a pipe it never closes. The
// returned func closes our end once the script is done.
func fileStdin(r io.Reader) (*os.File, func(), error) {
	switch r := r.(type) {
	case nil:
		return nil, func() {}, nil
	case *os.File:
		return r, func() {}, nil
	case *strings.Reader:
		if r.Len() == 0 {
			return nil, func() {}, nil
		}
	}
	pr, pw, err := os.Pipe()
	if err != nil {
		return nil, nil, err
	}
	go func() {
		_, _ = io.Copy(pw, r)
		pw.Close()
	}()
	var once sync.Once
	return pr, func() { once.Do(func() { pr.Close() }) }, nil
}

func orDiscard(w io.Writer) io.Writer {
	if w == nil {
		return io.Discard
	}
	return w
}
