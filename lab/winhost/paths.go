package winhost

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
)

// winPath is an absolute Windows path: a drive letter and components,
// normalised as [IO.Path]::GetFullPath does.
type winPath struct {
	drive byte // 'A'..'Z'
	parts []string
}

// String spells p the Windows way: C:\, C:\ProgramData\x.
func (p winPath) String() string { return string(p.drive) + `:\` + strings.Join(p.parts, `\`) }

// key identifies p case-insensitively, as NTFS names files.
func (p winPath) key() string { return strings.ToLower(p.String()) }

// dir is p's parent; the root is its own parent.
func (p winPath) dir() winPath {
	if len(p.parts) == 0 {
		return p
	}
	return winPath{p.drive, p.parts[:len(p.parts)-1]}
}

func (p winPath) join(name string) winPath {
	return winPath{p.drive, append(append([]string(nil), p.parts...), name)}
}

var (
	errUNC     = errors.New("UNC and device paths are not supported by the simulated host")
	errIllegal = errors.New("Illegal characters in path.")
	errFormat  = errors.New("The path is not of a legal form.")
)

// fullPath resolves p against cwd (absolute) as GetFullPath does: "/" is a
// separator, "." and ".." are folded, a rooted path without a drive takes
// cwd's drive, and "C:x" is relative to cwd when cwd is on C:.
func fullPath(p string, cwd winPath) (winPath, error) {
	p = strings.ReplaceAll(p, "/", `\`)
	switch {
	case strings.TrimSpace(p) == "":
		return winPath{}, errFormat
	case strings.HasPrefix(p, `\\`):
		return winPath{}, errUNC
	case strings.ContainsAny(p, "<>\"|?*") || strings.ContainsFunc(p, func(r rune) bool { return r < 32 }):
		return winPath{}, errIllegal
	}
	base, rest := cwd, p
	if len(p) >= 2 && p[1] == ':' && isLetter(p[0]) {
		drive := upper(p[0])
		rest = p[2:]
		if drive != cwd.drive || strings.HasPrefix(rest, `\`) {
			base = winPath{drive: drive}
		}
	} else if strings.HasPrefix(p, `\`) {
		base = winPath{drive: cwd.drive}
	}
	if strings.Contains(rest, ":") {
		return winPath{}, errors.New("The given path's format is not supported.")
	}
	parts := append([]string(nil), base.parts...)
	for _, c := range strings.Split(rest, `\`) {
		switch c {
		case "", ".":
		case "..":
			if len(parts) > 0 {
				parts = parts[:len(parts)-1]
			}
		default:
			parts = append(parts, c)
		}
	}
	return winPath{base.drive, parts}, nil
}

// parseAbs parses an absolute Windows path given to the Host's API.
func parseAbs(p string) (winPath, error) {
	if len(p) < 3 || p[1] != ':' || !isLetter(p[0]) || (p[2] != '\\' && p[2] != '/') {
		return winPath{}, errors.New("winhost: " + p + " is not an absolute path with a drive letter")
	}
	return fullPath(p, winPath{drive: upper(p[0])})
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

func upper(c byte) byte {
	if 'a' <= c && c <= 'z' {
		return c - 'a' + 'A'
	}
	return c
}

// local returns where p lives under the host's root: drive C: is root/C.
// Each component matches an existing entry case-insensitively, as on
// NTFS; components that do not exist are taken as spelt.
func (h *Host) local(p winPath) string {
	dir := filepath.Join(h.root, string(p.drive))
	for _, c := range p.parts {
		next := filepath.Join(dir, c)
		if _, err := os.Lstat(next); err != nil {
			if match := findFold(dir, c); match != "" {
				next = filepath.Join(dir, match)
			}
		}
		dir = next
	}
	return dir
}

// findFold returns the entry of dir whose name equals name but for case.
func findFold(dir, name string) string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return ""
	}
	for _, e := range entries {
		if strings.EqualFold(e.Name(), name) {
			return e.Name()
		}
	}
	return ""
}
