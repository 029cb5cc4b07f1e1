package diag

import (
	"errors"
	"testing"
)

func TestListSortsAndFormats(t *testing.T) {
	t.Parallel()
	var l List
	l.Addf(Pos{File: "b.yaml", Line: 1, Col: 1}, "second file")
	l.Addf(Pos{File: "a.yaml", Line: 9, Col: 2}, "later").WithHint("do %s", "this")
	l.Add(Pos{File: "a.yaml", Line: 2}, errors.New("plain"))
	l.Add(Pos{}, nil)
	err := l.Err()
	want := "a.yaml:2: plain\na.yaml:9:2: later (do this)\nb.yaml:1:1: second file"
	if err == nil || err.Error() != want {
		t.Fatalf("got %q\nwant %q", err, want)
	}
	var e *Error
	if !errors.As(err, &e) || e.Msg != "plain" {
		t.Fatalf("errors.As found %v", e)
	}
	var nested List
	nested.Add(Pos{}, err)
	if len(nested) != 3 {
		t.Fatalf("adding a List should flatten it, got %d", len(nested))
	}
	if (List{}).Err() != nil {
		t.Fatal("empty list must be nil error")
	}
}

func TestSuggest(t *testing.T) {
	t.Parallel()
	cands := []string{"phases", "vars", "inventory", "name"}
	for in, want := range map[string]string{"phase": "phases", "var": "vars", "Inventry": "inventory", "zzzzzz": ""} {
		if got := Suggest(in, cands); got != want {
			t.Errorf("Suggest(%q) = %q, want %q", in, got, want)
		}
	}
}
