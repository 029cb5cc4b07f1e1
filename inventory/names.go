package inventory

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/rotplay/rotplay/diag"
)

// patternOperators are the characters host patterns use to combine terms.
// A host or group name containing one could never be selected by name.
const patternOperators = ":,!&"

// hostPort matches a name written as host:port, a form Ansible accepts in
// inventories but that clashes with the ":" pattern operator.
var hostPort = regexp.MustCompile(`^([^:]+):(\d+)$`)

// checkName rejects host and group names that patterns cannot select.
// kind is "host" or "group". The returned error has no position yet.
func checkName(kind, name string) *diag.Error {
	if name == "" {
		return diag.Errorf(diag.Pos{}, "empty %s name", kind).
			WithHint("give the %s a name", kind)
	}
	if strings.IndexFunc(name, unicode.IsSpace) >= 0 {
		return diag.Errorf(diag.Pos{}, "%s name %q contains whitespace", kind, name).
			WithHint("rename it, e.g. %q", strings.Join(strings.Fields(name), "_"))
	}
	i := strings.IndexAny(name, patternOperators)
	if i < 0 {
		return nil
	}
	e := diag.Errorf(diag.Pos{}, "%s name %q contains %q", kind, name, name[i:i+1])
	switch m := hostPort.FindStringSubmatch(name); {
	case kind == "host" && m != nil:
		return e.WithHint("list the host as %q and set ansible_port: %s", m[1], m[2])
	case kind == "host":
		return e.WithHint("%s combine terms in host patterns; use a plain name and set ansible_host to the address",
			strconv.Quote(patternOperators))
	}
	return e.WithHint("%s combine terms in host patterns; rename the group, e.g. %q",
		strconv.Quote(patternOperators), strings.Map(underscoreOperators, name))
}

// underscoreOperators replaces pattern operators by underscores, Ansible's
// own replacement for invalid characters in group names.
func underscoreOperators(r rune) rune {
	if strings.ContainsRune(patternOperators, r) {
		return '_'
	}
	return r
}
