package vhost

import (
	"context"
	"fmt"
	"io/fs"
	"path"
	"strconv"
	"strings"
)

// cmdChmod sets modes, octal ("0640", "4755") or symbolic ("u+x,go-w",
// "a=r"); -R recurses. Only the owner or root may.
func cmdChmod(_ context.Context, p *proc, args []string) int {
	args, recursive := takeFlag(args, "-R")
	if len(args) < 2 {
		return p.errorf(1, "missing operand")
	}
	spec, code := args[0], 0
	for _, name := range args[1:] {
		err := p.walk(p.abs(name), recursive, func(v string, info fs.FileInfo) error {
			bits, err := parseMode(spec, unixBits(info.Mode()), info.IsDir())
			if err != nil {
				return err
			}
			return p.h.chmod(p.cred, v, goMode(bits))
		})
		if err != nil {
			code = p.errorf(1, "changing permissions of '%s': %s", name, errText(err))
		}
	}
	return code
}

// cmdChown sets owners: USER, USER:GROUP, USER: (login group) or :GROUP,
// by name or number; -R recurses, -h changes a symlink itself.
func cmdChown(_ context.Context, p *proc, args []string) int {
	args, recursive := takeFlag(args, "-R")
	args, noDeref := takeFlag(args, "-h")
	if len(args) < 2 {
		return p.errorf(1, "missing operand")
	}
	uid, gid, err := parseOwner(p.h.userDB(), args[0])
	if err != nil {
		return p.errorf(1, "%v", err)
	}
	return p.chownAll(args[1:], uid, gid, recursive, !noDeref)
}

// cmdChgrp sets groups.
func cmdChgrp(_ context.Context, p *proc, args []string) int {
	args, recursive := takeFlag(args, "-R")
	if len(args) < 2 {
		return p.errorf(1, "missing operand")
	}
	gid, ok := p.h.userDB().parseGroup(args[0])
	if !ok {
		return p.errorf(1, "invalid group: '%s'", args[0])
	}
	return p.chownAll(args[1:], -1, gid, recursive, true)
}

func (p *proc) chownAll(names []string, uid, gid int, recursive, follow bool) int {
	code := 0
	for _, name := range names {
		err := p.walk(p.abs(name), recursive, func(v string, _ fs.FileInfo) error {
			return p.h.chown(p.cred, v, uid, gid, follow)
		})
		if err != nil {
			code = p.errorf(1, "changing ownership of '%s': %s", name, errText(err))
		}
	}
	return code
}

// takeFlag removes a leading flag from args and reports whether it was
// there (chmod's modes such as "-w" look like flags, so no general parse).
func takeFlag(args []string, flag string) ([]string, bool) {
	for i, a := range args {
		if a == "--" || !strings.HasPrefix(a, "-") {
			break
		}
		if a == flag {
			return append(append([]string{}, args[:i]...), args[i+1:]...), true
		}
	}
	return args, false
}

// walk calls fn for v and, when recursive, everything below it.
func (p *proc) walk(v string, recursive bool, fn func(v string, info fs.FileInfo) error) error {
	rv, info, err := p.h.statAt(p.cred, v, true)
	if err != nil {
		return err
	}
	if err := fn(rv, info); err != nil || !recursive || !info.IsDir() {
		return err
	}
	entries, err := p.h.readDir(p.cred, rv)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if err := p.walk(path.Join(rv, e.Name()), true, fn); err != nil {
			return err
		}
	}
	return nil
}

// parseOwner parses chown's OWNER[:GROUP]; -1 means unchanged.
func parseOwner(db *userDB, spec string) (uid, gid int, err error) {
	user, group, hasGroup := strings.Cut(spec, ":")
	uid, gid = -1, -1
	if user != "" {
		var ok bool
		if uid, ok = db.parseUser(user); !ok {
			return 0, 0, fmt.Errorf("invalid user: '%s'", spec)
		}
		if hasGroup && group == "" { // "user:" means the user's login group
			if a, ok := db.byUID(uid); ok {
				gid = a.gid
			}
		}
	}
	if group != "" {
		var ok bool
		if gid, ok = db.parseGroup(group); !ok {
			return 0, 0, fmt.Errorf("invalid group: '%s'", spec)
		}
	}
	return uid, gid, nil
}

// parseMode applies a chmod mode to the octal bits old: an octal number,
// or comma-separated symbolic clauses [ugoa]*[-+=][rwxXst]*.
func parseMode(spec string, old uint32, isDir bool) (uint32, error) {
	if n, err := strconv.ParseUint(spec, 8, 32); err == nil {
		if n > 0o7777 {
			return 0, fmt.Errorf("invalid mode")
		}
		return uint32(n), nil
	}
	mode := old
	for _, clause := range strings.Split(spec, ",") {
		var err error
		if mode, err = applyClause(clause, mode, isDir); err != nil {
			return 0, err
		}
	}
	return mode, nil
}

func applyClause(clause string, mode uint32, isDir bool) (uint32, error) {
	who := strings.TrimLeft(clause, "ugoa")
	mask := whoMask(clause[:len(clause)-len(who)])
	if who == "" {
		return 0, fmt.Errorf("invalid mode")
	}
	for who != "" {
		op := who[0]
		if op != '+' && op != '-' && op != '=' {
			return 0, fmt.Errorf("invalid mode")
		}
		perms := strings.TrimLeft(who[1:], "rwxXst")
		bits := permBits(who[1:len(who)-len(perms)], mode, isDir) & mask
		who = perms
		switch op {
		case '+':
			mode |= bits
		case '-':
			mode &^= bits
		case '=':
			mode = mode&^mask | bits
		}
	}
	return mode, nil
}

// whoMask is the bits a clause's [ugoa] part may touch.
func whoMask(who string) uint32 {
	if who == "" || strings.Contains(who, "a") {
		return 0o7777
	}
	var m uint32
	for _, w := range who {
		switch w {
		case 'u':
			m |= 0o4700
		case 'g':
			m |= 0o2070
		case 'o':
			m |= 0o1007
		}
	}
	return m
}

// permBits is the bits rwxXst stand for in every class.
func permBits(perms string, mode uint32, isDir bool) uint32 {
	var b uint32
	for _, c := range perms {
		switch c {
		case 'r':
			b |= 0o444
		case 'w':
			b |= 0o222
		case 'x':
			b |= 0o111
		case 'X':
			if isDir || mode&0o111 != 0 {
				b |= 0o111
			}
		case 's':
			b |= 0o6000
		case 't':
			b |= 0o1000
		}
	}
	return b
}
