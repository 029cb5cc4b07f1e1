package vhost

import (
	"context"
	"fmt"
	"strings"
)

// cmdTrue does nothing successfully (sync, and true run as a program).
func cmdTrue(context.Context, *proc, []string) int { return 0 }

// cmdID prints ids: -u, -g (numbers, names with -n), -G, or the full
// "uid=0(root) gid=0(root) groups=0(root)" line; an operand names the
// user to describe.
func cmdID(_ context.Context, p *proc, args []string) int {
	c, ok := p.parseArgs(argSpec{short: "ugGnr"}, args, 1)
	if !ok {
		return 1
	}
	db := p.h.userDB()
	who := p.cred
	if len(c.operands) > 0 {
		a, ok := db.user(c.operands[0])
		if !ok {
			return p.errorf(1, "'%s': no such user", c.operands[0])
		}
		who = a.cred()
	}
	uname, gname := db.userName(who.uid), db.groupName(who.gid)
	switch {
	case c.has("u") && c.has("n"):
		fmt.Fprintln(p.stdout, uname)
	case c.has("u"):
		fmt.Fprintln(p.stdout, who.uid)
	case c.has("g", "G") && c.has("n"):
		fmt.Fprintln(p.stdout, gname)
	case c.has("g", "G"):
		fmt.Fprintln(p.stdout, who.gid)
	default:
		fmt.Fprintf(p.stdout, "uid=%d(%s) gid=%d(%s) groups=%d(%s)\n", who.uid, uname, who.gid, gname, who.gid, gname)
	}
	return 0
}

// cmdWhoami prints the user name.
func cmdWhoami(_ context.Context, p *proc, _ []string) int {
	fmt.Fprintln(p.stdout, p.h.userDB().userName(p.cred.uid))
	return 0
}

// Kernel facts every lab host reports.
const (
	kernelRelease = "6.1.0-lab-amd64"
	kernelVersion = "#1 SMP PREEMPT_DYNAMIC Debian 6.1.0-lab"
	machine       = "x86_64"
)

// cmdUname prints system facts: -s (default), -n, -r, -v, -m, -o, -a.
func cmdUname(_ context.Context, p *proc, args []string) int {
	c, ok := p.parseArgs(argSpec{short: "asnrvmpio"}, args, 1)
	if !ok {
		return 1
	}
	fields := []struct {
		flag, value string
	}{
		{"s", "Linux"}, {"n", p.h.name}, {"r", kernelRelease}, {"v", kernelVersion},
		{"m", machine}, {"o", "GNU/Linux"},
	}
	var out []string
	for _, f := range fields {
		if c.has(f.flag, "a") {
			out = append(out, f.value)
		}
	}
	if len(out) == 0 {
		out = []string{"Linux"}
	}
	fmt.Fprintln(p.stdout, strings.Join(out, " "))
	return 0
}

// cmdHostname prints the host's name (-s: up to the first dot). Setting
// it is refused: the lab names its hosts.
func cmdHostname(_ context.Context, p *proc, args []string) int {
	c, ok := p.parseArgs(argSpec{short: "sf"}, args, 1)
	if !ok {
		return 1
	}
	if len(c.operands) > 0 {
		if p.cred.uid != 0 {
			return p.errorf(1, "you must be root to change the host name")
		}
		return p.errorf(1, "the lab does not rename hosts")
	}
	name := p.h.name
	if c.has("s") {
		name, _, _ = strings.Cut(name, ".")
	}
	fmt.Fprintln(p.stdout, name)
	return 0
}

// cmdPrintenv prints the environment, or the named variables (exit 1 if
// one is unset).
func cmdPrintenv(_ context.Context, p *proc, args []string) int {
	if len(args) == 0 {
		for _, kv := range p.env {
			fmt.Fprintln(p.stdout, kv)
		}
		return 0
	}
	code := 0
	for _, name := range args {
		found := false
		for _, kv := range p.env {
			if k, v, _ := strings.Cut(kv, "="); k == name {
				fmt.Fprintln(p.stdout, v)
				found = true
			}
		}
		if !found {
			code = 1
		}
	}
	return code
}

// cmdBasename strips the directory and an optional suffix.
func cmdBasename(_ context.Context, p *proc, args []string) int {
	if len(args) == 0 || len(args) > 2 {
		return p.errorf(1, "missing operand")
	}
	b := baseName(args[0])
	if len(args) == 2 && b != args[1] {
		b = strings.TrimSuffix(b, args[1])
	}
	fmt.Fprintln(p.stdout, b)
	return 0
}

func baseName(s string) string {
	t := strings.TrimRight(s, "/")
	if t == "" {
		if s == "" {
			return ""
		}
		return "/"
	}
	return t[strings.LastIndexByte(t, '/')+1:]
}

// cmdDirname strips the last component.
func cmdDirname(_ context.Context, p *proc, args []string) int {
	if len(args) != 1 {
		return p.errorf(1, "missing operand")
	}
	t := strings.TrimRight(args[0], "/")
	i := strings.LastIndexByte(t, '/')
	switch {
	case i < 0 && t == "" && args[0] != "":
		t = "/"
	case i < 0:
		t = "."
	default:
		t = strings.TrimRight(t[:i], "/")
		if t == "" {
			t = "/"
		}
	}
	fmt.Fprintln(p.stdout, t)
	return 0
}
