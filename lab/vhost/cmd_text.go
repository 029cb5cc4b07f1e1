package vhost

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// cmdCat copies its inputs (files, "-" or stdin) to stdout.
func cmdCat(_ context.Context, p *proc, args []string) int {
	c, ok := p.parseArgs(argSpec{short: "u"}, args, 1)
	if !ok {
		return 1
	}
	return p.eachInput(c.operands, func(_ string, r io.Reader) error {
		_, err := io.Copy(p.stdout, r)
		return err
	})
}

// cmdTee copies stdin to stdout and to every file (-a appends).
func cmdTee(_ context.Context, p *proc, args []string) int {
	c, ok := p.parseArgs(argSpec{short: "a", long: []string{"--append"}}, args, 1)
	if !ok {
		return 1
	}
	flag := truncFlag
	if c.has("a", "--append") {
		flag = appendFlag
	}
	writers, code := []io.Writer{p.stdout}, 0
	for _, name := range c.operands {
		f, err := p.create(name, flag)
		if err != nil {
			code = p.fileErr(1, name, err)
			continue
		}
		defer f.Close()
		writers = append(writers, f)
	}
	if _, err := io.Copy(io.MultiWriter(writers...), p.stdin); err != nil {
		return p.errorf(1, "%v", err)
	}
	return code
}

// countArg rewrites the obsolete "-5" form of head and tail to "-n 5".
func countArg(args []string) []string {
	if len(args) > 0 && len(args[0]) > 1 && args[0][0] == '-' {
		if _, err := strconv.Atoi(args[0][1:]); err == nil {
			return append([]string{"-n", args[0][1:]}, args[1:]...)
		}
	}
	return args
}

// cmdHead prints the first -n lines (10) or -c bytes of each input.
func cmdHead(_ context.Context, p *proc, args []string) int {
	return p.headTail(countArg(args), true)
}

// cmdTail prints the last -n lines (10; "+N" from line N) or -c bytes.
func cmdTail(_ context.Context, p *proc, args []string) int {
	return p.headTail(countArg(args), false)
}

func (p *proc) headTail(args []string, head bool) int {
	c, ok := p.parseArgs(argSpec{short: "n:c:q"}, args, 1)
	if !ok {
		return 1
	}
	spec, bytesMode := "10", false
	if v, ok := c.value("n"); ok {
		spec = v
	}
	if v, ok := c.value("c"); ok {
		spec, bytesMode = v, true
	}
	fromStart := strings.HasPrefix(spec, "+")
	n, err := strconv.Atoi(strings.TrimPrefix(spec, "+"))
	if err != nil || n < 0 {
		return p.errorf(1, "invalid number of lines: '%s'", spec)
	}
	return p.eachInput(c.operands, func(_ string, r io.Reader) error {
		data, err := io.ReadAll(r)
		if err == nil {
			_, err = p.stdout.Write(cut(data, n, head, fromStart, bytesMode))
		}
		return err
	})
}

// cut selects head's or tail's part of data.
func cut(data []byte, n int, head, fromStart, bytesMode bool) []byte {
	if bytesMode {
		switch {
		case head:
			return data[:min(n, len(data))]
		case fromStart:
			return data[min(max(n-1, 0), len(data)):]
		}
		return data[len(data)-min(n, len(data)):]
	}
	lines := bytes.SplitAfter(data, []byte("\n"))
	if len(lines[len(lines)-1]) == 0 {
		lines = lines[:len(lines)-1]
	}
	switch {
	case head:
		lines = lines[:min(n, len(lines))]
	case fromStart:
		lines = lines[min(max(n-1, 0), len(lines)):]
	default:
		lines = lines[len(lines)-min(n, len(lines)):]
	}
	return bytes.Join(lines, nil)
}

// cmdWc counts lines (-l), words (-w) and bytes (-c); all three by
// default. Without operands it prints the bare numbers.
func cmdWc(_ context.Context, p *proc, args []string) int {
	c, ok := p.parseArgs(argSpec{short: "lwcm"}, args, 1)
	if !ok {
		return 1
	}
	want := []bool{c.has("l"), c.has("w"), c.has("c", "m")}
	if !want[0] && !want[1] && !want[2] {
		want = []bool{true, true, true}
	}
	return p.eachInput(c.operands, func(name string, r io.Reader) error {
		data, err := io.ReadAll(r)
		if err != nil {
			return err
		}
		counts := []int{bytes.Count(data, []byte("\n")), len(bytes.Fields(data)), len(data)}
		var fields []string
		for i, w := range want {
			if w {
				fields = append(fields, strconv.Itoa(counts[i]))
			}
		}
		if len(c.operands) > 0 {
			fields = append(fields, name)
		}
		_, err = fmt.Fprintln(p.stdout, strings.Join(fields, " "))
		return err
	})
}

// cmdBase64 encodes (wrapping at 76 columns, -w 0 for none) or decodes
// (-d) its input.
func cmdBase64(_ context.Context, p *proc, args []string) int {
	c, ok := p.parseArgs(argSpec{short: "dw:i", long: []string{"--decode", "--wrap="}}, args, 1)
	if !ok {
		return 1
	}
	if len(c.operands) > 1 {
		return p.errorf(1, "extra operand '%s'", c.operands[1])
	}
	data, err := p.readFile(append(c.operands, "-")[0])
	if err != nil {
		return p.fileErr(1, c.operands[0], err)
	}
	if c.has("d", "--decode") {
		out, err := base64.StdEncoding.DecodeString(string(bytes.Join(bytes.Fields(data), nil)))
		if err != nil {
			return p.errorf(1, "invalid input")
		}
		_, _ = p.stdout.Write(out)
		return 0
	}
	wrap := 76
	if v, ok := c.value("w", "--wrap"); ok {
		if wrap, err = strconv.Atoi(v); err != nil || wrap < 0 {
			return p.errorf(1, "invalid wrap size: '%s'", v)
		}
	}
	enc := base64.StdEncoding.EncodeToString(data)
	for wrap > 0 && len(enc) > wrap {
		fmt.Fprintln(p.stdout, enc[:wrap])
		enc = enc[wrap:]
	}
	if enc != "" {
		fmt.Fprintln(p.stdout, enc)
	}
	return 0
}

// cmdSha256sum prints "digest  name" for each input.
func cmdSha256sum(_ context.Context, p *proc, args []string) int {
	c, ok := p.parseArgs(argSpec{short: "b"}, args, 1)
	if !ok {
		return 1
	}
	return p.eachInput(c.operands, func(name string, r io.Reader) error {
		h := sha256.New()
		if _, err := io.Copy(h, r); err != nil {
			return err
		}
		_, err := fmt.Fprintf(p.stdout, "%x  %s\n", h.Sum(nil), name)
		return err
	})
}
