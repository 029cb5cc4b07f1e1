package engine

import (
	"go.yaml.in/yaml/v3"

	"github.com/rotplay/rotplay/tmpl"
)

func (t *Task) argsNode() *yaml.Node {
	if t.args == nil {
		return nil
	}
	return t.args.node
}

// renderNode returns a copy of the value's node with every template
// replaced by its rendered value. A scalar that is exactly one expression
// takes the expression's type (a number stays a number).
func (v *value) renderNode(env tmpl.Env) (*yaml.Node, error) {
	if len(v.tpls) == 0 {
		return v.node, nil
	}
	return v.copyNode(v.node, env)
}

func (v *value) copyNode(n *yaml.Node, env tmpl.Env) (*yaml.Node, error) {
	if t, ok := v.tpls[n]; ok {
		val, err := t.Render(env)
		if err != nil {
			return nil, err
		}
		out := &yaml.Node{}
		if s, isStr := val.(string); isStr {
			out.SetString(s)
		} else if err := out.Encode(val); err != nil {
			return nil, err
		}
		out.Line, out.Column = n.Line, n.Column
		return out, nil
	}
	cp := *n
	if len(n.Content) > 0 {
		cp.Content = make([]*yaml.Node, len(n.Content))
		for i, ch := range n.Content {
			c, err := v.copyNode(ch, env)
			if err != nil {
				return nil, err
			}
			cp.Content[i] = c
		}
	}
	return &cp, nil
}

// render evaluates the value as a plain Go value, for variables.
func (v *value) render(env tmpl.Env) (any, error) {
	n, err := v.renderNode(env)
	if err != nil {
		return nil, err
	}
	var out any
	if err := n.Decode(&out); err != nil {
		return nil, err
	}
	return out, nil
}
