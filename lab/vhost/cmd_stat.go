package vhost

import (
	"context"
	"fmt"
	"io/fs"
	"strings"
)

// cmdStat is stat -c FORMAT (or --format=FORMAT) with %a %A %u %g %U %G
// %s %n %N %F %h %Y %i; -L follows symlinks. Without a format it prints a
// short summary.
func cmdStat(_ context.Context, p *proc, args []string) int {
	c, ok := p.parseArgs(argSpec{short: "Lc:", long: []string{"--format=", "--dereference"}}, args, 1)
	if !ok {
		return 1
	}
	if len(c.operands) == 0 {
		return p.errorf(1, "missing operand")
	}
	format, ok := c.value("c", "--format")
	if !ok {
		format = "  File: %N\n  Size: %s\tLinks: %h\t%F\nAccess: (%04a/%A)  Uid: (%u/%U)   Gid: (%g/%G)"
	}
	code := 0
	var db *userDB
	for _, name := range c.operands {
		e, err := p.lsEntryFor(name, p.abs(name), c.has("L", "--dereference"))
		if err != nil {
			code = p.errorf(1, "cannot statx '%s': %s", name, errText(err))
			continue
		}
		if db == nil {
			db = p.h.userDB()
		}
		fmt.Fprintln(p.stdout, p.statFormat(format, e, db))
	}
	return code
}

func (p *proc) statFormat(format string, e lsEntry, db *userDB) string {
	var b strings.Builder
	for i := 0; i < len(format); i++ {
		if format[i] != '%' || i+1 == len(format) {
			b.WriteByte(format[i])
			continue
		}
		i++
		width := ""
		for i < len(format) && format[i] >= '0' && format[i] <= '9' {
			width += string(format[i])
			i++
		}
		if i < len(format) {
			b.WriteString(p.statField(format[i], width, e, db))
		}
	}
	return b.String()
}

func (p *proc) statField(verb byte, width string, e lsEntry, db *userDB) string {
	o := p.h.owners.get(e.v)
	switch verb {
	case 'a':
		return fmt.Sprintf("%"+width+"o", unixBits(e.info.Mode()))
	case 'A':
		return modeString(e.info.Mode())
	case 'u':
		return fmt.Sprint(o.uid)
	case 'g':
		return fmt.Sprint(o.gid)
	case 'U':
		return db.userName(o.uid)
	case 'G':
		return db.groupName(o.gid)
	case 's':
		return fmt.Sprint(e.info.Size())
	case 'n':
		return e.name
	case 'N':
		if e.target != "" && e.info.Mode()&fs.ModeSymlink != 0 {
			return fmt.Sprintf("'%s' -> '%s'", e.name, e.target)
		}
		return "'" + e.name + "'"
	case 'F':
		return fileType(e.info)
	case 'h':
		return fmt.Sprint(statT(e.info).Nlink)
	case 'i':
		return fmt.Sprint(statT(e.info).Ino)
	case 'Y':
		return fmt.Sprint(e.info.ModTime().Unix())
	case '%':
		return "%"
	}
	return "?"
}

func fileType(info fs.FileInfo) string {
	m := info.Mode()
	switch {
	case m.IsRegular() && info.Size() == 0:
		return "regular empty file"
	case m.IsRegular():
		return "regular file"
	case m.IsDir():
		return "directory"
	case m&fs.ModeSymlink != 0:
		return "symbolic link"
	case m&fs.ModeCharDevice != 0:
		return "character special file"
	case m&fs.ModeNamedPipe != 0:
		return "fifo"
	}
	return "weird file"
}
