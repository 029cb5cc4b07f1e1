package transport

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestCapture(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		writes []string
		want   string
		over   bool
	}{
		{[]string{"ab", "cd"}, "abcd", false},
		{[]string{"abcd"}, "abcd", false},
		{[]string{"abc", "de", "f"}, "abcd", true},
		{[]string{"abcdefgh"}, "abcd", true},
		{[]string{"abcd", ""}, "abcd", false},
	} {
		c := Capture{Max: 4}
		for _, w := range tc.writes {
			if n, err := c.Write([]byte(w)); n != len(w) || err != nil {
				t.Errorf("Write(%q) = %d, %v: want all taken, no error", w, n, err)
			}
		}
		if string(c.Bytes()) != tc.want || c.Over() != tc.over {
			t.Errorf("%q: kept %q, over %v; want %q, %v", tc.writes, c.Bytes(), c.Over(), tc.want, tc.over)
		}
	}
	// Once over, nothing more is kept, even what would fit.
	kept, over := Keep(nil, []byte("abcdef"), 4, false)
	kept, over = Keep(kept[:2], []byte("x"), 4, over)
	if !bytes.Equal(kept, []byte("ab")) || !over {
		t.Errorf("after going over: %q %v", kept, over)
	}
	err := OutputTooLarge("stderr", 16<<20)
	if !errors.Is(err, ErrOutputTooLarge) || !strings.Contains(err.Error(), "more than 16 MiB on stderr") {
		t.Errorf("OutputTooLarge = %v", err)
	}
}
