package inventory

import (
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// word is one word of an INI host line and the byte offset where it starts.
type word struct {
	text string
	col  int
}

// splitWords splits a host line into words as Python's shlex.split(line,
// comments=True) does, which is what Ansible uses: words are separated by
// blanks; single quotes keep everything literally; double quotes keep
// everything but a backslash before " or \; outside quotes a backslash
// escapes the next character; an unquoted # ends the line, even inside a
// word. Quotes are removed: ansible_host="10.0.0.5" is the word
// ansible_host=10.0.0.5. bad is the offset of an unclosed quote, or -1.
func splitWords(line string) (words []word, bad int) {
	var cur strings.Builder
	start, quote, quoteAt := -1, byte(0), 0
	flush := func() {
		if start >= 0 {
			words = append(words, word{cur.String(), start})
		}
		cur.Reset()
		start = -1
	}
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case quote == '\'':
			if c == '\'' {
				quote = 0
			} else {
				cur.WriteByte(c)
			}
		case quote == '"':
			switch {
			case c == '"':
				quote = 0
			case c == '\\' && i+1 < len(line) && (line[i+1] == '"' || line[i+1] == '\\'):
				i++
				cur.WriteByte(line[i])
			default:
				cur.WriteByte(c)
			}
		case c == ' ' || c == '\t':
			flush()
		case c == '#':
			flush()
			return words, -1
		default:
			if start < 0 {
				start = i
			}
			switch {
			case c == '\'' || c == '"':
				quote, quoteAt = c, i
			case c == '\\' && i+1 < len(line):
				i++
				cur.WriteByte(line[i])
			default:
				cur.WriteByte(c)
			}
		}
	}
	if quote != 0 {
		return nil, quoteAt
	}
	flush()
	return words, -1
}

var (
	pyInt   = regexp.MustCompile(`^[-+]?(0|[1-9](_?[0-9])*)$`)
	pyFloat = regexp.MustCompile(`^[-+]?([0-9]+\.[0-9]*|\.[0-9]+|[0-9]+(\.[0-9]*)?[eE][-+]?[0-9]+)([eE][-+]?[0-9]+)?$`)
)

// iniValue converts an INI value as Ansible does with Python's
// ast.literal_eval, falling back to the text as written: 'quoted' and
// "quoted" strings lose their quotes; integers (not 010, which Python
// rejects) and floats become numbers; True, False and None become true,
// false and nil, while lower-case true and false stay strings, exactly as
// in Ansible; [lists] and {dicts} are read as YAML flow collections.
func iniValue(v string) any {
	switch {
	case v == "True":
		return true
	case v == "False":
		return false
	case v == "None":
		return nil
	case pyInt.MatchString(v):
		if n, err := strconv.Atoi(strings.ReplaceAll(v, "_", "")); err == nil {
			return n
		}
	case pyFloat.MatchString(v):
		if f, err := strconv.ParseFloat(v, 64); err == nil {
			return f
		}
	case len(v) >= 2 && (v[0] == '\'' || v[0] == '"') && v[len(v)-1] == v[0]:
		if s, ok := pyString(v[1:len(v)-1], v[0]); ok {
			return s
		}
	case len(v) >= 2 && (v[0] == '[' && v[len(v)-1] == ']' || v[0] == '{' && v[len(v)-1] == '}'):
		var out any
		if yaml.Unmarshal([]byte(v), &out) == nil {
			return out
		}
	}
	return v
}

// pyString unescapes the body of a Python string literal quoted with q. It
// fails when an unescaped q ends the literal early.
func pyString(body string, q byte) (string, bool) {
	var out strings.Builder
	for i := 0; i < len(body); i++ {
		c := body[i]
		switch {
		case c == q:
			return "", false
		case c == '\\' && i+1 < len(body):
			i++
			switch e := body[i]; e {
			case 'n':
				out.WriteByte('\n')
			case 't':
				out.WriteByte('\t')
			case '\\', '\'', '"':
				out.WriteByte(e)
			default: // Python keeps unknown escapes as written
				out.WriteByte('\\')
				out.WriteByte(e)
			}
		default:
			out.WriteByte(c)
		}
	}
	return out.String(), true
}
