package args

import (
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

type sample struct {
	Path   string   `yaml:"path" args:"required"`
	Count  int      `yaml:"count"`
	Flag   bool     `yaml:"flag"`
	Items  []string `yaml:"items"`
	hidden string
}

func node(t *testing.T, src string) *yaml.Node {
	t.Helper()
	var n yaml.Node
	if err := yaml.Unmarshal([]byte(src), &n); err != nil {
		t.Fatal(err)
	}
	return &n
}

func TestDecode(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, src string
		want      string // "" for success
	}{
		{"ok", "path: /x\ncount: 3\nflag: true\nitems: [a, b]", ""},
		{"null is empty", "~", `f.yaml:1:1: m: missing required argument "path"`},
		{"unknown with suggestion", "path: /x\ncont: 2", `f.yaml:2:1: m: unknown argument "cont" (did you mean "count"?)`},
		{"unknown without suggestion", "path: /x\nzzzzzzzz: 2", `takes: count, flag, items, path`},
		{"wrong type", "path: /x\ncount: many", `f.yaml:2:8: m: argument "count": expected a whole number, got "many"`},
		{"wrong list", "path: /x\nitems: {a: 1}", `argument "items": expected a list of string, got a mapping`},
		{"not a mapping", "[1, 2]", `f.yaml:1:1: m: arguments must be a mapping of key: value, got a list`},
		{"template for int is left for run time", "path: /x\ncount: '{{ n }}'", ""},
		{"all errors at once", "cont: 1\nflag: maybe", "unknown argument \"cont\""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var s sample
			err := Decode("f.yaml", "m", node(t, tc.src), &s)
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want it to contain %q", err, tc.want)
			}
		})
	}
	var s sample
	if err := Decode("f.yaml", "m", node(t, "path: /x\ncount: 3\nitems: [a]"), &s); err != nil || s.Count != 3 || s.Items[0] != "a" {
		t.Fatalf("decoded %+v, %v", s, err)
	}
	err := Decode("f.yaml", "m", node(t, "cont: 1\nflag: maybe"), &s)
	if n := strings.Count(err.Error(), "\n") + 1; n != 3 {
		t.Fatalf("want 3 errors (unknown, type, missing), got %d: %v", n, err)
	}
}

// TestBegin: a module's own checks go on only while the arguments are a
// mapping (or empty), and point at the unwrapped node.
func TestBegin(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, src string
		ok        bool
		problems  int
	}{
		{"valid", "path: /x", true, 0},
		{"mapping with a problem", "count: 2", true, 1},
		{"empty", "~", true, 1},
		{"not a mapping", "[1, 2]", false, 1},
		{"scalar", "just text", false, 1},
	}
	for _, tc := range tests {
		var s sample
		n, errs, ok := Begin("f.yaml", "m", node(t, tc.src), &s)
		if ok != tc.ok || len(errs) != tc.problems {
			t.Errorf("%s: ok %v with %d problems %v, want ok %v with %d", tc.name, ok, len(errs), errs.Err(), tc.ok, tc.problems)
		}
		if n == nil || n.Kind == yaml.DocumentNode {
			t.Errorf("%s: node not unwrapped: %v", tc.name, n)
		}
	}
}

func TestPositiveDuration(t *testing.T) {
	t.Parallel()
	for s, want := range map[string]time.Duration{"90s": 90 * time.Second, "2m": 2 * time.Minute, "1.5": 1500 * time.Millisecond, "300": 5 * time.Minute} {
		if d, err := PositiveDuration(s); err != nil || d != want {
			t.Errorf("%q: %v, %v; want %v", s, d, err, want)
		}
	}
	for s, want := range map[string]string{
		"soon": "is not a duration", "NaN": "is not a duration", "Inf": "is not a duration", "1e30": "is not a duration",
		"0": "is not more than zero", "-5": "is not more than zero", "-1m": "is not more than zero", "0s": "is not more than zero",
	} {
		if d, err := PositiveDuration(s); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, %v; want an error that it %s", s, d, err, want)
		}
	}
}
