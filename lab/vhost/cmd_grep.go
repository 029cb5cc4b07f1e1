package vhost

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"regexp"
	"strings"
)

// grepOpts are grep's options that change matching and output.
type grepOpts struct {
	patterns []*regexp.Regexp
	invert   bool
	count    bool
	quiet    bool
	lineNo   bool
	listOnly bool
	names    bool // prefix lines with the file name
}

// cmdGrep is grep with -E -F -i -v -x -w -c -q -n -l -s -h -H and -e.
// Exit 0 when a line matched, 1 when none did, 2 on an error.
func cmdGrep(_ context.Context, p *proc, args []string) int {
	c, ok := p.parseArgs(argSpec{short: "EFGivxwcqnlshHe:"}, args, 2)
	if !ok {
		return 2
	}
	o, err := grepOptions(&c)
	if err != nil {
		return p.errorf(2, "%v", err)
	}
	matched, code := false, 0
	for _, name := range inputsOrStdin(c.operands) {
		r, err := p.open(name)
		if err != nil {
			if !c.has("s") {
				p.fileErr(2, name, err)
			}
			code = 2
			continue
		}
		found, err := o.grep(p.stdout, displayName(name), r)
		r.Close()
		if err != nil {
			code = p.fileErr(2, name, err)
		}
		matched = matched || found
		if matched && o.quiet {
			return 0
		}
	}
	if code == 0 && !matched {
		code = 1
	}
	if matched && code == 2 && !o.quiet {
		return 2
	}
	return code
}

func grepOptions(c *cmdline) (*grepOpts, error) {
	var exprs []string
	for _, f := range c.flags {
		if f.name == "e" {
			exprs = append(exprs, f.value)
		}
	}
	if len(exprs) == 0 {
		if len(c.operands) == 0 {
			return nil, fmt.Errorf("no pattern given")
		}
		exprs, c.operands = strings.Split(c.operands[0], "\n"), c.operands[1:]
	}
	o := &grepOpts{invert: c.has("v"), count: c.has("c"), quiet: c.has("q"), lineNo: c.has("n"), listOnly: c.has("l")}
	o.names = len(c.operands) > 1 && !c.has("h") || c.has("H")
	for _, e := range exprs {
		var err error
		switch {
		case c.has("F"):
			e = regexp.QuoteMeta(e)
		case !c.has("E"):
			e, err = breToERE(e)
		}
		if err != nil {
			return nil, err
		}
		if c.has("w") {
			e = `\b(?:` + e + `)\b`
		}
		if c.has("x") {
			e = `^(?:` + e + `)$`
		}
		re, err := compileRegex(e, true, c.has("i"))
		if err != nil {
			return nil, err
		}
		o.patterns = append(o.patterns, re)
	}
	return o, nil
}

func inputsOrStdin(operands []string) []string {
	if len(operands) == 0 {
		return []string{"-"}
	}
	return operands
}

func displayName(name string) string {
	if name == "-" {
		return "(standard input)"
	}
	return name
}

// grep scans r and prints what the options ask for; found reports a
// selected line.
func (o *grepOpts) grep(w io.Writer, name string, r io.Reader) (found bool, err error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 16*1024*1024)
	n, count := 0, 0
	for sc.Scan() {
		n++
		if o.match(sc.Text()) == o.invert {
			continue
		}
		count++
		if o.quiet || o.listOnly {
			break
		}
		if !o.count {
			o.printLine(w, name, n, sc.Text())
		}
	}
	switch {
	case o.quiet:
	case o.listOnly && count > 0:
		fmt.Fprintln(w, name)
	case o.count && o.names:
		fmt.Fprintf(w, "%s:%d\n", name, count)
	case o.count:
		fmt.Fprintln(w, count)
	}
	return count > 0, sc.Err()
}

func (o *grepOpts) match(line string) bool {
	for _, re := range o.patterns {
		if re.MatchString(line) {
			return true
		}
	}
	return false
}

func (o *grepOpts) printLine(w io.Writer, name string, n int, line string) {
	if o.names {
		fmt.Fprintf(w, "%s:", name)
	}
	if o.lineNo {
		fmt.Fprintf(w, "%d:", n)
	}
	fmt.Fprintln(w, line)
}
