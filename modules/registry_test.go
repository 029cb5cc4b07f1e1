package modules

import (
	"reflect"
	"testing"

	"go.yaml.in/yaml/v3"
)

type named string

func (n named) Info() Info                                { return Info{Name: string(n)} }
func (n named) Decode(string, *yaml.Node) (Action, error) { return nil, nil }

func TestRegistry(t *testing.T) {
	t.Parallel()
	r := NewRegistry(named("b"), named("a"))
	if _, ok := r.Lookup("a"); !ok {
		t.Fatal("a not found")
	}
	if _, ok := r.Lookup("c"); ok {
		t.Fatal("c found")
	}
	if got := r.Names(); !reflect.DeepEqual(got, []string{"a", "b"}) {
		t.Fatalf("names %v", got)
	}
	defer func() {
		if recover() == nil {
			t.Fatal("a duplicate module must panic")
		}
	}()
	NewRegistry(named("a"), named("a"))
}
