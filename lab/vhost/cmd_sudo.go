package vhost

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// cmdSudo runs a command as another user (root by default):
// sudo [-n] [-S] [-E] [-H] [-p PROMPT] [-u USER] [--] COMMAND [ARG]...
// Root needs no password; other users need none either unless the host
// has Options.SudoPassword (then -n fails and -S reads it from stdin) or
// Options.NoSudo. The command gets sudo's reset environment unless -E.
func cmdSudo(ctx context.Context, p *proc, args []string) int {
	spec := argSpec{short: "nSEHiklsu:g:p:", posix: true, long: []string{
		"--non-interactive", "--stdin", "--preserve-env", "--set-home", "--login", "--user=", "--prompt=",
	}}
	c, ok := p.parseArgs(spec, args, 1)
	if !ok {
		return 1
	}
	if len(c.operands) == 0 {
		return p.errorf(1, "a command is required (usage: sudo [-n] [-u user] [--] command)")
	}
	target := "root"
	if u, ok := c.value("u", "--user"); ok {
		target = u
	}
	acct, ok := p.sudoTarget(target)
	if !ok {
		return p.errorf(1, "unknown user %s", target)
	}
	if code := p.sudoAuth(c); code != 0 {
		return code
	}
	child := *p
	child.cred = acct.cred()
	child.env = sudoEnv(p, acct, c.has("E", "--preserve-env"), c.operands)
	argv := c.operands
	if !strings.Contains(argv[0], "/") && lookupCommand(argv[0]) == nil {
		return p.errorf(1, "%s: command not found", argv[0])
	}
	return child.run(ctx, argv)
}

// sudoTarget resolves -u's USER or #UID.
func (p *proc) sudoTarget(name string) (account, bool) {
	db := p.h.userDB()
	if n, ok := strings.CutPrefix(name, "#"); ok {
		uid, err := strconv.Atoi(n)
		if err != nil {
			return account{}, false
		}
		if a, ok := db.byUID(uid); ok {
			return a, true
		}
		return account{name: n, uid: uid, gid: uid, home: "/"}, true
	}
	return db.user(name)
}

// sudoAuth decides whether the caller may use sudo, printing sudo's
// messages when not.
func (p *proc) sudoAuth(c cmdline) int {
	if p.cred.uid == 0 {
		return 0
	}
	nonInteractive := c.has("n", "--non-interactive")
	switch {
	case p.h.opts.NoSudo && nonInteractive, p.h.opts.SudoPassword != "" && nonInteractive:
		return p.errorf(1, "a password is required")
	case p.h.opts.NoSudo:
		fmt.Fprintf(p.stderr, "%s is not in the sudoers file.\n", p.cred.user)
		return 1
	case p.h.opts.SudoPassword == "":
		return 0
	case !c.has("S", "--stdin"):
		p.errorf(1, "a terminal is required to read the password; either use the -S option to read from standard input or configure an askpass helper")
		return p.errorf(1, "a password is required")
	}
	prompt, ok := c.value("p", "--prompt")
	if !ok {
		prompt = fmt.Sprintf("[sudo] password for %s: ", p.cred.user)
	}
	fmt.Fprint(p.stderr, prompt)
	if readLine(p.stdin) != p.h.opts.SudoPassword {
		fmt.Fprintln(p.stderr, "Sorry, try again.")
		return p.errorf(1, "1 incorrect password attempt")
	}
	return 0
}

// readLine reads one line byte by byte, so that the rest of stdin stays
// for the command (sudo -S tee FILE).
func readLine(r io.Reader) string {
	var b strings.Builder
	buf := make([]byte, 1)
	for {
		n, err := r.Read(buf)
		if n == 1 && buf[0] != '\n' {
			b.WriteByte(buf[0])
		}
		if err != nil || n == 1 && buf[0] == '\n' {
			return strings.TrimSuffix(b.String(), "\r")
		}
	}
}

// sudoEnv is the environment sudo's env_reset gives the command, or the
// caller's with -E.
func sudoEnv(p *proc, target account, preserve bool, argv []string) []string {
	env := []string{
		"HOME=" + target.home, "USER=" + target.name, "LOGNAME=" + target.name, "SHELL=/bin/sh",
		"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
	}
	if preserve {
		env = p.env
	}
	for _, keep := range []string{"TERM", "LANG", "LC_ALL"} {
		if v := p.getenv(keep); v != "" && !preserve {
			env = append(env, keep+"="+v)
		}
	}
	env = setEnv(env, "SUDO_USER", p.cred.user, false)
	env = setEnv(env, "SUDO_UID", strconv.Itoa(p.cred.uid), false)
	env = setEnv(env, "SUDO_GID", strconv.Itoa(p.cred.gid), false)
	return setEnv(env, "SUDO_COMMAND", strings.Join(argv, " "), false)
}
