package tmpl

import (
	"os"
	"reflect"
	"strings"
	"testing"
)

func env(vars map[string]any) Env {
	e := Env(vars)
	for k, v := range Funcs(e, nil) {
		e[k] = v
	}
	return e
}

func TestRender(t *testing.T) {
	t.Setenv("ROTPLAY_TEST_VAR", "from-env")
	vars := map[string]any{
		"rotation": map[string]any{"active": "NEW", "old": "OLD"},
		"port":     9999,
		"host":     map[string]any{"os": "windows", "name": "ag-1"},
		"list":     []any{"a", "b"},
	}
	tests := []struct {
		src  string
		want any
	}{
		{"plain text", "plain text"},
		{"{{ rotation.active }}", "NEW"},
		{"{{ port }}", 9999},
		{"  {{ port }} ", "  9999 "},
		{"{{ rotation.active }}\n", "NEW\n"},
		{"port={{ port }}", "port=9999"},
		{"{{ host.os == \"windows\" }}", true},
		{"{{ list }}", []any{"a", "b"}},
		{"x{{ list }}", `x["a","b"]`},
		{"{{ missing ?? \"dflt\" }}", "dflt"},
		{"{{ defined(\"missing\") }}", false},
		{"{{ env(\"ROTPLAY_TEST_VAR\") }}", "from-env"},
		{"{{ env(\"ROTPLAY_UNSET_VAR\", \"d\") }}", "d"},
		{"{{ \"}}\" }}", "}}"},
		{"{{ upper(host.name) }}-{{ port + 1 }}", "AG-1-10000"},
	}
	for _, tc := range tests {
		t.Run(tc.src, func(t *testing.T) {
			tp, err := Parse(tc.src)
			if err != nil {
				t.Fatal(err)
			}
			got, err := tp.Render(env(copyMap(vars)))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got %#v, want %#v", got, tc.want)
			}
		})
	}
}

func copyMap(m map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		out[k] = v
	}
	return out
}

func TestNames(t *testing.T) {
	t.Parallel()
	tests := []struct {
		src  string
		want []string
	}{
		{"{{ a.b.c }} {{ d }}", []string{"a", "d"}},
		{"{{ x ?? y }}", []string{"y"}},
		{"{{ defined(\"q\") && q }}", nil},
		{"{{ env(\"HOME\") }}", nil},
		{"{{ let z = 1; z + w }}", []string{"w"}},
		{"{{ filter(items, # > n) }}", []string{"items", "n"}},
		{"{{ upper(s) }}", []string{"s"}},
	}
	for _, tc := range tests {
		tp, err := Parse(tc.src)
		if err != nil {
			t.Fatalf("%s: %v", tc.src, err)
		}
		if got := tp.Names(); !reflect.DeepEqual(got, tc.want) && !(len(got) == 0 && len(tc.want) == 0) {
			t.Errorf("%s: names %v, want %v", tc.src, got, tc.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		src    string
		offset int
		msg    string
	}{
		{"abc {{ x", 4, "unclosed {{"},
		{"abc {{ }}", 6, "empty expression"},
		{"ab {{ a + }}", 8, "bad expression"},
	}
	for _, tc := range tests {
		_, err := Parse(tc.src)
		e, ok := err.(*Error)
		if !ok {
			t.Fatalf("%q: got %v, want *Error", tc.src, err)
		}
		if e.Offset != tc.offset || !strings.Contains(e.Msg, tc.msg) {
			t.Errorf("%q: got offset %d %q, want %d %q", tc.src, e.Offset, e.Msg, tc.offset, tc.msg)
		}
	}
}

func TestEvalErrors(t *testing.T) {
	t.Parallel()
	e, err := ParseExpr(`x == 1`)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.EvalBool(env(map[string]any{})); err == nil || !strings.Contains(err.Error(), "x is undefined") {
		t.Fatalf("undefined: got %v", err)
	}
	s, _ := ParseExpr(`"false"`)
	if _, err := s.EvalBool(env(map[string]any{})); err == nil || !strings.Contains(err.Error(), "want true or false") {
		t.Fatalf("non-bool: got %v", err)
	}
	tp, _ := Parse("{{ env(\"ROTPLAY_SURELY_UNSET\") }}")
	if _, err := tp.Render(env(map[string]any{})); err == nil || !strings.Contains(err.Error(), "ROTPLAY_SURELY_UNSET is not set") {
		t.Fatalf("unset env: got %v", err)
	}
	tp, _ = Parse("{{ nothing ?? nil }}")
	if _, err := tp.Render(env(map[string]any{})); err == nil || !strings.Contains(err.Error(), "has no value") {
		t.Fatalf("nil: got %v", err)
	}
}

func TestEnvSecretsReported(t *testing.T) {
	t.Setenv("ROTPLAY_SECRET_X", "s3cr3tvalue")
	var seen []string
	e := Env{}
	for k, v := range Funcs(e, func(v string) { seen = append(seen, v) }) {
		e[k] = v
	}
	t.Setenv("ROTPLAY_SHORT_X", "22")
	tp, _ := Parse(`{{ env("ROTPLAY_SECRET_X") }}{{ env("ROTPLAY_SHORT_X") }}{{ secret("pw") }}`)
	if got, err := tp.Render(e); err != nil || got != "s3cr3tvalue22pw" {
		t.Fatal(got, err)
	}
	if !reflect.DeepEqual(seen, []string{"s3cr3tvalue", "pw"}) {
		t.Fatalf("onEnv saw %v", seen)
	}
}

func TestFileIsSecret(t *testing.T) {
	t.Parallel()
	p := t.TempDir() + "/pw"
	if err := os.WriteFile(p, []byte("hunter2pass\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var seen []string
	e := Env{}
	for k, v := range Funcs(e, func(v string) { seen = append(seen, v) }) {
		e[k] = v
	}
	tp, _ := Parse(`{{ file("` + p + `") }}`)
	if got, err := tp.Render(e); err != nil || got != "hunter2pass" || !reflect.DeepEqual(seen, []string{"hunter2pass"}) {
		t.Fatalf("got %v %v, secrets %v", got, err, seen)
	}
	tp, _ = Parse(`{{ file("/nonexistent/pw") }}`)
	if _, err := tp.Render(e); err == nil || !strings.Contains(err.Error(), "/nonexistent/pw") {
		t.Fatalf("missing file: %v", err)
	}
}
