package powershell

import (
	"strings"
	"testing"
)

// TestCommandGolden pins the exact command line: prefix, flags, and
// base64 of UTF-16LE (computed independently, with Python's
// base64.b64encode(s.encode('utf-16-le'))).
func TestCommandGolden(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, script, want string
	}{
		{"ascii", "# rotplay-script: hello/1\nexit 0\n",
			"powershell.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -EncodedCommand " +
				"IwAgAHIAbwB0AHAAbABhAHkALQBzAGMAcgBpAHAAdAA6ACAAaABlAGwAbABvAC8AMQAKAGUAeABpAHQAIAAwAAoA"},
		{"non-ascii and quotes", "# rotplay-script: hello/1\n'grüße € 😀 \"q\" `$x'\n",
			"powershell.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -EncodedCommand " +
				"IwAgAHIAbwB0AHAAbABhAHkALQBzAGMAcgBpAHAAdAA6ACAAaABlAGwAbABvAC8AMQAKACcAZwByAPwA3wBlACAArCAgAD3YAN4gACIAcQAiACAAYAAkAHgAJwAKAA=="},
	}
	for _, tc := range tests {
		got, err := Command(tc.script)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.name, got, tc.want)
		}
		back, err := Decode(got)
		if err != nil || back != tc.script {
			t.Errorf("%s: Decode = %q, %v; want the script back", tc.name, back, err)
		}
	}
}

// TestBudget: the limit falls exactly where cmd.exe's does. With the
// 82-character prefix, 3,040 ASCII script characters fit (8,190 in all)
// and 3,041 do not (8,194).
func TestBudget(t *testing.T) {
	t.Parallel()
	if n := len(commandPrefix); n != 82 {
		t.Fatalf("prefix is %d characters; update the numbers below", n)
	}
	fits := strings.Repeat("x", 3040)
	if b := Budget(fits); b != 1 {
		t.Errorf("Budget(3040 chars) = %d, want 1", b)
	}
	if line, err := Command(fits); err != nil || len(line) != MaxCommandLine-1 {
		t.Errorf("Command(3040 chars): %d characters, %v", len(line), err)
	}
	tooLong := "# rotplay-script: big/2\n" + strings.Repeat("x", 3041-24)
	if b := Budget(tooLong); b != -3 {
		t.Errorf("Budget(3041 chars) = %d, want -3", b)
	}
	_, err := Command(tooLong)
	if err == nil || !strings.Contains(err.Error(), "big/2") || !strings.Contains(err.Error(), "8194") {
		t.Errorf("Command(3041 chars) error = %v, want one naming big/2 and 8194", err)
	}
}

// TestBudgetCountsUTF16: cmd.exe counts UTF-16 code units, and a script's
// non-ASCII characters cost what their UTF-16 form costs.
func TestBudgetCountsUTF16(t *testing.T) {
	t.Parallel()
	ascii, astral := strings.Repeat("a", 300), strings.Repeat("😀", 150) // 300 code units each
	if Budget(ascii) != Budget(astral) {
		t.Errorf("Budget: %d for 300 ASCII, %d for 150 surrogate pairs; want equal", Budget(ascii), Budget(astral))
	}
}

func TestDecodeRefuses(t *testing.T) {
	t.Parallel()
	for _, line := range []string{
		"cmd /c dir",
		"powershell.exe -EncodedCommand ZQB4AGkAdAA=", // not our flags
		commandPrefix + "!!!",
		commandPrefix + "YQ==", // one byte: not UTF-16
	} {
		if s, err := Decode(line); err == nil {
			t.Errorf("Decode(%q) = %q, want an error", line, s)
		}
	}
}
