package winhost

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

	"github.com/rotplay/rotplay/internal/powershell"
)

// ScriptFunc emulates one PowerShell script: it gets the script's input
// (the first line of stdin, the JSON the script reads), writes what the
// script would write, and returns its exit code. The session running it
// is SessionOf(ctx); ctx ends when the client terminates the command.
type ScriptFunc func(ctx context.Context, h *Host, input json.RawMessage, stdout, stderr io.Writer) int

// Host is one simulated Windows host. Its methods are safe for concurrent
// use.
type Host struct {
	name string
	root string

	prepared sync.Once
	prepErr  error

	mu      sync.Mutex
	env     map[string]envVar  // system variables by upper-case name
	acls    map[string]string  // by winPath.key
	scripts map[string]handler // by script ID
}

// handler is an emulation and the exact script text it was written for.
type handler struct {
	text string
	fn   ScriptFunc
}

// New returns a host called name whose drives live under root (C: is
// root/C), with the emulations of the winrm transport's scripts
// registered. The standard directories (C:\Windows, C:\ProgramData, ...)
// are created on first use.
func New(name, root string) *Host {
	h := &Host{
		name:    name,
		root:    root,
		env:     defaultEnv(computerName(name)),
		acls:    map[string]string{},
		scripts: map[string]handler{},
	}
	registerTransportScripts(h)
	return h
}

// computerName is the NetBIOS name Windows derives from a host name: the
// first label, upper case, at most 15 characters.
func computerName(name string) string {
	first, _, _ := strings.Cut(name, ".")
	first = strings.ToUpper(first)
	if len(first) > 15 {
		first = first[:15]
	}
	return first
}

// Name returns the host's name as given to New.
func (h *Host) Name() string { return h.name }

// Handle registers fn as the emulation of script, which is recognised by
// its marker and must then be exactly script.Text. A later Handle for the
// same marker replaces the earlier one.
func (h *Host) Handle(script powershell.Script, fn ScriptFunc) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.scripts[script.ID()] = handler{text: script.Text, fn: fn}
}

func (h *Host) script(id string) (handler, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	s, ok := h.scripts[id]
	return s, ok
}

// standardDirs exist on every Windows host.
var standardDirs = []string{`C:\Windows\Temp`, `C:\ProgramData`, `C:\Program Files`, `C:\Program Files (x86)`, `C:\Users\Public`}

// prepare creates the standard directories, once.
func (h *Host) prepare() error {
	h.prepared.Do(func() {
		for _, d := range standardDirs {
			if err := h.MkdirAll(d); err != nil {
				h.prepErr = err
				return
			}
		}
	})
	return h.prepErr
}

// Session is who runs a command on the host, and where.
type Session struct {
	User string // as authenticated: "user" or "DOMAIN\user"
	Dir  string // the working directory, an absolute Windows path
}

type sessionKey struct{}

// SessionOf returns the session a ScriptFunc runs in.
func SessionOf(ctx context.Context) Session {
	s, _ := ctx.Value(sessionKey{}).(Session)
	return s
}

// newSession starts a session for user in their profile directory, which
// is created at the first logon, as Windows does.
func (h *Host) newSession(user string) (Session, error) {
	_, name := splitUser(user)
	profile := `C:\Users\` + name
	if err := h.MkdirAll(profile + `\AppData\Local\Temp`); err != nil {
		return Session{}, fmt.Errorf("create the profile of %s: %w", user, err)
	}
	if err := h.MkdirAll(profile + `\AppData\Roaming`); err != nil {
		return Session{}, fmt.Errorf("create the profile of %s: %w", user, err)
	}
	return Session{User: user, Dir: profile}, nil
}

// cwd is s.Dir parsed; C:\ when it is not an absolute path.
func (s Session) cwd() winPath {
	if p, err := parseAbs(s.Dir); err == nil {
		return p
	}
	return winPath{drive: 'C'}
}

// isDir reports whether p is a directory on the host.
func (h *Host) isDir(p winPath) bool {
	fi, err := os.Stat(h.local(p))
	return err == nil && fi.IsDir()
}
