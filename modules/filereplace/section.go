package filereplace

import "strings"

// sectionHeader returns the name of an INI section header line such as
// `[env1]` or `  [ env1 ]  # main`, with the blanks around the name removed,
// and true; or "", false for any other line.
func sectionHeader(text string) (string, bool) {
	s := text[skipBlanks(text, 0):]
	if !strings.HasPrefix(s, "[") {
		return "", false
	}
	name, _, ok := strings.Cut(s[1:], "]")
	if !ok {
		return "", false
	}
	return strings.Trim(name, " \t\r\v\f"), true
}

// sectionScope tracks, line by line, whether the lines of a text are in
// scope for an edit: all of them when no section is wanted, otherwise those
// after a `[name]` header up to the next header. Section names match
// exactly, case included, as ActiveGate environment IDs do.
type sectionScope struct {
	want   string // "" means the whole text
	inside bool
	found  bool // a header named want was seen
}

// next reports whether text, the next line, is in scope. A header line
// itself is in scope only when no section is wanted.
func (s *sectionScope) next(text string) bool {
	if s.want == "" {
		return true
	}
	name, ok := sectionHeader(text)
	if !ok {
		return s.inside
	}
	s.inside = name == s.want
	s.found = s.found || s.inside
	return false
}
