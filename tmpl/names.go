package tmpl

import (
	"errors"
	"slices"
	"sort"
	"strings"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/builtin"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/parser"
)

// Functions are the names the engine provides as functions; calling them is
// not a use of a variable.
var Functions = []string{"env", "defined", "secret", "file"}

// freeNames parses code and returns the root variables it uses, excluding
// functions, let-bound names and names guarded by `??` or defined("x").
func freeNames(code string) ([]string, error) {
	tree, err := parser.Parse(code)
	if err != nil {
		return nil, err
	}
	g := &guards{exempt: map[*ast.IdentifierNode]bool{}, names: map[string]bool{}}
	ast.Walk(&tree.Node, g)
	c := &collector{g: g, seen: map[string]bool{}}
	ast.Walk(&tree.Node, c)
	out := make([]string, 0, len(c.seen))
	for n := range c.seen {
		out = append(out, n)
	}
	sort.Strings(out)
	return out, nil
}

// guards finds identifiers that may legitimately be undefined.
type guards struct {
	exempt map[*ast.IdentifierNode]bool // left side of ??, callees
	names  map[string]bool              // defined("x") arguments and let names
}

func (g *guards) Visit(n *ast.Node) {
	switch x := (*n).(type) {
	case *ast.BinaryNode:
		if x.Operator == "??" {
			if id := root(x.Left); id != nil {
				g.exempt[id] = true
			}
		}
	case *ast.CallNode:
		if id, ok := x.Callee.(*ast.IdentifierNode); ok {
			g.exempt[id] = true
			if id.Value == "defined" && len(x.Arguments) == 1 {
				if s, ok := x.Arguments[0].(*ast.StringNode); ok {
					g.names[s.Value] = true
				}
			}
		}
	case *ast.VariableDeclaratorNode:
		g.names[x.Name] = true
	}
}

// root returns the identifier a member chain starts from: `a` in a.b[0].c.
func root(n ast.Node) *ast.IdentifierNode {
	for {
		switch x := n.(type) {
		case *ast.IdentifierNode:
			return x
		case *ast.MemberNode:
			n = x.Node
		case *ast.ChainNode:
			n = x.Node
		default:
			return nil
		}
	}
}

type collector struct {
	g    *guards
	seen map[string]bool
}

func (c *collector) Visit(n *ast.Node) {
	id, ok := (*n).(*ast.IdentifierNode)
	if !ok || c.g.exempt[id] || c.g.names[id.Value] {
		return
	}
	c.seen[id.Value] = true
}

// exprError turns a parser or compiler error into an Error positioned in the
// original source string (offset is where the expression starts in it).
func exprError(err error, src string, offset int) error {
	var fe *file.Error
	msg := err.Error()
	pos := offset
	if errors.As(err, &fe) {
		msg = fe.Message
		pos = offset + leadingSpace(src) + columnOffset(strings.TrimSpace(src), fe.Line, fe.Column)
	}
	return &Error{Offset: pos, Msg: "bad expression: " + msg}
}

func leadingSpace(s string) int { return len(s) - len(strings.TrimLeft(s, " \t\r\n")) }

// columnOffset maps a 1-based line and 0-based column of expr's error to a
// byte offset in code.
func columnOffset(code string, line, col int) int {
	off := 0
	for l := 1; l < line; l++ {
		i := strings.IndexByte(code[off:], '\n')
		if i < 0 {
			break
		}
		off += i + 1
	}
	return min(off+col, len(code))
}

// Reserved reports whether name cannot be a variable because expressions
// already give it a meaning: a built-in function of the expression language
// (count, len, filter, ...), one of Functions, host or ansible_check_mode.
func Reserved(name string) bool {
	if name == "host" || name == "ansible_check_mode" || slices.Contains(Functions, name) {
		return true
	}
	_, ok := builtin.Index[name]
	return ok
}
