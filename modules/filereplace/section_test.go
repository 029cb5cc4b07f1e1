package filereplace

import "testing"

func TestSectionHeader(t *testing.T) {
	t.Parallel()
	tests := []struct {
		text string
		name string
		ok   bool
	}{
		{"[env1]", "env1", true},
		{"  [ env1 ]  ", "env1", true},
		{"[env1] # main", "env1", true},
		{"[]", "", true},
		{"[env1", "", false},
		{"env1]", "", false},
		{"key = [x]", "", false},
		{"# [env1]", "", false},
	}
	for _, tt := range tests {
		name, ok := sectionHeader(tt.text)
		if name != tt.name || ok != tt.ok {
			t.Errorf("sectionHeader(%q) = %q, %v, want %q, %v", tt.text, name, ok, tt.name, tt.ok)
		}
	}
}

func TestSectionScope(t *testing.T) {
	t.Parallel()
	text := []string{"top=1", "[a]", "x=1", "[Ab]", "x=2", "[ Ab ]", "x=3", "[b]", "x=4"}
	tests := []struct {
		want  string
		in    []bool
		found bool
	}{
		{"", []bool{true, true, true, true, true, true, true, true, true}, true},
		{"a", []bool{false, false, true, false, false, false, false, false, false}, true},
		{"Ab", []bool{false, false, false, false, true, false, true, false, false}, true},
		{"ab", []bool{false, false, false, false, false, false, false, false, false}, false},
	}
	for _, tt := range tests {
		s := sectionScope{want: tt.want}
		for i, l := range text {
			if got := s.next(l); got != tt.in[i] {
				t.Errorf("section %q: line %d %q in scope = %v, want %v", tt.want, i+1, l, got, tt.in[i])
			}
		}
		if tt.want != "" && s.found != tt.found {
			t.Errorf("section %q: found = %v, want %v", tt.want, s.found, tt.found)
		}
	}
}
