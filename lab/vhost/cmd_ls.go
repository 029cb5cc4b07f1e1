package vhost

import (
	"context"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"time"
)

// lsOpts are the ls options that change the output.
type lsOpts struct {
	long, numeric, dirAsFile, all, almostAll bool
	deref                                    bool // -L: describe what symlinks point to
	hideCtrl                                 bool // -q: print control characters in names as ?
}

// lsEntry is one line of ls output.
type lsEntry struct {
	name   string // as printed
	v      string // virtual path, for the owner
	info   fs.FileInfo
	target string // symlink target
}

// cmdLs is ls with -l, -n, -d, -a, -A, -L, -q and -1, printing the POSIX
// long format (numeric owners with -n). Exit 2 when an operand is missing.
func cmdLs(_ context.Context, p *proc, args []string) int {
	c, ok := p.parseArgs(argSpec{short: "lndaAL1q", long: []string{"--color=", "--color"}}, args, 2)
	if !ok {
		return 2
	}
	o := lsOpts{
		long: c.has("l", "n"), numeric: c.has("n"), dirAsFile: c.has("d"),
		all: c.has("a"), almostAll: c.has("A"), deref: c.has("L"), hideCtrl: c.has("q"),
	}
	operands := c.operands
	if len(operands) == 0 {
		operands = []string{"."}
	}
	files, dirs, code := p.lsClassify(o, operands)
	p.lsPrint(o, files)
	for i, d := range dirs {
		if len(files) > 0 || i > 0 {
			fmt.Fprintln(p.stdout)
		}
		if len(operands) > 1 {
			fmt.Fprintf(p.stdout, "%s:\n", d.name)
		}
		if cd := p.lsDir(o, d); cd != 0 {
			code = cd
		}
	}
	return code
}

// lsClassify splits operands into entries printed as files and
// directories whose contents are listed, reporting missing ones. Like GNU
// ls, a symlink operand is followed unless -l or -d is given.
func (p *proc) lsClassify(o lsOpts, operands []string) (files, dirs []lsEntry, code int) {
	for _, name := range operands {
		e, err := p.lsEntryFor(name, p.abs(name), o.deref)
		if err != nil {
			code = p.errorf(2, "cannot access '%s': %s", name, errText(err))
			continue
		}
		if e.info.Mode()&fs.ModeSymlink != 0 && !o.long && !o.dirAsFile {
			if _, info, err := p.h.statAt(p.cred, e.v, true); err == nil && info.IsDir() {
				e.info = info
			}
		}
		if e.info.IsDir() && !o.dirAsFile {
			dirs = append(dirs, e)
		} else {
			files = append(files, e)
		}
	}
	slices.SortFunc(files, func(a, b lsEntry) int { return strings.Compare(a.name, b.name) })
	slices.SortFunc(dirs, func(a, b lsEntry) int { return strings.Compare(a.name, b.name) })
	return files, dirs, code
}

// lsEntryFor describes v, printed as name; follow describes what a
// symlink points to instead of the link.
func (p *proc) lsEntryFor(name, v string, follow bool) (lsEntry, error) {
	rv, info, err := p.h.statAt(p.cred, v, follow)
	if err != nil {
		return lsEntry{}, err
	}
	e := lsEntry{name: name, v: rv, info: info}
	if info.Mode()&fs.ModeSymlink != 0 {
		e.target, _ = p.h.readlink(p.cred, rv)
	}
	return e, nil
}

// lsDir lists the contents of directory d.
func (p *proc) lsDir(o lsOpts, d lsEntry) int {
	dirV := d.v
	if d.info.IsDir() && d.info.Mode()&fs.ModeSymlink == 0 {
		if rv, _, err := p.h.statAt(p.cred, d.v, true); err == nil {
			dirV = rv
		}
	}
	des, err := p.h.readDir(p.cred, dirV)
	if err != nil {
		return p.errorf(2, "cannot open directory '%s': %s", d.name, errText(err))
	}
	var entries []lsEntry
	if o.all {
		for _, dot := range []string{".", ".."} {
			if e, err := p.lsEntryFor(dot, path.Join(dirV, dot), true); err == nil {
				entries = append(entries, e)
			}
		}
	}
	for _, de := range des {
		if strings.HasPrefix(de.Name(), ".") && !o.all && !o.almostAll {
			continue
		}
		if e, err := p.lsEntryFor(de.Name(), path.Join(dirV, de.Name()), o.deref); err == nil {
			entries = append(entries, e)
		}
	}
	if o.long {
		fmt.Fprintf(p.stdout, "total %d\n", totalBlocks(entries))
	}
	p.lsPrint(o, entries)
	return 0
}

// totalBlocks is the "total" line: 1 KiB blocks used by the entries.
func totalBlocks(entries []lsEntry) int64 {
	var blocks int64
	for _, e := range entries {
		blocks += statT(e.info).Blocks
	}
	return blocks / 2
}

// lsPrint prints entries one per line, in the long format when asked,
// with columns aligned as GNU ls aligns them.
func (p *proc) lsPrint(o lsOpts, entries []lsEntry) {
	if o.hideCtrl {
		for i := range entries {
			entries[i].name = hideControl(entries[i].name)
		}
	}
	if !o.long {
		for _, e := range entries {
			fmt.Fprintln(p.stdout, e.name)
		}
		return
	}
	rows := make([][]string, len(entries))
	var db *userDB
	if !o.numeric {
		db = p.h.userDB()
	}
	width := make([]int, 4)
	for i, e := range entries {
		rows[i] = p.lsColumns(e, db)
		for j := range width {
			width[j] = max(width[j], len(rows[i][j]))
		}
	}
	for i, e := range entries {
		r := rows[i]
		fmt.Fprintf(p.stdout, "%s %*s %-*s %-*s %*s %s %s\n", modeString(e.info.Mode()),
			width[0], r[0], width[1], r[1], width[2], r[2], width[3], r[3], lsTime(e.info.ModTime()), lsName(e))
	}
}

// lsColumns returns the link count, owner, group and size columns.
func (p *proc) lsColumns(e lsEntry, db *userDB) []string {
	st := statT(e.info)
	o := p.h.owners.get(e.v)
	user, group := fmt.Sprint(o.uid), fmt.Sprint(o.gid)
	if db != nil {
		user, group = db.userName(o.uid), db.groupName(o.gid)
	}
	size := fmt.Sprint(e.info.Size())
	if e.info.Mode()&fs.ModeDevice != 0 {
		size = fmt.Sprintf("%d, %d", (st.Rdev>>8)&0xfff, st.Rdev&0xff|(st.Rdev>>12)&0xfff00)
	}
	return []string{fmt.Sprint(st.Nlink), user, group, size}
}

// lsTime is ls's date column: time of day for the last six months, the
// year for anything older or in the future.
func lsTime(t time.Time) string {
	now := time.Now()
	if t.After(now) || now.Sub(t) > 182*24*time.Hour {
		return t.Format("Jan _2  2006")
	}
	return t.Format("Jan _2 15:04")
}

func lsName(e lsEntry) string {
	if e.info.Mode()&fs.ModeSymlink != 0 {
		return e.name + " -> " + e.target
	}
	return e.name
}

// hideControl replaces control characters with ?, as ls -q does.
func hideControl(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return '?'
		}
		return r
	}, s)
}
