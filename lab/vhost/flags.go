package vhost

import (
	"fmt"
	"strings"
)

// cmdline is a command's parsed arguments.
type cmdline struct {
	flags    []flagArg
	operands []string
}

// flagArg is one option: a short letter ("l") or a long name with its
// dashes ("--decode"), and its value when it takes one.
type flagArg struct{ name, value string }

// argSpec says which options a command takes, getopt style: short is
// letters, each followed by ':' when it takes a value; long lists long
// names, each ending in '=' when it takes a value. With posix set the
// first operand ends the options (commands that run other commands);
// otherwise options may follow operands, as GNU tools allow.
type argSpec struct {
	short string
	long  []string
	posix bool
}

// parse parses args by spec. "--" ends the options; "-" is an operand.
func (spec argSpec) parse(args []string) (cmdline, error) {
	var c cmdline
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			c.operands = append(c.operands, args[i+1:]...)
			return c, nil
		case len(a) < 2 || a[0] != '-':
			if spec.posix {
				c.operands = append(c.operands, args[i:]...)
				return c, nil
			}
			c.operands = append(c.operands, a)
		case strings.HasPrefix(a, "--"):
			f, err := spec.long1(a)
			if err != nil {
				return c, err
			}
			c.flags = append(c.flags, f)
		default:
			n, err := spec.shorts(&c, args, i)
			if err != nil {
				return c, err
			}
			i = n
		}
	}
	return c, nil
}

func (spec argSpec) long1(a string) (flagArg, error) {
	name, value, hasValue := strings.Cut(a, "=")
	for _, l := range spec.long {
		if l == name+"=" || l == name && !hasValue {
			return flagArg{name, value}, nil
		}
	}
	return flagArg{}, fmt.Errorf("unrecognized option '%s'", a)
}

// shorts parses the cluster of short options args[i] ("-lnd", "-n5",
// "-n 5") and returns the index of the last argument it used.
func (spec argSpec) shorts(c *cmdline, args []string, i int) (int, error) {
	a := args[i]
	for j := 1; j < len(a); j++ {
		k := strings.IndexByte(spec.short, a[j])
		if k < 0 || a[j] == ':' {
			return i, fmt.Errorf("invalid option -- '%c'", a[j])
		}
		if k+1 >= len(spec.short) || spec.short[k+1] != ':' {
			c.flags = append(c.flags, flagArg{name: a[j : j+1]})
			continue
		}
		value := a[j+1:]
		if value == "" {
			if i+1 == len(args) {
				return i, fmt.Errorf("option requires an argument -- '%c'", a[j])
			}
			i++
			value = args[i]
		}
		c.flags = append(c.flags, flagArg{a[j : j+1], value})
		break
	}
	return i, nil
}

// has reports whether any of names was given.
func (c cmdline) has(names ...string) bool {
	for _, f := range c.flags {
		for _, n := range names {
			if f.name == n {
				return true
			}
		}
	}
	return false
}

// value returns the last value given for any of names.
func (c cmdline) value(names ...string) (string, bool) {
	v, ok := "", false
	for _, f := range c.flags {
		for _, n := range names {
			if f.name == n {
				v, ok = f.value, true
			}
		}
	}
	return v, ok
}

// parseArgs parses args for p's command, printing the error the way
// coreutils do and returning exit code 1 (or code) on failure.
func (p *proc) parseArgs(spec argSpec, args []string, code int) (cmdline, bool) {
	c, err := spec.parse(args)
	if err != nil {
		p.errorf(code, "%v", err)
		return c, false
	}
	return c, true
}
