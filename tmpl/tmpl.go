// Package tmpl owns rotplay's small expression language: `{{ expression }}`
// inside string values and bare expressions in `when`, `changed_when` and
// `failed_when`. Expressions are github.com/expr-lang/expr; they see the
// variables of the host a task runs on and two functions, env(NAME[,
// DEFAULT]) and defined(NAME).
//
// Templates are parsed once at compile time; Names reports the variables an
// expression needs so the compiler can reject undefined ones before any host
// is contacted.
package tmpl

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/vm"
)

// Error is a problem in a template or expression. Offset is the byte offset
// in the source string where the problem is, for positions in diagnostics.
type Error struct {
	Offset int
	Msg    string
}

func (e *Error) Error() string { return e.Msg }

// Expr is a compiled expression.
type Expr struct {
	src   string
	prog  *vm.Program
	names []string
}

// ParseExpr compiles a bare expression such as `host.os == "windows"`.
func ParseExpr(src string) (*Expr, error) {
	return parseAt(src, 0)
}

func parseAt(src string, offset int) (*Expr, error) {
	code := strings.TrimSpace(src)
	if code == "" {
		return nil, &Error{Offset: offset, Msg: "empty expression"}
	}
	names, err := freeNames(code)
	if err != nil {
		return nil, exprError(err, src, offset)
	}
	prog, err := expr.Compile(code, expr.AllowUndefinedVariables())
	if err != nil {
		return nil, exprError(err, src, offset)
	}
	return &Expr{src: code, prog: prog, names: names}, nil
}

// Source returns the expression as written, trimmed.
func (e *Expr) Source() string { return e.src }

// Names returns the variables the expression needs, sorted. Names guarded by
// `??` or defined("...") are not listed: they may be undefined.
func (e *Expr) Names() []string { return e.names }

// Eval evaluates the expression in env. A needed variable missing from env
// is an error naming it.
func (e *Expr) Eval(env Env) (any, error) {
	for _, n := range e.names {
		if _, ok := env[n]; !ok {
			return nil, fmt.Errorf("%s is undefined (in %q)", n, e.src)
		}
	}
	out, err := expr.Run(e.prog, map[string]any(env))
	if err != nil {
		return nil, fmt.Errorf("evaluate %q: %s", e.src, firstLine(err.Error()))
	}
	return out, nil
}

// EvalBool evaluates a condition. The result must be a boolean: a string
// "false" is an error rather than silently true.
func (e *Expr) EvalBool(env Env) (bool, error) {
	v, err := e.Eval(env)
	if err != nil {
		return false, err
	}
	b, ok := v.(bool)
	if !ok {
		return false, fmt.Errorf("%q gave %s, want true or false", e.src, describe(v))
	}
	return b, nil
}

// Stringify renders a value inside a larger string: strings as they are,
// numbers and booleans in their usual form, lists and maps as JSON.
func Stringify(v any) (string, error) {
	switch x := v.(type) {
	case nil:
		return "", fmt.Errorf("value is nil")
	case string:
		return x, nil
	case bool:
		return strconv.FormatBool(x), nil
	case int:
		return strconv.Itoa(x), nil
	case int64:
		return strconv.FormatInt(x, 10), nil
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64), nil
	case []byte:
		return string(x), nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v), nil
	}
	return string(b), nil
}

func describe(v any) string {
	if v == nil {
		return "nil"
	}
	return fmt.Sprintf("%T %v", v, v)
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
