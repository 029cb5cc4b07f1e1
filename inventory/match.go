package inventory

import (
	"errors"
	"regexp"
	"regexp/syntax"
	"strings"

	"github.com/rotplay/rotplay/diag"
)

// match returns the set of hosts one pattern term selects.
func (inv *Inventory) match(text string) (map[*Host]bool, error) {
	if !strings.HasPrefix(text, "~") && !strings.ContainsAny(text, "*?[") {
		return inv.matchName(text)
	}
	re, err := termRegexp(text)
	if err != nil {
		return nil, err
	}
	out := map[*Host]bool{}
	for _, h := range inv.hosts {
		if re.MatchString(h.Name) {
			out[h] = true
		}
	}
	for _, g := range inv.groups {
		if re.MatchString(g.Name) {
			inv.addGroup(out, g)
		}
	}
	return out, nil
}

// matchName selects the host and the group named name. A host and a group
// may share a name; the term then selects both.
func (inv *Inventory) matchName(name string) (map[*Host]bool, error) {
	out := map[*Host]bool{}
	h, isHost := inv.byName[name]
	if isHost {
		out[h] = true
	}
	g, isGroup := inv.groups[name]
	if isGroup {
		inv.addGroup(out, g)
	}
	if !isHost && !isGroup {
		return nil, inv.unknownName(name)
	}
	return out, nil
}

func (inv *Inventory) addGroup(set map[*Host]bool, g *Group) {
	for _, name := range g.Hosts {
		set[inv.byName[name]] = true
	}
}

// maxListedGroups bounds the group names a hint lists.
const maxListedGroups = 10

func (inv *Inventory) unknownName(name string) *diag.Error {
	e := diag.Errorf(diag.Pos{}, "no host or group named %q in inventory %s", name, inv.File)
	groups := inv.GroupNames()
	candidates := groups
	for _, h := range inv.hosts {
		candidates = append(candidates, h.Name)
	}
	if s := diag.Suggest(name, candidates); s != "" {
		return e.WithHint("did you mean %q?", s)
	}
	if len(groups) > maxListedGroups {
		groups = append(groups[:maxListedGroups], "...")
	}
	return e.WithHint("check the spelling; the groups are %s", strings.Join(groups, ", "))
}

// termRegexp compiles a "~regex" or glob term into a regular expression
// matching whole names.
func termRegexp(text string) (*regexp.Regexp, error) {
	if expr, ok := strings.CutPrefix(text, "~"); ok {
		re, err := regexp.Compile(`^(?:` + expr + `)$`)
		if err != nil {
			return nil, diag.Errorf(diag.Pos{}, "host pattern term %q is not a valid regular expression: %s", text, regexpProblem(err)).
				WithHint("the text after ~ is a Go regular expression (https://pkg.go.dev/regexp/syntax)")
		}
		return re, nil
	}
	expr, msg := globRegexp(text)
	if msg == "" {
		re, err := regexp.Compile(`^(?:` + expr + `)$`)
		if err == nil {
			return re, nil
		}
		msg = regexpProblem(err) // e.g. a backwards range such as [z-a]
	}
	return nil, diag.Errorf(diag.Pos{}, "host pattern term %q is not a valid glob: %s", text, msg).
		WithHint("use * (any text), ? (one character) and [abc] or [a-z] (one of them); [!abc] excludes")
}

// regexpProblem extracts what is wrong from a regexp error, leaving out the
// expression, which the caller quotes as the user wrote it.
func regexpProblem(err error) string {
	var se *syntax.Error
	if errors.As(err, &se) {
		return se.Code.String()
	}
	return err.Error()
}
