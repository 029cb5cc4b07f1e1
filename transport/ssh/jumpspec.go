package ssh

import (
	"fmt"
	"net"
	"strconv"
	"strings"

	"mvdan.cc/sh/v3/shell"
)

// Inventory variables that name jump hosts.
const (
	varProxyJump  = "rotplay_ssh_proxy_jump"
	varCommonArgs = "ansible_ssh_common_args"
)

// jumpSpec is one jump host as written: [user@]host[:port].
type jumpSpec struct {
	user, host string
	port       int // 0 when not given
}

func (j jumpSpec) String() string {
	s := j.host
	if j.port != 0 {
		s = net.JoinHostPort(j.host, strconv.Itoa(j.port))
	}
	if j.user != "" {
		s = j.user + "@" + s
	}
	return s
}

// resolveJumps returns the jump hosts of a target: rotplay_ssh_proxy_jump,
// else ansible_ssh_common_args, else ssh_config's ProxyJump for alias.
func (d *dialer) resolveJumps(cfg *sshConfig, alias string, vars map[string]any) ([]jumpSpec, error) {
	chain, err := stringVar(vars, varProxyJump)
	if err != nil {
		return nil, err
	}
	from := varProxyJump
	if chain == "" {
		args, err := stringVar(vars, varCommonArgs)
		if err != nil {
			return nil, err
		}
		if chain, err = proxyJumpArg(args); err != nil {
			return nil, err
		}
		from = varCommonArgs
	}
	if chain == "" {
		if chain, err = cfg.get(alias, "ProxyJump"); err != nil {
			return nil, err
		}
		from = cfg.file + " ProxyJump"
	}
	if chain == "" || strings.EqualFold(chain, "none") {
		return nil, nil
	}
	jumps, err := parseJumpChain(chain)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", from, err)
	}
	return jumps, nil
}

// proxyJumpArg finds the jump hosts in ansible_ssh_common_args. Only
// `-o ProxyJump=...` and `-J ...` are understood: rotplay is not ssh, and
// silently ignoring another option (StrictHostKeyChecking=no, a
// ProxyCommand) would connect differently from what the user asked.
func proxyJumpArg(args string) (string, error) {
	fields, err := shell.Fields(args, func(string) string { return "" })
	if err != nil {
		return "", fmt.Errorf("%s %q: %w", varCommonArgs, args, err)
	}
	chain := ""
	for i := 0; i < len(fields); i++ {
		f, value := fields[i], ""
		switch {
		case f == "-o" || f == "-J":
			if i+1 == len(fields) {
				return "", unsupportedArgs(args, f+" without a value")
			}
			i++
			value = fields[i]
		case strings.HasPrefix(f, "-o") || strings.HasPrefix(f, "-J"):
			value = f[2:]
		default:
			return "", unsupportedArgs(args, f)
		}
		if f[:2] == "-o" {
			k, v, ok := strings.Cut(value, "=")
			if !ok || !strings.EqualFold(strings.TrimSpace(k), "ProxyJump") {
				return "", unsupportedArgs(args, "-o "+value)
			}
			value = strings.TrimSpace(v)
		}
		chain = value
	}
	return chain, nil
}

func unsupportedArgs(args, what string) error {
	return fmt.Errorf("%s %q: %s is not supported: rotplay understands only `-o ProxyJump=[user@]host[:port]` and "+
		"`-J [user@]host[:port]` there (or set %s); put other SSH options in ~/.ssh/config",
		varCommonArgs, args, what, varProxyJump)
}

// parseJumpChain parses "[user@]host[:port][,...]", as ssh's -J.
func parseJumpChain(chain string) ([]jumpSpec, error) {
	var out []jumpSpec
	for part := range strings.SplitSeq(chain, ",") {
		j, err := parseJump(strings.TrimSpace(part))
		if err != nil {
			return nil, err
		}
		out = append(out, j)
	}
	return out, nil
}

func parseJump(s string) (jumpSpec, error) {
	var j jumpSpec
	s = strings.TrimPrefix(s, "ssh://")
	if at := strings.LastIndex(s, "@"); at >= 0 {
		j.user, s = s[:at], s[at+1:]
	}
	j.host = s
	if h, p, err := net.SplitHostPort(s); err == nil {
		port, err := strconv.Atoi(p)
		if err != nil || port <= 0 || port > 65535 {
			return j, fmt.Errorf("jump host %q: %q is not a port number", s, p)
		}
		j.host, j.port = h, port
	}
	if j.host == "" || strings.ContainsAny(j.host, " /") || strings.HasPrefix(j.host, "-") {
		return j, fmt.Errorf("jump host %q: want [user@]host[:port]", s)
	}
	return j, nil
}
