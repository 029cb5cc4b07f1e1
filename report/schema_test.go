package report

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
)

// checkSchema checks a report against docs/report.schema.json for what
// the schema uses: type, required, properties, additionalProperties,
// items, enum and local $ref. It is no full JSON Schema validator; it
// keeps the schema and the Go types from drifting apart.
func checkSchema(t *testing.T, report []byte) {
	t.Helper()
	var schema, doc map[string]any
	b, err := os.ReadFile("../docs/report.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &schema); err != nil {
		t.Fatalf("schema: %v", err)
	}
	if err := json.Unmarshal(report, &doc); err != nil {
		t.Fatalf("report: %v", err)
	}
	v := validator{root: schema}
	v.check(schema, doc, "$")
	for _, e := range v.errs {
		t.Error(e)
	}
}

type validator struct {
	root map[string]any
	errs []string
}

func (v *validator) fail(path, format string, args ...any) {
	v.errs = append(v.errs, path+": "+fmt.Sprintf(format, args...))
}

func (v *validator) check(s map[string]any, val any, path string) {
	if ref, ok := s["$ref"].(string); ok {
		s = v.resolve(ref)
	}
	if typ, ok := s["type"].(string); ok && !hasType(val, typ) {
		v.fail(path, "is %T, want %s", val, typ)
		return
	}
	if enum, ok := s["enum"].([]any); ok && !slices.Contains(enum, val) {
		v.fail(path, "%v is not one of %v", val, enum)
	}
	switch val := val.(type) {
	case map[string]any:
		v.object(s, val, path)
	case []any:
		if items, ok := s["items"].(map[string]any); ok {
			for i, it := range val {
				v.check(items, it, fmt.Sprintf("%s[%d]", path, i))
			}
		}
	}
}

func (v *validator) object(s, val map[string]any, path string) {
	props, _ := s["properties"].(map[string]any)
	for _, r := range asStrings(s["required"]) {
		if _, ok := val[r]; !ok {
			v.fail(path, "required key %q missing", r)
		}
	}
	for k, x := range val {
		ps, ok := props[k].(map[string]any)
		if !ok {
			if s["additionalProperties"] == false {
				v.fail(path, "key %q is not in the schema", k)
			}
			continue
		}
		v.check(ps, x, path+"."+k)
	}
}

func (v *validator) resolve(ref string) map[string]any {
	var cur any = v.root
	for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
		m, _ := cur.(map[string]any)
		cur = m[part]
	}
	m, _ := cur.(map[string]any)
	return m
}

func hasType(val any, typ string) bool {
	switch typ {
	case "object":
		_, ok := val.(map[string]any)
		return ok
	case "array":
		_, ok := val.([]any)
		return ok
	case "string":
		_, ok := val.(string)
		return ok
	case "boolean":
		_, ok := val.(bool)
		return ok
	case "integer":
		f, ok := val.(float64)
		return ok && f == float64(int64(f))
	case "number":
		_, ok := val.(float64)
		return ok
	}
	return false
}

func asStrings(v any) []string {
	var out []string
	l, _ := v.([]any)
	for _, x := range l {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// TestSchemaChecker makes sure the checker catches what it should.
func TestSchemaChecker(t *testing.T) {
	t.Parallel()
	schema := map[string]any{"type": "object", "required": []any{"a"}, "additionalProperties": false,
		"properties": map[string]any{"a": map[string]any{"type": "integer"}, "b": map[string]any{"enum": []any{"x"}}}}
	for doc, want := range map[string]int{`{"a": 1}`: 0, `{}`: 1, `{"a": "1"}`: 1, `{"a": 1, "c": 2}`: 1, `{"a": 1, "b": "y"}`: 1} {
		var val any
		json.Unmarshal([]byte(doc), &val)
		v := validator{root: schema}
		v.check(schema, val, "$")
		if len(v.errs) != want {
			t.Errorf("%s: %d errors %v, want %d", doc, len(v.errs), v.errs, want)
		}
	}
}
