package engine

import (
	"errors"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/rotplay/rotplay/diag"
	"github.com/rotplay/rotplay/playbook"
	"github.com/rotplay/rotplay/tmpl"
)

func (c *compiler) vars(vs []playbook.Var) []*value {
	out := make([]*value, 0, len(vs))
	for _, v := range vs {
		out = append(out, c.value(v.Name, v.Value))
		out[len(out)-1].pos = v.Pos
	}
	return out
}

// value parses the templates in every string scalar below n.
func (c *compiler) value(name string, n *yaml.Node) *value {
	v := &value{name: name, node: n, tpls: map[*yaml.Node]*tmpl.Template{}, pos: diag.At(c.pb.File, n)}
	seen := map[string]bool{}
	walkScalars(n, func(s *yaml.Node) {
		if !strings.Contains(s.Value, "{{") {
			return
		}
		t, err := tmpl.Parse(s.Value)
		if err != nil {
			c.errs.Add(diag.Pos{}, &diag.Error{Pos: c.scalarPos(s, err), Msg: err.Error(),
				Hint: `write {{ expression }} with expr syntax, e.g. {{ host.name + ".conf" }}`})
			return
		}
		v.tpls[s] = t
		for _, nm := range t.Names() {
			if !seen[nm] {
				seen[nm] = true
				v.names = append(v.names, nm)
			}
		}
	})
	return v
}

// scalarPos points into a scalar at a template error's offset, when the
// scalar is on one line so the column can be computed.
func (c *compiler) scalarPos(s *yaml.Node, err error) diag.Pos {
	pos := diag.At(c.pb.File, s)
	var te *tmpl.Error
	if !errors.As(err, &te) || strings.ContainsAny(s.Value, "\n\\") {
		return pos
	}
	if s.Style == yaml.DoubleQuotedStyle || s.Style == yaml.SingleQuotedStyle {
		pos.Col++
	}
	pos.Col += te.Offset
	return pos
}

func walkScalars(n *yaml.Node, fn func(*yaml.Node)) {
	if n == nil {
		return
	}
	if n.Kind == yaml.ScalarNode {
		if n.Tag == "!!str" || n.Tag == "" {
			fn(n)
		}
		return
	}
	for _, ch := range n.Content {
		walkScalars(ch, fn)
	}
}
