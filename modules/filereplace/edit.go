package filereplace

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// lineEditor is one kind of edit, applied to one line's text at a time (the
// line ending is never given, so no edit can touch it).
type lineEditor interface {
	// editLine returns the new text and whether the line matched. A line
	// that matches may come back unchanged: it already holds the value. An
	// error means the line matched but cannot be edited safely.
	editLine(text string) (string, bool, error)

	// sensitive returns the parts of a matching line that hold a value,
	// before and after the edit (the key's old and new value, or what the
	// regexp matched and what replaces it), so that secret values can be
	// redacted from output while the rest of the line stays visible.
	sensitive(text string) []string
}

// keyEditor sets the value of every `key = value` line whose key equals key,
// ignoring case.
type keyEditor struct {
	key   string
	value string
}

// errValueReadsBack is returned when the new value, once written, would not
// parse back as the key's value, so the next run would edit the line again.
// The value is not quoted in the message: it is often a secret.
var errValueReadsBack = errors.New("the new value would not read back as the key's value " +
	"(it starts or ends with a blank, holds a # or ; after a blank, or is empty after a blank-only separator)")

func (e keyEditor) editLine(text string) (string, bool, error) {
	kv, ok := parseKeyValue(text)
	if !ok || !strings.EqualFold(kv.key, e.key) {
		return text, false, nil
	}
	out := kv.withValue(text, e.value)
	if !readsBack(out, kv.key, e.value) {
		return "", true, errValueReadsBack
	}
	return out, true, nil
}

func (e keyEditor) sensitive(text string) []string {
	kv, ok := parseKeyValue(text)
	if !ok || !strings.EqualFold(kv.key, e.key) {
		return nil
	}
	return []string{kv.value(text), e.value}
}

// regexpEditor replaces every match of re in a line with replace, expanded
// as by regexp.Regexp.Expand (${1}, ${name}).
type regexpEditor struct {
	re      *regexp.Regexp
	replace string
}

func (e regexpEditor) editLine(text string) (string, bool, error) {
	if !e.re.MatchString(text) {
		return text, false, nil
	}
	return e.re.ReplaceAllString(text, e.replace), true, nil
}

func (e regexpEditor) sensitive(text string) []string {
	var out []string
	for _, m := range e.re.FindAllStringSubmatchIndex(text, -1) {
		out = append(out, text[m[0]:m[1]], string(e.re.ExpandString(nil, e.replace, text, m)))
	}
	return out
}

// errLineEnding is returned when an edit would add, remove or change a line
// ending; the module never does that, so the edit is refused as a whole.
var errLineEnding = errors.New("the replacement would change the file's line endings")

// textEdit is the outcome of editing a text.
type textEdit struct {
	text         string
	matches      int  // lines in scope that matched
	changed      int  // lines whose text changed
	sectionFound bool // the wanted section exists (true when none is wanted)
	// sensitive holds the values of matching lines, before and after.
	sensitive []string
}

// editText applies ed to every line of text in section ("" for all lines).
func editText(text, section string, ed lineEditor) (textEdit, error) {
	lines := splitLines(text)
	scope := sectionScope{want: section}
	var out textEdit
	for i, l := range lines {
		if !scope.next(l.text) {
			continue
		}
		t, ok, err := ed.editLine(l.text)
		if err != nil {
			return textEdit{}, fmt.Errorf("line %d: %w", i+1, err)
		}
		if !ok {
			continue
		}
		out.matches++
		out.sensitive = append(out.sensitive, ed.sensitive(l.text)...)
		if t == l.text {
			continue
		}
		if !l.keepsEnding(t) {
			return textEdit{}, fmt.Errorf("line %d: %w", i+1, errLineEnding)
		}
		lines[i].text = t
		out.changed++
	}
	out.text = joinLines(lines)
	out.sectionFound = section == "" || scope.found
	return out, nil
}

// fileEdit is the outcome of editing a file's bytes.
type fileEdit struct {
	textEdit
	before string       // the decoded text before the edit
	enc    textEncoding // how the file is stored
	data   []byte       // the new content; the original slice when unchanged
}

// changedBytes reports whether the edit changes the file.
func (f fileEdit) changedBytes() bool { return f.changed > 0 }

// editFile decodes data, edits its text and encodes it back in the same
// encoding with the same BOM. When no line changes, data itself is returned,
// so an unchanged file is never rewritten, not even byte-identically.
func editFile(data []byte, section string, ed lineEditor) (fileEdit, error) {
	text, enc, err := decodeText(data)
	if err != nil {
		return fileEdit{}, err
	}
	te, err := editText(text, section, ed)
	if err != nil {
		return fileEdit{}, err
	}
	out := fileEdit{textEdit: te, before: text, enc: enc, data: data}
	if te.changed == 0 {
		return out, nil
	}
	if out.data, err = encodeText(te.text, enc); err != nil {
		return fileEdit{}, err
	}
	return out, nil
}
