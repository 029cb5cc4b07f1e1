package filereplace

import "strings"

// keyValue locates the parts of a `key = value` line, as byte offsets into
// the line's text, so an edit can replace the value and keep everything
// else: indentation, the key's spelling, the separator and the spacing
// around it, and a trailing comment.
type keyValue struct {
	key        string
	valueStart int
	valueEnd   int
}

// notKeyChars start lines that hold no key: '#', ';' and '!' start comment
// lines ('!' in Java properties files), '[' a section header.
const notKeyChars = "#;!["

// parseKeyValue parses a line of one of these forms:
//
//	key = value
//	key=value
//	key value
//	key =          (empty value)
//
// A `#` or `;` preceded by a blank starts a trailing comment, which is not
// part of the value; blanks before it or at the end of the line are not
// either. A key alone, or followed only by blanks or a comment, is not a
// key/value line: without `=` nothing says it is meant to have a value.
// Colons are not separators, so `key: value` is not a key/value line of
// `key`.
func parseKeyValue(text string) (keyValue, bool) {
	ks := skipBlanks(text, 0)
	if ks == len(text) || strings.IndexByte(notKeyChars, text[ks]) >= 0 {
		return keyValue{}, false
	}
	ke := ks
	for ke < len(text) && !isBlank(text[ke]) && text[ke] != '=' {
		ke++
	}
	vs := skipBlanks(text, ke)
	equals := vs < len(text) && text[vs] == '='
	if equals {
		vs = skipBlanks(text, vs+1)
	} else if vs == ke {
		return keyValue{}, false // the key runs to the end of the line
	}
	ve := valueEnd(text, vs)
	if !equals && ve == vs {
		return keyValue{}, false
	}
	return keyValue{key: text[ks:ke], valueStart: vs, valueEnd: ve}, true
}

// valueEnd returns where the value starting at vs ends: before a trailing
// comment and the blanks before it, or before trailing blanks.
func valueEnd(text string, vs int) int {
	end := len(text)
	for i := vs; i < len(text); i++ {
		if (text[i] == '#' || text[i] == ';') && i > 0 && isBlank(text[i-1]) {
			end = i
			break
		}
	}
	for end > vs && isBlank(text[end-1]) {
		end--
	}
	return end
}

// value returns the value text of a parsed line.
func (kv keyValue) value(text string) string {
	return text[kv.valueStart:kv.valueEnd]
}

// withValue returns text with the value replaced by v, inserted literally.
func (kv keyValue) withValue(text, v string) string {
	rest := text[kv.valueEnd:]
	if kv.valueStart == kv.valueEnd && v != "" && rest != "" && !isBlank(rest[0]) {
		// An empty value right before a comment (`key = # ...`): keep a
		// blank between them, or the comment would read as part of v.
		rest = " " + rest
	}
	return text[:kv.valueStart] + v + rest
}

// readsBack reports whether v, written into a line, parses back as the
// value of the same key. It does not for a v with blanks at either end or
// a `#` or `;` after a blank (they would read as spacing or a comment), nor
// for an empty v after a blank-only separator (the key would stand alone).
func readsBack(text, key, v string) bool {
	kv, ok := parseKeyValue(text)
	return ok && kv.key == key && kv.value(text) == v
}
