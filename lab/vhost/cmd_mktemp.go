package vhost

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"
)

// cmdMktemp creates a unique file (mode 0600) or, with -d, directory
// (0700) from a template ending in at least three X's (default
// tmp.XXXXXXXXXX in $TMPDIR or /tmp) and prints its path. -p DIR and -t
// put a bare template in DIR / $TMPDIR; -u only prints a name.
func cmdMktemp(_ context.Context, p *proc, args []string) int {
	c, ok := p.parseArgs(argSpec{short: "dqtup:", long: []string{"--directory", "--tmpdir=", "--dry-run", "--quiet"}}, args, 1)
	if !ok {
		return 1
	}
	if len(c.operands) > 1 {
		return p.errorf(1, "too many templates")
	}
	tmpl, dir := "tmp.XXXXXXXXXX", ""
	if len(c.operands) == 1 {
		tmpl = c.operands[0]
	} else {
		dir = p.tmpDir()
	}
	if d, ok := c.value("p", "--tmpdir"); ok {
		dir = d
	}
	if c.has("t") && dir == "" {
		dir = p.tmpDir()
	}
	if dir != "" {
		tmpl = path.Join(dir, tmpl)
	}
	name, err := p.mktemp(tmpl, c.has("d", "--directory"), c.has("u", "--dry-run"))
	if err != nil {
		if !c.has("q", "--quiet") {
			p.errorf(1, "failed to create %s via template '%s': %s", kind(c.has("d")), tmpl, errText(err))
		}
		return 1
	}
	fmt.Fprintln(p.stdout, name)
	return 0
}

func kind(dir bool) string {
	if dir {
		return "directory"
	}
	return "file"
}

func (p *proc) tmpDir() string {
	if d := p.getenv("TMPDIR"); d != "" {
		return d
	}
	return "/tmp"
}

// mktemp tries random names until one can be created exclusively.
func (p *proc) mktemp(tmpl string, dir, dryRun bool) (string, error) {
	base := strings.TrimRight(tmpl, "X")
	n := len(tmpl) - len(base)
	if n < 3 {
		return "", errors.New("too few X's in template")
	}
	for range 100 {
		name := base + randomSuffix(n)
		var err error
		switch {
		case dryRun:
			_, _, err = p.h.statAt(p.cred, p.abs(name), false)
			if errors.Is(err, fs.ErrNotExist) {
				return name, nil
			}
			continue
		case dir:
			err = p.h.mkdir(p.cred, p.abs(name), 0o700)
		default:
			err = p.createExclusive(name, 0o600)
		}
		if !errors.Is(err, fs.ErrExist) {
			return name, err
		}
	}
	return "", fs.ErrExist
}

func (p *proc) createExclusive(name string, mode fs.FileMode) error {
	f, err := p.h.openFile(p.cred, p.abs(name), exclusiveCreate, mode)
	if err != nil {
		return err
	}
	return f.Close()
}

const suffixChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

func randomSuffix(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = suffixChars[int(b[i])%len(suffixChars)]
	}
	return string(b)
}
