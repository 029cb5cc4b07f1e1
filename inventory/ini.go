package inventory

import (
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/rotplay/rotplay/diag"
)

// This file reads Ansible's INI inventory format into the same builder as
// the YAML format, so both share names, ranges, precedence and checks.

// iniKinds are the section suffixes: [web], [web:vars], [web:children].
var iniKinds = []string{"hosts", "vars", "children"}

// iniChildLine matches a line of a :children section: one group name.
var iniChildLine = regexp.MustCompile(`^([^:\]\s]+)\s*(?:[#;].*)?$`)

// iniParser holds the state of one pass over an INI inventory.
type iniParser struct {
	b     *builder
	group *groupDef // the current section's group; nil after a bad header
	kind  string    // the current section's kind, one of iniKinds
	// defined holds the groups that have a [name] or [name:children]
	// section. As in Ansible, a :vars section or a child link does not
	// define a group, and naming an undefined one is an error.
	defined map[string]bool
	uses    []iniUse
}

// iniUse is a reference to a group that must be defined somewhere in the
// file: a :vars section, or a line of a :children section (parent set).
type iniUse struct {
	name   string
	parent *groupDef
	pos    diag.Pos
}

// ini parses an INI inventory. Lines before the first section list hosts
// of "ungrouped", as in Ansible.
func (b *builder) ini(data []byte) {
	p := &iniParser{b: b, group: b.groups[Ungrouped], kind: "hosts",
		defined: map[string]bool{All: true, Ungrouped: true}}
	for i, line := range strings.Split(string(data), "\n") {
		p.line(i+1, strings.TrimRight(line, "\r"))
	}
	p.resolve()
}

// line handles one line of the file.
func (p *iniParser) line(n int, raw string) {
	t := strings.TrimSpace(raw)
	if t == "" || t[0] == '#' || t[0] == ';' {
		return
	}
	pos := diag.Pos{File: p.b.file, Line: n, Col: len(raw) - len(strings.TrimLeft(raw, " \t")) + 1}
	if m := iniHeader.FindStringSubmatchIndex(t); m != nil {
		p.header(t, m, pos)
		return
	}
	if isBadHeader(t) {
		p.group = nil
		p.b.errs.Addf(pos, "invalid section header %s", t).
			WithHint("write [GROUP], [GROUP:vars] or [GROUP:children]; group names have no spaces or \":\"")
		return
	}
	if p.group == nil {
		return // the section's header is already reported
	}
	switch p.kind {
	case "hosts":
		p.hostLine(raw, pos)
	case "vars":
		p.varLine(t, pos)
	case "children":
		p.childLine(t, pos)
	}
}

// header starts a section. m holds the submatch indexes of iniHeader in t.
func (p *iniParser) header(t string, m []int, pos diag.Pos) {
	name, kind := t[m[2]:m[3]], "hosts"
	namePos := pos
	namePos.Col++
	p.group = nil
	if m[4] >= 0 {
		kind = t[m[4]:m[5]]
		if !slices.Contains(iniKinds[1:], kind) {
			e := p.b.errs.Addf(diag.Pos{File: pos.File, Line: pos.Line, Col: pos.Col + m[4]},
				"section [%s:%s]: unknown section type %q", name, kind, kind)
			if s := diag.Suggest(kind, iniKinds[1:]); s != "" {
				e.WithHint("did you mean [%s:%s]?", name, s)
			} else {
				e.WithHint("write [%s] for hosts, [%s:vars] for variables or [%s:children] for child groups", name, name, name)
			}
			return
		}
	}
	if e := checkName("group", name); e != nil {
		e.Pos = namePos
		p.b.errs = append(p.b.errs, e)
		return
	}
	p.group, p.kind = p.b.groupDef(name, namePos), kind
	if kind == "vars" {
		p.uses = append(p.uses, iniUse{name: name, pos: namePos})
	} else {
		p.defined[name] = true
	}
}

