package winrmfake

import (
	"context"
	"fmt"
	"sync"
	"unicode/utf16"
)

// maxCommandLine is cmd.exe's limit: WinRM runs command lines through
// `cmd.exe /c` (the client sends WINRS_SKIP_CMD_SHELL=FALSE).
const maxCommandLine = 8191

// shell is one Windows Remote Shell: it lives from Create to Delete,
// whatever happens to the HTTP connections in between.
type shell struct {
	id     string
	user   string
	ctx    context.Context // ends at Delete or server Close
	cancel context.CancelFunc

	mu       sync.Mutex
	commands map[string]*command
}

// command is one command line started in a shell.
type command struct {
	id     string
	cancel context.CancelFunc // ends the Handler's ctx (Signal, Delete)
	stdin  *inbox
	out    *outbox
}

type shellTable struct {
	mu     sync.Mutex
	shells map[string]*shell
}

func newShellTable() *shellTable { return &shellTable{shells: map[string]*shell{}} }

func (t *shellTable) add(sh *shell) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.shells[sh.id] = sh
}

func (t *shellTable) get(id string) *shell {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.shells[id]
}

func (t *shellTable) remove(id string) *shell {
	t.mu.Lock()
	defer t.mu.Unlock()
	sh := t.shells[id]
	delete(t.shells, id)
	return sh
}

// Shells returns how many shells are open: created and not yet deleted.
// A client that cleans up leaves none.
func (s *Server) Shells() int {
	s.shells.mu.Lock()
	defer s.shells.mu.Unlock()
	return len(s.shells.shells)
}

// newShell creates a shell for user.
func (s *Server) newShell(user string) *shell {
	ctx, cancel := context.WithCancel(s.ctx)
	sh := &shell{id: newID(), user: user, ctx: ctx, cancel: cancel, commands: map[string]*command{}}
	s.shells.add(sh)
	return sh
}

func (sh *shell) command(id string) *command {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	return sh.commands[id]
}

// start runs line in sh: through the Handler, or, like cmd.exe, refused
// when it is too long. It fails only when the server is closing.
func (s *Server) start(sh *shell, line string) (*command, error) {
	ctx, cancel := context.WithCancel(sh.ctx)
	c := &command{id: newID(), cancel: cancel, stdin: newInbox(ctx), out: newOutbox()}
	if !s.enter() {
		cancel()
		return nil, fmt.Errorf("server closing")
	}
	sh.mu.Lock()
	sh.commands[c.id] = c
	sh.mu.Unlock()
	req := Request{
		User:        sh.user,
		CommandLine: line,
		Stdin:       c.stdin,
		Stdout:      streamWriter{o: c.out, ctx: ctx},
		Stderr:      streamWriter{o: c.out, ctx: ctx, stderr: true},
	}
	go func() {
		defer s.wg.Done()
		c.out.finish(s.run(ctx, req))
	}()
	return c, nil
}

// run runs one command line and returns its exit code.
func (s *Server) run(ctx context.Context, req Request) (code int) {
	if len(utf16.Encode([]rune(req.CommandLine))) > maxCommandLine {
		_, _ = fmt.Fprint(req.Stderr, "The command line is too long.\r\n")
		return 1
	}
	defer func() {
		if p := recover(); p != nil {
			_, _ = fmt.Fprintf(req.Stderr, "winrmfake: command panicked: %v\r\n", p)
			code = 1
		}
	}()
	return s.cfg.Handler(ctx, req)
}

// delete ends sh and every command in it.
func (sh *shell) delete() {
	sh.cancel()
	sh.mu.Lock()
	defer sh.mu.Unlock()
	for _, c := range sh.commands {
		c.cancel()
	}
}
