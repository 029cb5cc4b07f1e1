// Package fake is an in-memory transport for tests: hosts with a file map
// and a scripted command handler, recording every call. It honours the
// transport.Conn contracts (atomic writes keep owner and mode, contexts
// cancel blocked calls) so engine and module tests exercise real semantics.
package fake

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"sort"
	"sync"
	"time"

	"github.com/rotplay/rotplay/transport"
)

// RunFunc answers a command on a fake host.
type RunFunc func(ctx context.Context, h *Host, cmd transport.Command, stdin []byte) (transport.Result, error)

// File is a file on a fake host.
type File struct {
	Data []byte
	Info transport.FileInfo
}

// Host is a fake machine. Its fields may be set before dialing; afterwards
// use the methods, which lock.
type Host struct {
	Name    string
	Facts   transport.Facts
	Run     RunFunc // nil: every command exits 0 with no output
	DialErr error   // returned (wrapped in ErrUnreachable) by Dial
	// DialDelay delays Dial, to test concurrent connection set-up.
	DialDelay time.Duration

	mu    sync.Mutex
	files map[string]File
	calls []Call
	dials int
}

// Call records one operation on a host.
type Call struct {
	Op   string // "run", "read", "write", "stat"
	Arg  string // command line or path
	At   time.Time
	Data []byte // stdin for run, content for write
}

// SetFile creates or replaces a file.
func (h *Host) SetFile(path string, data []byte, info transport.FileInfo) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.files == nil {
		h.files = map[string]File{}
	}
	info.Size = int64(len(data))
	h.files[path] = File{Data: append([]byte(nil), data...), Info: info}
}

// File returns a file's current state.
func (h *Host) File(path string) (File, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	f, ok := h.files[path]
	return f, ok
}

// Paths lists the files on the host, sorted.
func (h *Host) Paths() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make([]string, 0, len(h.files))
	for p := range h.files {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// Calls returns the operations done on the host so far.
func (h *Host) Calls() []Call {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]Call(nil), h.calls...)
}

// Dials returns how many times the host was dialed.
func (h *Host) Dials() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.dials
}

func (h *Host) record(op, arg string, data []byte) {
	h.mu.Lock()
	h.calls = append(h.calls, Call{Op: op, Arg: arg, At: time.Now(), Data: data})
	h.mu.Unlock()
}

// Network is a set of fake hosts and a transport.Dialer for them.
type Network struct {
	mu    sync.Mutex
	hosts map[string]*Host
}

// NewNetwork returns a network holding hosts, keyed by Host.Name.
func NewNetwork(hosts ...*Host) *Network {
	n := &Network{hosts: map[string]*Host{}}
	for _, h := range hosts {
		n.Add(h)
	}
	return n
}

// Add adds a host.
func (n *Network) Add(h *Host) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if h.Facts.OS == "" {
		h.Facts.OS = "linux"
	}
	n.hosts[h.Name] = h
}

// Host returns the host called name, or nil.
func (n *Network) Host(name string) *Host {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.hosts[name]
}

// Dial implements transport.Dialer; it finds the host by Target.Name.
func (n *Network) Dial(ctx context.Context, t transport.Target) (transport.Conn, error) {
	h := n.Host(t.Name)
	if h == nil {
		return nil, fmt.Errorf("dial %s: no such fake host: %w", t.Name, transport.ErrUnreachable)
	}
	h.mu.Lock()
	h.dials++
	h.mu.Unlock()
	if h.DialDelay > 0 {
		select {
		case <-time.After(h.DialDelay):
		case <-ctx.Done():
			return nil, fmt.Errorf("dial %s: %w", t.Name, ctx.Err())
		}
	}
	if h.DialErr != nil {
		return nil, fmt.Errorf("dial %s: %w: %w", t.Name, transport.ErrUnreachable, h.DialErr)
	}
	return &conn{h: h}, nil
}

var _ transport.Dialer = (*Network)(nil)

type conn struct {
	h      *Host
	mu     sync.Mutex
	closed bool
}

var _ transport.Conn = (*conn)(nil)

func (c *conn) check(ctx context.Context) error {
	c.mu.Lock()
	closed := c.closed
	c.mu.Unlock()
	if closed {
		return transport.ErrClosed
	}
	return ctx.Err()
}

func (c *conn) Run(ctx context.Context, cmd transport.Command) (transport.Result, error) {
	if err := c.check(ctx); err != nil {
		return transport.Result{}, err
	}
	var stdin []byte
	if cmd.Stdin != nil {
		var err error
		if stdin, err = io.ReadAll(cmd.Stdin); err != nil {
			return transport.Result{}, err
		}
	}
	c.h.record("run", cmd.Line, stdin)
	if c.h.Run == nil {
		return transport.Result{}, nil
	}
	return c.h.Run(ctx, c.h, cmd, stdin)
}

func (c *conn) ReadFile(ctx context.Context, path string) ([]byte, transport.FileInfo, error) {
	if err := c.check(ctx); err != nil {
		return nil, transport.FileInfo{}, err
	}
	c.h.record("read", path, nil)
	f, ok := c.h.File(path)
	if !ok {
		return nil, transport.FileInfo{}, &fs.PathError{Op: "read", Path: path, Err: fs.ErrNotExist}
	}
	return append([]byte(nil), f.Data...), f.Info, nil
}

func (c *conn) WriteFile(ctx context.Context, path string, data []byte, opts transport.WriteOptions) error {
	if err := c.check(ctx); err != nil {
		return err
	}
	c.h.record("write", path, append([]byte(nil), data...))
	info := transport.FileInfo{Mode: opts.Mode, UID: 1000, GID: 1000}
	if info.Mode == 0 {
		info.Mode = 0o600
	}
	if opts.Chown {
		info.UID, info.GID = opts.UID, opts.GID
	}
	if old, ok := c.h.File(path); ok {
		if old.Info.IsDir {
			return &fs.PathError{Op: "write", Path: path, Err: fmt.Errorf("is a directory")}
		}
		info = old.Info
	}
	c.h.SetFile(path, data, info)
	return nil
}

func (c *conn) Stat(ctx context.Context, path string) (transport.FileInfo, error) {
	if err := c.check(ctx); err != nil {
		return transport.FileInfo{}, err
	}
	c.h.record("stat", path, nil)
	f, ok := c.h.File(path)
	if !ok {
		return transport.FileInfo{}, &fs.PathError{Op: "stat", Path: path, Err: fs.ErrNotExist}
	}
	return f.Info, nil
}

func (c *conn) Facts() transport.Facts { return c.h.Facts }

func (c *conn) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closed = true
	return nil
}