// hostLine handles "HOST [key=value ...]" in a hosts section. HOST may
// contain ranges; the values are parsed as Ansible's INI plugin does.
func (p *iniParser) hostLine(raw string, pos diag.Pos) {
	b := p.b
	words, bad := splitWords(raw)
	if bad >= 0 {
		b.errs.Addf(colAt(pos, bad), "unclosed quote").
			WithHint("close the quote, or escape it with a backslash")
		return
	}
	if len(words) == 0 {
		return
	}
	host := words[0]
	hostPos := colAt(pos, host.col)
	if strings.Contains(host.text, "=") {
		section := p.group.name
		if section == Ungrouped {
			section = All
		}
		b.errs.Addf(hostPos, "variable %s without a host", host.text).
			WithHint("put variables after a host name on the same line, or under a [%s:vars] section", section)
		return
	}
	vars := map[string]any{}
	for _, w := range words[1:] {
		k, v, ok := strings.Cut(w.text, "=")
		if !ok || k == "" {
			b.errs.Addf(colAt(pos, w.col), "host %q: expected key=value, got %q", host.text, w.text).
				WithHint(`quote values that contain spaces: key="a b"`)
			continue
		}
		vars[k] = iniValue(v)
	}
	names, e := expandHosts(host.text)
	if e != nil {
		e.Pos = hostPos
		b.errs = append(b.errs, e)
		return
	}
	for _, name := range names {
		if e := checkName("host", name); e != nil {
			e.Pos = hostPos
			b.errs = append(b.errs, e)
			return
		}
		b.addHost(p.group, name, hostPos, vars)
	}
}

// varLine handles "key=value" in a :vars section. The value is the rest
// of the line, as in Ansible: no quoting or comments are removed before it
// is parsed as a literal.
func (p *iniParser) varLine(t string, pos diag.Pos) {
	k, v, ok := strings.Cut(t, "=")
	k = strings.TrimSpace(k)
	if !ok || k == "" {
		p.b.errs.Addf(pos, "[%s:vars]: expected key=value, got %q", p.group.name, t).
			WithHint("write one variable per line as name=value")
		return
	}
	valuePos := pos
	valuePos.Col += strings.Index(t, "=") + 1
	p.b.setGroupVars(p.group, map[string]any{k: iniValue(strings.TrimSpace(v))},
		func() diag.Pos { return valuePos })
}

// childLine handles one group name in a :children section. Whether the
// child is defined is known only at the end of the file.
func (p *iniParser) childLine(t string, pos diag.Pos) {
	m := iniChildLine.FindStringSubmatch(t)
	if m == nil {
		p.b.errs.Addf(pos, "[%s:children]: expected one group name, got %q", p.group.name, t).
			WithHint("list one child group per line; hosts go in a [GROUP] section")
		return
	}
	if e := checkName("group", m[1]); e != nil {
		e.Pos = pos
		p.b.errs = append(p.b.errs, e)
		return
	}
	p.uses = append(p.uses, iniUse{name: m[1], parent: p.group, pos: pos})
}

// resolve links children to parents and reports references to groups
// that no section defines, as Ansible does.
func (p *iniParser) resolve() {
	for _, u := range p.uses {
		switch {
		case p.defined[u.name] && u.parent != nil:
			p.b.link(u.parent, p.b.groupDef(u.name, u.pos), u.pos)
		case p.defined[u.name]:
		case u.parent == nil:
			p.b.errs.Addf(u.pos, "section [%s:vars] is for group %q, which no section defines", u.name, u.name).
				WithHint("add a [%s] section listing its hosts, or fix the name", u.name)
		default:
			p.undefinedChild(u)
		}
	}
}

func (p *iniParser) undefinedChild(u iniUse) {
	e := p.b.errs.Addf(u.pos, "[%s:children] names group %q, which no section defines", u.parent.name, u.name)
	if s := diag.Suggest(u.name, slices.Sorted(maps.Keys(p.defined))); s != "" {
		e.WithHint("did you mean %q?", s)
	} else {
		e.WithHint("add a [%s] section listing its hosts; it may be empty", u.name)
	}
}

// colAt is pos moved to the 0-based byte offset off of its line.
func colAt(pos diag.Pos, off int) diag.Pos {
	pos.Col = off + 1
	return pos
}
