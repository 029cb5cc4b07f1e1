package filereplace

import (
	"reflect"
	"testing"
)

func TestSplitLines(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want []line
	}{
		{"empty", "", nil},
		{"one line no ending", "a=1", []line{{"a=1", ""}}},
		{"LF", "a\nb\n", []line{{"a", "\n"}, {"b", "\n"}}},
		{"CRLF", "a\r\nb\r\n", []line{{"a", "\r\n"}, {"b", "\r\n"}}},
		{"mixed and last without ending", "a\r\nb\nc", []line{{"a", "\r\n"}, {"b", "\n"}, {"c", ""}}},
		{"lone CR is content", "a\rb\n\r", []line{{"a\rb", "\n"}, {"\r", ""}}},
		{"CR CR LF keeps one CR in the text", "a\r\r\n", []line{{"a\r", "\r\n"}}},
		{"blank lines", "\n\r\n\n", []line{{"", "\n"}, {"", "\r\n"}, {"", "\n"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := splitLines(tt.in)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("splitLines(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if back := joinLines(got); back != tt.in {
				t.Errorf("joinLines(splitLines(%q)) = %q", tt.in, back)
			}
		})
	}
}

func TestKeepsEnding(t *testing.T) {
	t.Parallel()
	tests := []struct {
		l    line
		text string
		want bool
	}{
		{line{"a", "\n"}, "b", true},
		{line{"a", "\n"}, "b\nc", false},
		{line{"a", "\n"}, "b\r", false}, // would become a CRLF ending
		{line{"a", "\r\n"}, "b\r", true},
		{line{"a", ""}, "b\r", true},
		{line{"a", ""}, "b\n", false},
	}
	for _, tt := range tests {
		if got := tt.l.keepsEnding(tt.text); got != tt.want {
			t.Errorf("%q.keepsEnding(%q) = %v, want %v", tt.l, tt.text, got, tt.want)
		}
	}
}
