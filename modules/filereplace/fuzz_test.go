package filereplace

import (
	"bytes"
	"encoding/binary"
	"errors"
	"regexp"
	"strings"
	"testing"
)

// fuzzSeeds are file contents that every fuzz target starts from.
func fuzzSeeds() [][]byte {
	return [][]byte{
		[]byte(authProps),
		[]byte("TenantToken=abc\r\nServer=https://x/communication\r\n"),
		[]byte("TenantToken abc\nTenant  uuid\n# TenantToken old\nk = # empty\nk ="),
		[]byte("\xEF\xBB\xBF[a]\r\nk=1\n[b]\nk=2\r\nk 3"),
		[]byte("bin=\xff\xfe\x80\nk=\r\r\n\rk=v\r"),
		encodeUTF16("[env1]\r\ntenantToken = abc # c\r\n", binary.LittleEndian),
		encodeUTF16("k v\nk\n", binary.BigEndian),
		{},
	}
}

// linesPadded splits text into at least n lines: a last line without an
// ending that an edit emptied is still a line, but splitLines drops it.
func linesPadded(text string, n int) []line {
	out := splitLines(text)
	for len(out) < n {
		out = append(out, line{})
	}
	return out
}

// endings returns the line endings of lines, in order.
func endings(lines []line) []string {
	var out []string
	for _, l := range lines {
		out = append(out, l.eol)
	}
	return out
}

// FuzzDecodeText checks that decoding and encoding an unedited file gives
// its bytes back, or fails: a file is never silently altered.
func FuzzDecodeText(f *testing.F) {
	for _, s := range fuzzSeeds() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		text, enc, err := decodeText(data)
		if err != nil {
			return
		}
		back, err := encodeText(text, enc)
		if err != nil || !bytes.Equal(back, data) {
			t.Fatalf("encodeText(decodeText(%x)) = %x, %v", data, back, err)
		}
	})
}

// recorder is a lineEditor that records the values of key's lines and
// changes nothing.
type recorder struct {
	key    string
	values []string
}

func (r *recorder) sensitive(string) []string { return nil }

func (r *recorder) editLine(text string) (string, bool, error) {
	kv, ok := parseKeyValue(text)
	if !ok || !strings.EqualFold(kv.key, r.key) {
		return text, false, nil
	}
	r.values = append(r.values, kv.value(text))
	return text, true, nil
}

// FuzzEditIdentity checks that setting values to what the file already
// holds leaves every byte as it was.
func FuzzEditIdentity(f *testing.F) {
	for _, s := range fuzzSeeds() {
		f.Add(s, "")
		f.Add(s, "env1")
	}
	f.Fuzz(func(t *testing.T, data []byte, section string) {
		text, _, err := decodeText(data)
		if err != nil {
			return
		}
		for _, l := range splitLines(text) {
			if kv, ok := parseKeyValue(l.text); ok && kv.withValue(l.text, kv.value(l.text)) != l.text {
				t.Fatalf("setting %q to its own value changed it", l.text)
			}
		}
		assertUnchanged(t, data, section, regexpEditor{re: regexp.MustCompile(`.+`), replace: "${0}"})
		key, ok := firstKey(text)
		if !ok {
			return
		}
		rec := &recorder{key: key}
		if _, err := editText(text, section, rec); err != nil || len(rec.values) == 0 {
			return
		}
		for _, v := range rec.values[1:] {
			if v != rec.values[0] {
				return // the lines differ, so some must change
			}
		}
		assertUnchanged(t, data, section, keyEditor{key: key, value: rec.values[0]})
	})
}

func firstKey(text string) (string, bool) {
	for _, l := range splitLines(text) {
		if kv, ok := parseKeyValue(l.text); ok {
			return kv.key, true
		}
	}
	return "", false
}

func assertUnchanged(t *testing.T, data []byte, section string, ed lineEditor) {
	t.Helper()
	got, err := editFile(data, section, ed)
	if err != nil {
		t.Fatalf("identity edit %+v failed: %v", ed, err)
	}
	if got.changed != 0 || !bytes.Equal(got.data, data) {
		t.Fatalf("identity edit %+v changed %d lines:\n%q\n->\n%q", ed, got.changed, data, got.data)
	}
}

// FuzzKeyEditKeepsLineEndings checks that setting a key keeps every line
// ending, changes no line that does not match, and is idempotent.
func FuzzKeyEditKeepsLineEndings(f *testing.F) {
	for _, s := range fuzzSeeds() {
		f.Add(s, "", "tenantToken", "NEW")
		f.Add(s, "env1", "k", "")
		f.Add(s, "b", "K", "#x")
	}
	f.Fuzz(func(t *testing.T, data []byte, section, key, value string) {
		if strings.ContainsAny(value, "\r\n") {
			return // rejected by Decode
		}
		ed := keyEditor{key: key, value: value}
		out := assertKeepsEndings(t, data, section, ed)
		if out == nil {
			return
		}
		again, err := editFile(out, section, ed)
		if err != nil || again.changed != 0 {
			t.Fatalf("second edit: changed %d lines, err %v; not idempotent on %q", again.changed, err, out)
		}
	})
}

// FuzzRegexpEditKeepsLineEndings checks that a regexp edit either keeps
// every line ending or is refused.
func FuzzRegexpEditKeepsLineEndings(f *testing.F) {
	for _, s := range fuzzSeeds() {
		f.Add(s, "", `^(tenantToken\s*=\s*)\S+`, "${1}NEW")
		f.Add(s, "a", `\s*$`, "\r")
		f.Add(s, "", `(?s).`, "\n")
	}
	f.Fuzz(func(t *testing.T, data []byte, section, expr, repl string) {
		re, err := regexp.Compile(expr)
		if err != nil {
			return
		}
		assertKeepsEndings(t, data, section, regexpEditor{re: re, replace: repl})
	})
}

// assertKeepsEndings edits data and checks the output against it. It
// returns the output, or nil when the edit was (rightly) refused.
func assertKeepsEndings(t *testing.T, data []byte, section string, ed lineEditor) []byte {
	t.Helper()
	text, _, err := decodeText(data)
	if err != nil {
		return nil
	}
	got, err := editFile(data, section, ed)
	if errors.Is(err, errLineEnding) || errors.Is(err, errValueReadsBack) || errors.Is(err, errNotUTF8) {
		return nil
	}
	if err != nil {
		t.Fatalf("editFile: %v", err)
	}
	if detectEncoding(got.data) != detectEncoding(data) {
		t.Fatalf("encoding changed from %v to %v", detectEncoding(data), detectEncoding(got.data))
	}
	before := splitLines(text)
	after := linesPadded(got.text, len(before))
	if a, b := endings(before), endings(after); strings.Join(a, "|") != strings.Join(b, "|") {
		t.Fatalf("line endings changed from %q to %q", a, b)
	}
	changed := 0
	for i := range before {
		if before[i].text != after[i].text {
			changed++
		}
	}
	if changed != got.changed {
		t.Fatalf("%d lines differ, edit reports %d", changed, got.changed)
	}
	return got.data
}
