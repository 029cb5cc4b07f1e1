package inventory

import (
	"maps"
	"strings"

	"github.com/rotplay/rotplay/diag"
)

// Select returns the hosts matching an Ansible host pattern, in inventory
// order, without duplicates. The result may be empty.
//
// A pattern is one or more terms separated by "," or ":". A term is
//
//   - "all" or "*": every host;
//   - a name: the host of that name and the hosts of the group of that name;
//   - a glob using *, ? or [...] ([!...] negates): the hosts, and the hosts
//     of the groups, whose names match;
//   - "~" and a Go regular expression: likewise, matched against whole names
//     (unlike Ansible, which looks for the expression anywhere in a name).
//
// A term after "&" (as in "webservers:&staging") intersects, a term after
// "!" (as in "activegates:!ag-dmz-*") excludes. As in Ansible, whatever the
// order they are written in, the plain terms are united first, then the "&"
// terms narrow the result, then the "!" terms are removed; a pattern with
// only "&" and "!" terms starts from all hosts. Separators inside (), []
// or {} belong to the term, so that ~web\d{1,3} is one term. Ansible's
// subscripts, such as webservers[0:2], are not supported.
//
// A name that matches no host and no group is an error, since it is likely
// a typo; a glob or regular expression that matches nothing is not. Errors
// are diag.Error values without a position: the caller knows where the
// pattern is written and may set it.
func (inv *Inventory) Select(pattern string) ([]*Host, error) {
	terms, err := parsePattern(pattern)
	if err != nil {
		return nil, err
	}
	var errs diag.List
	sets := make([]map[*Host]bool, len(terms))
	for i, t := range terms {
		set, err := inv.match(t.text)
		errs.Add(diag.Pos{}, err)
		sets[i] = set
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return inv.combine(terms, sets), nil
}

// combine applies the terms' operators to the sets they matched, in
// Ansible's order: unions, then intersections, then exclusions.
func (inv *Inventory) combine(terms []term, sets []map[*Host]bool) []*Host {
	selected := map[*Host]bool{}
	for _, op := range []operator{union, intersect, exclude} {
		for i, t := range terms {
			if t.op == op {
				apply(selected, op, sets[i])
			}
		}
	}
	var out []*Host
	for _, h := range inv.hosts {
		if selected[h] {
			out = append(out, h)
		}
	}
	return out
}

// apply combines the hosts a term matched into the selection.
func apply(selected map[*Host]bool, op operator, matched map[*Host]bool) {
	switch op {
	case union:
		maps.Copy(selected, matched)
	case intersect:
		maps.DeleteFunc(selected, func(h *Host, _ bool) bool { return !matched[h] })
	case exclude:
		maps.DeleteFunc(selected, func(h *Host, _ bool) bool { return matched[h] })
	}
}

// operator says how a term combines with the others.
type operator int

const (
	union operator = iota
	intersect
	exclude
)

// term is one name, glob or regular expression of a pattern.
type term struct {
	op   operator
	text string
}

// parsePattern splits a pattern into terms. Without a plain term, the
// pattern starts from "all", as Ansible's does.
func parsePattern(pattern string) ([]term, error) {
	if strings.TrimSpace(pattern) == "" {
		return nil, diag.Errorf(diag.Pos{}, "empty host pattern").
			WithHint(`use "all" to select every host`)
	}
	var terms []term
	plain := false
	for _, raw := range splitTerms(pattern) {
		t := term{text: strings.TrimSpace(raw)}
		if rest, ok := strings.CutPrefix(t.text, "&"); ok {
			t = term{intersect, strings.TrimSpace(rest)}
		} else if rest, ok := strings.CutPrefix(t.text, "!"); ok {
			t = term{exclude, strings.TrimSpace(rest)}
		}
		if t.text == "" {
			return nil, diag.Errorf(diag.Pos{}, "host pattern %q has an empty term", pattern).
				WithHint("write a host or group name after each separator, or remove the separator")
		}
		plain = plain || t.op == union
		terms = append(terms, t)
	}
	if !plain {
		terms = append([]term{{union, All}}, terms...)
	}
	return terms, nil
}

// splitTerms splits a pattern at "," and ":" outside brackets of any kind.
func splitTerms(pattern string) []string {
	var terms []string
	depth, start := 0, 0
	for i := 0; i < len(pattern); i++ {
		switch pattern[i] {
		case '(', '[', '{':
			depth++
		case ')', ']', '}':
			depth = max(depth-1, 0)
		case ',', ':':
			if depth == 0 {
				terms = append(terms, pattern[start:i])
				start = i + 1
			}
		}
	}
	return append(terms, pattern[start:])
}
