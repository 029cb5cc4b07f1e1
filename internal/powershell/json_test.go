package powershell

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestInput(t *testing.T) {
	t.Parallel()
	in := map[string]string{"path": `C:\ProgramData\dynatrace\grüße 😀`, "token": "dt0c01.ABC\n<&>"}
	b, err := Input(in)
	if err != nil {
		t.Fatal(err)
	}
	line := string(b)
	if !strings.HasSuffix(line, "\n") || strings.Count(line, "\n") != 1 {
		t.Errorf("Input is not one line with a newline: %q", line)
	}
	for i := range len(line) {
		if line[i] >= 0x80 {
			t.Fatalf("Input has a non-ASCII byte at %d: %q", i, line)
		}
	}
	if !strings.Contains(line, `\u00fc`) || !strings.Contains(line, `\ud83d\ude00`) {
		t.Errorf("Input does not escape ü and the surrogate pair: %q", line)
	}
	var back map[string]string
	if err := json.Unmarshal(b, &back); err != nil || back["path"] != in["path"] || back["token"] != in["token"] {
		t.Errorf("round trip: %q, %v", back, err)
	}
	if _, err := Input(func() {}); err == nil {
		t.Error("Input(func) succeeded")
	}
}

func TestParseResult(t *testing.T) {
	t.Parallel()
	type result struct {
		OK   bool   `json:"ok"`
		Kind string `json:"kind"`
	}
	tests := []struct {
		name, stdout string
		want         result
		wantErr      error
	}{
		{"one line", "{\"ok\":true}\n", result{OK: true}, nil},
		{"no newline", `{"ok":true}`, result{OK: true}, nil},
		{"CRLF and blank lines", "noise\r\n{\"kind\":\"x\"}\r\n\r\n  \r\n", result{Kind: "x"}, nil},
		{"last wins", "{\"kind\":\"first\"}\n{\"kind\":\"last\"}\n", result{Kind: "last"}, nil},
		{"empty", "", result{}, ErrNoResult},
		{"blank", "\r\n \n", result{}, ErrNoResult},
	}
	for _, tc := range tests {
		var got result
		err := ParseResult([]byte(tc.stdout), &got)
		if !errors.Is(err, tc.wantErr) || got != tc.want {
			t.Errorf("%s: %+v, %v; want %+v, %v", tc.name, got, err, tc.want, tc.wantErr)
		}
	}
}

// TestParseResultDoesNotQuote: a result line may carry file content (a
// token); errors must not repeat it.
func TestParseResultDoesNotQuote(t *testing.T) {
	t.Parallel()
	var dst struct{ Size int }
	err := ParseResult([]byte(`{"size":"dt0c01.SECRET"}`), &dst)
	if err == nil || strings.Contains(err.Error(), "SECRET") {
		t.Errorf("error %v: want one that does not quote the line", err)
	}
	if err := ParseResult([]byte("dt0c01.SECRET\n"), &dst); err == nil || strings.Contains(err.Error(), "SECRET") {
		t.Errorf("error %v: want one that does not quote the line", err)
	}
}
