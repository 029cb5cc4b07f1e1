package vhost

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// cmdEnv prints the environment or runs a command with a changed one:
// env [-i] [-u NAME] [NAME=VALUE]... [COMMAND [ARG]...].
func cmdEnv(ctx context.Context, p *proc, args []string) int {
	c, ok := p.parseArgs(argSpec{short: "iu:", long: []string{"--ignore-environment", "--unset="}, posix: true}, args, 125)
	if !ok {
		return 125
	}
	env := p.env
	if c.has("i", "--ignore-environment") {
		env = nil
	}
	for _, f := range c.flags {
		if f.name == "u" || f.name == "--unset" {
			env = setEnv(env, f.value, "", true)
		}
	}
	rest := c.operands
	for len(rest) > 0 && strings.Contains(rest[0], "=") {
		k, v, _ := strings.Cut(rest[0], "=")
		env, rest = setEnv(env, k, v, false), rest[1:]
	}
	if len(rest) == 0 {
		for _, kv := range env {
			fmt.Fprintln(p.stdout, kv)
		}
		return 0
	}
	child := *p
	child.env = env
	return child.run(ctx, rest)
}

// setEnv returns env with name set to value, or removed.
func setEnv(env []string, name, value string, remove bool) []string {
	out := make([]string, 0, len(env)+1)
	for _, kv := range env {
		if k, _, _ := strings.Cut(kv, "="); k != name {
			out = append(out, kv)
		}
	}
	if !remove {
		out = append(out, name+"="+value)
	}
	return out
}

// cmdSleep waits the sum of its durations (seconds, or with an s, m, h or
// d suffix); the session ending interrupts it.
func cmdSleep(ctx context.Context, p *proc, args []string) int {
	if len(args) == 0 {
		return p.errorf(1, "missing operand")
	}
	var total time.Duration
	for _, a := range args {
		d, err := parseSleep(a)
		if err != nil {
			return p.errorf(1, "invalid time interval '%s'", a)
		}
		total += d
	}
	t := time.NewTimer(total)
	defer t.Stop()
	select {
	case <-t.C:
		return 0
	case <-ctx.Done():
		return 130
	}
}

func parseSleep(s string) (time.Duration, error) {
	unit := time.Second
	switch {
	case strings.HasSuffix(s, "s"):
		s = s[:len(s)-1]
	case strings.HasSuffix(s, "m"):
		s, unit = s[:len(s)-1], time.Minute
	case strings.HasSuffix(s, "h"):
		s, unit = s[:len(s)-1], time.Hour
	case strings.HasSuffix(s, "d"):
		s, unit = s[:len(s)-1], 24*time.Hour
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 {
		return 0, fmt.Errorf("invalid duration")
	}
	return time.Duration(f * float64(unit)), nil
}

// cmdDate prints the time: the default format, or +FORMAT with %Y %m %d
// %H %M %S %s %F %T %z %Z %%; -u for UTC.
func cmdDate(_ context.Context, p *proc, args []string) int {
	now := time.Now()
	format := "%a %b %e %H:%M:%S %Z %Y"
	for _, a := range args {
		switch {
		case a == "-u" || a == "--utc":
			now = now.UTC()
		case strings.HasPrefix(a, "+"):
			format = a[1:]
		default:
			return p.errorf(1, "invalid date '%s'", a)
		}
	}
	fmt.Fprintln(p.stdout, strftime(format, now))
	return 0
}

var strftimeLayouts = map[byte]string{
	'Y': "2006", 'm': "01", 'd': "02", 'H': "15", 'M': "04", 'S': "05", 'F': "2006-01-02",
	'T': "15:04:05", 'z': "-0700", 'Z': "MST", 'a': "Mon", 'b': "Jan", 'e': "_2",
}

func strftime(format string, t time.Time) string {
	var b strings.Builder
	for i := 0; i < len(format); i++ {
		if format[i] != '%' || i+1 == len(format) {
			b.WriteByte(format[i])
			continue
		}
		i++
		switch c := format[i]; {
		case c == 's':
			b.WriteString(strconv.FormatInt(t.Unix(), 10))
		case c == '%':
			b.WriteByte('%')
		case strftimeLayouts[c] != "":
			b.WriteString(t.Format(strftimeLayouts[c]))
		default:
			b.WriteByte('%')
			b.WriteByte(c)
		}
	}
	return b.String()
}
