package ssh

import (
	"context"
	"fmt"
	"strings"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/rotplay/rotplay/transport"
)

// learnFacts starts the shell when pipelining, asks the host what it is,
// in one round trip and without sudo (nothing here needs privilege, and a
// sudo problem is better reported by the first command that needs it),
// then sets up become.
func (c *conn) learnFacts(ctx context.Context, h *host, shellStart time.Duration) error {
	var notes []string
	if h.pipelining {
		// A host without a usable sh -s gets a session per command, and
		// the operator is told.
		var err error
		if c.shell, err = c.startShell(ctx, shellStart); err != nil {
			notes = append(notes, fmt.Sprintf("pipelining off (%v): each command takes an SSH session of its own, "+
				"which is slower; set the host var %s: false to skip the attempt", err, varPipelining))
		}
	}
	out, err := c.execute(ctx, command{script: scriptFacts, inline: true}, nil, ssh.SIGKILL)
	if err != nil {
		return err
	}
	lines := strings.Split(strings.TrimSuffix(string(out.stdout), "\n"), "\n")
	var uname []string
	if len(lines) == 2 {
		uname = strings.Fields(lines[0])
	}
	if out.code != 0 || len(uname) != 3 || lines[1] == "" {
		return fmt.Errorf("unexpected answer from the facts script (exit %d, %d lines): %s",
			out.code, len(lines), firstLine(out.stderr))
	}
	c.facts = transport.Facts{
		OS:       goos(uname[0]),
		Arch:     goarch(uname[0], uname[2]),
		Hostname: uname[1],
		User:     lines[1],
		Notes:    notes,
	}
	c.login = lines[1]
	// Linux utilities (coreutils, busybox) flush one file with `sync FILE`;
	// elsewhere sync's operands are not portable (see scripts.go).
	c.flush = c.facts.OS == "linux"
	if h.become {
		c.setBecome(h.becomeUser)
	}
	return nil
}

// setBecome wraps commands in sudo unless the login user already is the
// become user (root when ""): such a host needs no sudoers entry.
func (c *conn) setBecome(becomeUser string) {
	as := becomeUser
	if as == "" {
		as = "root"
	}
	c.asUser, c.facts.User = as, as
	if as != c.login {
		c.sudo = sudoPrefix(becomeUser)
	}
}

// goos turns `uname -s` into Go's GOOS spelling.
func goos(uname string) string {
	s := strings.ToLower(strings.TrimSpace(uname))
	switch s {
	case "sunos":
		return "solaris"
	case "hp-ux":
		return "hpux"
	}
	return s
}

// goarch turns `uname -m` into Go's GOARCH spelling. AIX's `uname -m` is
// the machine's serial number, not its architecture; AIX runs on 64-bit
// POWER only.
func goarch(uname, machine string) string {
	if goos(uname) == "aix" {
		return "ppc64"
	}
	m := strings.ToLower(strings.TrimSpace(machine))
	switch {
	case m == "x86_64" || m == "amd64":
		return "amd64"
	case m == "aarch64" || m == "arm64":
		return "arm64"
	case m == "i386" || m == "i486" || m == "i586" || m == "i686":
		return "386"
	case strings.HasPrefix(m, "armv"):
		return "arm"
	}
	return m // ppc64le, ppc64, s390x, riscv64, ... are spelt alike
}

// firstLine is the first line of a remote message, bounded, for errors.
func firstLine(b []byte) string {
	s, _, _ := strings.Cut(strings.TrimSpace(string(b)), "\n")
	if len(s) > 300 {
		s = s[:300] + "..."
	}
	return s
}
