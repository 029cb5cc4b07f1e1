package vhost

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
)

// sedCmd is one sed command: an optional address (a line number, $ or a
// /regex/) and s, p, d or q.
type sedCmd struct {
	line    int            // address line; 0 none, -1 last line
	addr    *regexp.Regexp // address regex
	op      byte
	re      *regexp.Regexp // s: pattern
	repl    string         // s: replacement
	global  bool           // s: g flag
	printed bool           // s: p flag
}

// cmdSed is a minimal sed: -n, -e, -E/-r and the commands s (flags g, p),
// p, d and q with an optional address. That covers reading values out of
// configuration files; editing in place (-i) is left to the callers' own
// atomic writes.
func cmdSed(_ context.Context, p *proc, args []string) int {
	c, ok := p.parseArgs(argSpec{short: "nEre:", long: []string{"--quiet"}}, args, 1)
	if !ok {
		return 1
	}
	var scripts []string
	for _, f := range c.flags {
		if f.name == "e" {
			scripts = append(scripts, f.value)
		}
	}
	if len(scripts) == 0 {
		if len(c.operands) == 0 {
			return p.errorf(1, "no script given")
		}
		scripts, c.operands = c.operands[:1], c.operands[1:]
	}
	prog, err := parseSed(strings.Join(scripts, "\n"), c.has("E", "r"))
	if err != nil {
		return p.errorf(1, "-e expression #1: %v", err)
	}
	quiet := c.has("n", "--quiet")
	return p.eachInput(c.operands, func(_ string, r io.Reader) error {
		return runSed(prog, quiet, r, p.stdout)
	})
}

func parseSed(src string, extended bool) ([]sedCmd, error) {
	var prog []sedCmd
	for _, part := range strings.FieldsFunc(src, func(r rune) bool { return r == ';' || r == '\n' }) {
		cmd, err := parseSedCmd(strings.TrimSpace(part), extended)
		if err != nil {
			return nil, err
		}
		prog = append(prog, cmd)
	}
	return prog, nil
}

func parseSedCmd(s string, extended bool) (sedCmd, error) {
	var cmd sedCmd
	var err error
	switch {
	case strings.HasPrefix(s, "$"):
		cmd.line, s = -1, s[1:]
	case strings.HasPrefix(s, "/"):
		end := strings.IndexByte(s[1:], '/')
		if end < 0 {
			return cmd, fmt.Errorf("unterminated address regex")
		}
		if cmd.addr, err = compileRegex(s[1:end+1], extended, false); err != nil {
			return cmd, err
		}
		s = s[end+2:]
	default:
		n := len(s) - len(strings.TrimLeft(s, "0123456789"))
		if n > 0 {
			cmd.line, _ = strconv.Atoi(s[:n])
			s = s[n:]
		}
	}
	if s == "" {
		return cmd, fmt.Errorf("missing command")
	}
	cmd.op = s[0]
	switch cmd.op {
	case 'p', 'd', 'q':
		if strings.TrimSpace(s[1:]) != "" {
			return cmd, fmt.Errorf("extra characters after command")
		}
		return cmd, nil
	case 's':
		return parseSubst(cmd, s[1:], extended)
	}
	return cmd, fmt.Errorf("unknown command: `%c'", cmd.op)
}

// parseSubst parses "/re/repl/flags" with any delimiter.
func parseSubst(cmd sedCmd, s string, extended bool) (sedCmd, error) {
	if s == "" {
		return cmd, fmt.Errorf("unterminated `s' command")
	}
	parts := strings.Split(s[1:], s[:1])
	if len(parts) != 3 {
		return cmd, fmt.Errorf("unterminated `s' command")
	}
	re, err := compileRegex(parts[0], extended, false)
	if err != nil {
		return cmd, err
	}
	cmd.re, cmd.repl = re, parts[1]
	for _, f := range parts[2] {
		switch f {
		case 'g':
			cmd.global = true
		case 'p':
			cmd.printed = true
		default:
			return cmd, fmt.Errorf("unknown option to `s'")
		}
	}
	return cmd, nil
}

func runSed(prog []sedCmd, quiet bool, r io.Reader, w io.Writer) error {
	lines := readLines(r)
	for n, line := range lines {
		last := n == len(lines)-1
		deleted, stop := false, false
		for _, cmd := range prog {
			if !cmd.selects(n+1, last, line) {
				continue
			}
			switch cmd.op {
			case 's':
				var ok bool
				if line, ok = cmd.subst(line); ok && cmd.printed {
					fmt.Fprintln(w, line)
				}
			case 'p':
				fmt.Fprintln(w, line)
			case 'd':
				deleted = true
			case 'q':
				stop = true
			}
			if deleted || stop {
				break
			}
		}
		if !deleted && !quiet {
			fmt.Fprintln(w, line)
		}
		if stop {
			break
		}
	}
	return nil
}

func readLines(r io.Reader) []string {
	var lines []string
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 16*1024*1024)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	return lines
}

func (c sedCmd) selects(n int, last bool, line string) bool {
	switch {
	case c.addr != nil:
		return c.addr.MatchString(line)
	case c.line == -1:
		return last
	case c.line > 0:
		return c.line == n
	}
	return true
}

// subst applies s to line; ok reports a replacement.
func (c sedCmd) subst(line string) (string, bool) {
	locs := c.re.FindAllStringSubmatchIndex(line, -1)
	if len(locs) == 0 {
		return line, false
	}
	if !c.global {
		locs = locs[:1]
	}
	var b strings.Builder
	prev := 0
	for _, m := range locs {
		b.WriteString(line[prev:m[0]])
		b.WriteString(expandRepl(c.repl, line, m))
		prev = m[1]
	}
	b.WriteString(line[prev:])
	return b.String(), true
}

// expandRepl expands & and \1-\9 in a replacement; \& and \\ are literal.
func expandRepl(repl, line string, m []int) string {
	var b strings.Builder
	for i := 0; i < len(repl); i++ {
		switch ch := repl[i]; {
		case ch == '&':
			b.WriteString(line[m[0]:m[1]])
		case ch == '\\' && i+1 < len(repl):
			i++
			if d := int(repl[i] - '0'); d >= 1 && d <= 9 && 2*d+1 < len(m) && m[2*d] >= 0 {
				b.WriteString(line[m[2*d]:m[2*d+1]])
			} else if repl[i] == 'n' {
				b.WriteByte('\n')
			} else if d < 1 || d > 9 {
				b.WriteByte(repl[i])
			}
		default:
			b.WriteByte(ch)
		}
	}
	return b.String()
}
