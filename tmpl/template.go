package tmpl

import (
	"fmt"
	"sort"
	"strings"
)

// Env is the set of variables an expression sees.
type Env map[string]any

// Template is a string value that may hold {{ expression }} parts.
type Template struct {
	src   string
	lits  []string // lits[i] precedes exprs[i]; len(lits) == len(exprs)+1
	exprs []*Expr
}

// Parse parses s. A string without {{ is a template of one literal.
func Parse(s string) (*Template, error) {
	t := &Template{src: s}
	rest, base := s, 0
	for {
		i := strings.Index(rest, "{{")
		if i < 0 {
			t.lits = append(t.lits, rest)
			return t, nil
		}
		end := closing(rest[i+2:])
		if end < 0 {
			return nil, &Error{Offset: base + i, Msg: "unclosed {{: add the closing }}"}
		}
		code := rest[i+2 : i+2+end]
		e, err := parseAt(code, base+i+2)
		if err != nil {
			return nil, err
		}
		t.lits = append(t.lits, rest[:i])
		t.exprs = append(t.exprs, e)
		next := i + 2 + end + 2
		rest, base = rest[next:], base+next
	}
}

// closing returns the index of the }} that ends an expression in s, skipping
// quoted strings, or -1.
func closing(s string) int {
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == '\\' {
				i++
			} else if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'' || c == '`':
			quote = c
		case c == '}' && i+1 < len(s) && s[i+1] == '}':
			return i
		}
	}
	return -1
}

// Source returns the template as written.
func (t *Template) Source() string { return t.src }

// IsLiteral reports whether the template has no expression.
func (t *Template) IsLiteral() bool { return len(t.exprs) == 0 }

// Names returns the variables the template's expressions need, sorted.
func (t *Template) Names() []string {
	set := map[string]bool{}
	for _, e := range t.exprs {
		for _, n := range e.names {
			set[n] = true
		}
	}
	out := make([]string, 0, len(set))
	for n := range set {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Render evaluates the template. A template that is exactly one expression
// ("{{ port }}") keeps the expression's type; anything else renders to a
// string.
func (t *Template) Render(env Env) (any, error) {
	if t.IsLiteral() {
		return t.src, nil
	}
	if len(t.exprs) == 1 && t.lits[0] == "" && t.lits[1] == "" {
		v, err := t.exprs[0].Eval(env)
		if err == nil && v == nil {
			err = nilError(t.exprs[0])
		}
		return v, err
	}
	return t.RenderString(env)
}

// RenderString evaluates the template to a string.
func (t *Template) RenderString(env Env) (string, error) {
	var b strings.Builder
	for i, e := range t.exprs {
		b.WriteString(t.lits[i])
		v, err := e.Eval(env)
		if err != nil {
			return "", err
		}
		if v == nil {
			return "", nilError(e)
		}
		s, err := Stringify(v)
		if err != nil {
			return "", fmt.Errorf("%q: %w", e.src, err)
		}
		b.WriteString(s)
	}
	b.WriteString(t.lits[len(t.lits)-1])
	return b.String(), nil
}

func nilError(e *Expr) error {
	return fmt.Errorf("%q has no value (nil); if it reads a registered result, the task that registers it may have been skipped (e.g. under --check)", e.src)
}
