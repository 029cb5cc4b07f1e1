// Package args decodes a module's YAML arguments into a Go struct, field by
// field, so that every problem (unknown key, wrong type, missing required
// argument) is reported at once with its file:line:col.
//
// Fields are matched by their `yaml:"name"` tag. A field tagged
// `args:"required"` must be present. A {{ template }} given for a field that
// is not a string is left at its zero value: it is rendered and decoded at
// run time, when Decode is called again on the rendered arguments.
package args

import (
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/rotplay/rotplay/diag"
	"github.com/rotplay/rotplay/tmpl"
)

// Unwrap returns the node a one-document node holds, else n itself.
func Unwrap(n *yaml.Node) *yaml.Node {
	if n != nil && n.Kind == yaml.DocumentNode && len(n.Content) == 1 {
		return n.Content[0]
	}
	return n
}

// Begin starts a module's Decode: it unwraps n, decodes it into dst and
// returns the node further messages should point at and the list of
// problems so far, for the module's own checks to add to. ok is false when
// n is not a mapping at all: errs says so and nothing more can be checked.
func Begin(file, module string, n *yaml.Node, dst any) (node *yaml.Node, errs diag.List, ok bool) {
	n = Unwrap(n)
	if err := Decode(file, module, n, dst); err != nil {
		errs.Add(diag.At(file, n), err)
		if n != nil && n.Kind != yaml.MappingNode && !isNull(n) {
			return n, errs, false
		}
	}
	return n, errs, true
}

// PositiveDuration reads a module argument that is a duration: a Go
// duration such as 90s, or a number of seconds. It must be more than zero
// and no longer than a time.Duration holds.
func PositiveDuration(s string) (time.Duration, error) {
	d, err := time.ParseDuration(s)
	if secs, numErr := strconv.ParseFloat(s, 64); numErr == nil {
		if math.IsNaN(secs) || math.IsInf(secs, 0) || secs >= maxSeconds {
			return 0, fmt.Errorf("%q is not a duration", s)
		}
		d, err = time.Duration(secs*float64(time.Second)), nil
	}
	switch {
	case err != nil:
		return 0, fmt.Errorf("%q is not a duration", s)
	case d <= 0:
		return 0, fmt.Errorf("%q is not more than zero", s)
	}
	return d, nil
}

// maxSeconds is the first number of seconds a time.Duration cannot hold.
const maxSeconds = float64(math.MaxInt64) / float64(time.Second)

// Decode decodes the mapping node n into dst, a pointer to a struct. A nil
// node decodes as an empty mapping. module names the module in messages.
func Decode(file, module string, n *yaml.Node, dst any) error {
	v := reflect.ValueOf(dst)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		panic("args.Decode: dst must point to a struct")
	}
	v = v.Elem()
	fields := fieldsOf(v.Type())
	var errs diag.List
	n = Unwrap(n)
	seen := map[string]bool{}
	if n != nil && !isNull(n) {
		if n.Kind != yaml.MappingNode {
			errs.Addf(diag.At(file, n), "%s: arguments must be a mapping of key: value, got %s", module, kindName(n)).
				WithHint("write the arguments indented below %q", module+":")
			return errs.Err()
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, val := n.Content[i], n.Content[i+1]
			f, ok := fields[k.Value]
			if !ok {
				e := errs.Addf(diag.At(file, k), "%s: unknown argument %q", module, k.Value)
				if s := diag.Suggest(k.Value, names(fields)); s != "" {
					e.WithHint("did you mean %q?", s)
				} else {
					e.WithHint("%s takes: %s", module, strings.Join(names(fields), ", "))
				}
				continue
			}
			if seen[k.Value] {
				errs.Addf(diag.At(file, k), "%s: argument %q given twice", module, k.Value)
				continue
			}
			seen[k.Value] = true
			fv := v.Field(f.index)
			if val.Kind == yaml.ScalarNode && tmpl.IsTemplate(val.Value) && fv.Kind() != reflect.String {
				// Rendered at run time; checked by the run-time Decode.
				continue
			}
			if err := val.Decode(fv.Addr().Interface()); err != nil {
				errs.Addf(diag.At(file, val), "%s: argument %q: expected %s, got %s",
					module, k.Value, typeName(fv.Type()), describe(val))
			}
		}
	}
	for _, name := range names(fields) {
		if fields[name].required && !seen[name] {
			pos := diag.At(file, n)
			errs.Addf(pos, "%s: missing required argument %q", module, name)
		}
	}
	return errs.Err()
}

type field struct {
	index    int
	required bool
}

func fieldsOf(t reflect.Type) map[string]field {
	out := map[string]field{}
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		name, _, _ := strings.Cut(sf.Tag.Get("yaml"), ",")
		if name == "" || name == "-" {
			continue
		}
		out[name] = field{index: i, required: sf.Tag.Get("args") == "required"}
	}
	return out
}

func names(fields map[string]field) []string {
	out := make([]string, 0, len(fields))
	for n := range fields {
		out = append(out, n)
	}
	sortStrings(out)
	return out
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "a list"
	case yaml.MappingNode:
		return "a mapping"
	default:
		return describe(n)
	}
}

func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "a list"
	case yaml.MappingNode:
		return "a mapping"
	}
	return fmt.Sprintf("%q", n.Value)
}

func typeName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int64, reflect.Int32:
		return "a whole number"
	case reflect.Slice:
		return "a list of " + strings.TrimPrefix(typeName(t.Elem()), "a ")
	case reflect.Map:
		return "a mapping"
	case reflect.Pointer:
		return typeName(t.Elem())
	}
	return t.String()
}
