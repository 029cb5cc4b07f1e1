//go:build unix

package local

import (
	"context"
	"fmt"
	"os"
	"os/user"
	"runtime"
	"strconv"
	"sync"

	"github.com/rotplay/rotplay/transport"
)

// NewDialer returns a Dialer whose connections are the controller itself.
// Target.Address, Port and User are ignored; Become and BecomeUser apply to
// Run (see the package comment).
func NewDialer() transport.Dialer { return dialer{} }

type dialer struct{}

// Dial implements transport.Dialer. It learns the facts of the controller
// and never fails to "reach" it.
func (dialer) Dial(ctx context.Context, t transport.Target) (transport.Conn, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("dial local: %w", err)
	}
	host, err := os.Hostname()
	if err != nil {
		return nil, fmt.Errorf("dial local: hostname: %w", err)
	}
	self := currentUser()
	// Command.Dir "" means the login directory, as over ssh. An unknown
	// home leaves rotplay's own working directory.
	home, _ := os.UserHomeDir()
	c := &conn{home: home, facts: transport.Facts{
		OS:       runtime.GOOS,
		Arch:     runtime.GOARCH,
		Hostname: host,
		User:     self,
	}}
	if t.Become {
		c.sudo, c.facts.User = become(t.BecomeUser, self)
	}
	return c, nil
}

// become returns the argv prefix that runs a command as becomeUser (root
// when empty), and that user's name. sudo is needed only to change user: a
// controller already running as the become user needs no sudoers entry.
func become(becomeUser, self string) (sudo []string, name string) {
	name = becomeUser
	if name == "" {
		name = "root"
	}
	if name == self {
		return nil, name
	}
	sudo = []string{"sudo", "-n"}
	if becomeUser != "" {
		sudo = append(sudo, "-u", becomeUser)
	}
	return append(sudo, "--"), name
}

// currentUser names the user rotplay runs as. Containers often run with a
// uid that has no passwd entry; the numeric uid is the honest answer then.
func currentUser() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return strconv.Itoa(os.Geteuid())
}

type conn struct {
	facts transport.Facts
	sudo  []string // argv prefix for Run; nil without become
	home  string   // Run's directory when Command.Dir is ""

	// beforeRename, when set, is called by WriteFile once the temporary
	// file is complete, just before the ctx check and rename. Tests use it
	// to interrupt a write at its most delicate point.
	beforeRename func()
	// maxOutput is what Run keeps of stdout and of stderr (0:
	// transport.MaxOutput; tests lower it).
	maxOutput int

	mu     sync.Mutex
	closed bool
}

var _ transport.Conn = (*conn)(nil)

// outputLimit is what Run keeps of a command's stdout, and of its stderr.
func (c *conn) outputLimit() int {
	if c.maxOutput > 0 {
		return c.maxOutput
	}
	return transport.MaxOutput
}

// check reports why a call cannot start: the Conn is closed or ctx ended.
func (c *conn) check(ctx context.Context) error {
	c.mu.Lock()
	closed := c.closed
	c.mu.Unlock()
	if closed {
		return transport.ErrClosed
	}
	return ctx.Err()
}

// Facts implements transport.Conn.
func (c *conn) Facts() transport.Facts { return c.facts }

// Close implements transport.Conn. Calls already in progress finish; later
// calls fail with transport.ErrClosed.
func (c *conn) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closed = true
	return nil
}
