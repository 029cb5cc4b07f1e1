package vhost

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"github.com/rotplay/rotplay/lab/fakedt"
	"github.com/rotplay/rotplay/lab/sshserver"
)

// Request is one command line to run, as the lab's SSH server passes it.
type Request = sshserver.ExecRequest

// Options describe a host's login account and its Dynatrace fakes.
type Options struct {
	// User is the login user; "" and "root" log in as root (uid 0).
	User string
	// UID is a non-root User's uid (and gid); 0 means 1000.
	UID int

	// Reporter receives the fakes' connects and stops. nil means: the
	// simulator named in the host's /etc/rotplay-lab/host.json, if any.
	Reporter fakedt.Reporter
	// RestartDelay is how long a service (re)start takes.
	RestartDelay time.Duration

	// SudoPassword, when set, makes sudo ask for it: `sudo -n` fails
	// with "a password is required" and `sudo -S` reads it from stdin.
	// "" means passwordless sudo (NOPASSWD), the default.
	SudoPassword string
	// NoSudo takes the login user out of sudoers: sudo always fails.
	NoSudo bool
}

// Host is one simulated host. Its methods are safe for concurrent use:
// several sessions may run commands on the same host at once.
type Host struct {
	name   string
	root   string // absolute real directory seen as "/"
	opts   Options
	owners owners
	hook   atomic.Pointer[CommandHook]
}

// CommandHook intercepts every command a host runs that is not a shell
// builtin: the sh of `sh -c SCRIPT`, sudo, systemctl, oneagentctl, ...,
// whether it came in an SSH exec request of its own or through a long-lived
// `sh -s`. req.Command is its argv joined by blanks; its streams are the
// command's. The hook may run next, return an exit status of its own
// without running it, or block until ctx ends; a negative status -n is
// death by signal n (exit status 128+n).
type CommandHook func(ctx context.Context, req Request, next sshserver.ExecFunc) int

// SetCommandHook makes hook intercept every later command; nil removes it.
func (h *Host) SetCommandHook(hook CommandHook) {
	if hook == nil {
		h.hook.Store(nil)
	} else {
		h.hook.Store(&hook)
	}
}

// New makes a host called name whose file system is the real directory
// root (created if missing). It creates the login user's home directory
// and a world-writable /tmp inside root when missing.
func New(name, root string, opts Options) (*Host, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, fmt.Errorf("new host %s: %w", name, err)
	}
	if opts.User == "" {
		opts.User = "root"
	}
	if opts.User == "root" {
		opts.UID = 0
	} else if opts.UID == 0 {
		opts.UID = 1000
	}
	h := &Host{name: name, root: abs, opts: opts}
	if err := h.prepare(); err != nil {
		return nil, fmt.Errorf("new host %s: %w", name, err)
	}
	return h, nil
}

// prepare creates what every Linux host has and the lab may not have
// laid out: /root, the login user's home and /tmp.
func (h *Host) prepare() error {
	if err := ensureDir(h.realPath("/root"), 0o700); err != nil {
		return err
	}
	if home := h.login().home; home != "/root" {
		if err := ensureDir(h.realPath(home), 0o750); err != nil {
			return err
		}
		h.owners.set(home, owner{h.opts.UID, h.opts.UID})
	}
	return ensureDir(h.realPath("/tmp"), 0o777|os.ModeSticky)
}

// ensureDir creates the real directory dir with mode unless it exists.
func ensureDir(dir string, mode os.FileMode) error {
	if _, err := os.Stat(dir); err == nil {
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return os.Chmod(dir, mode)
}

// Name returns the host's name (what hostname prints).
func (h *Host) Name() string { return h.name }

// Root returns the real directory that is the host's "/".
func (h *Host) Root() string { return h.root }

// FS returns the host's file system as root sees it, for the lab to lay
// out files and for the fakes: paths are virtual ("/etc/..."), writes are
// atomic and owned by root unless the file existed.
func (h *Host) FS() fakedt.FS { return hostFS{h} }

// Chown sets the virtual owner of the file at the virtual path name, the
// way the lab gives files to users such as dtuserag. Symlinks are
// followed.
func (h *Host) Chown(name string, uid, gid int) error {
	return h.chown(rootCred, name, uid, gid, true)
}

// Owner returns the virtual owner of the file at the virtual path name,
// following symlinks.
func (h *Host) Owner(name string) (uid, gid int, err error) {
	v, err := h.resolve(rootCred, name, true)
	if err != nil {
		return 0, 0, pathErr("stat", name, err)
	}
	if _, err := os.Lstat(h.realPath(v)); err != nil {
		return 0, 0, pathErr("stat", name, err)
	}
	o := h.owners.get(v)
	return o.uid, o.gid, nil
}

// Exec runs req.Command as req.User (the login user when "") with sh
// semantics and returns its exit status: 127 for an unknown command, 2 for
// a syntax error, -15 (killed by SIGTERM, in sshserver's convention) when
// ctx ends first. An unknown user gets 255 and a message, as a failed
// login would. An empty Command reads the script from Stdin.
func (h *Host) Exec(ctx context.Context, req Request) int {
	c, ok := h.credFor(req.User)
	if !ok {
		fmt.Fprintf(orDiscard(req.Stderr), "Permission denied: no user %q on %s\n", req.User, h.name)
		return 255
	}
	sh := newShell(h, c, defaultUmask)
	code := sh.runLogin(ctx, req)
	if ctx.Err() != nil {
		return -15
	}
	return code
}

var _ sshserver.ExecFunc = (*Host)(nil).Exec
