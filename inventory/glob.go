package inventory

import (
	"regexp"
	"strings"
)

// globRegexp translates a glob, in Python fnmatch's syntax as Ansible uses
// it, into a regular expression. It returns a message saying what is wrong
// when the glob is malformed.
func globRegexp(glob string) (string, string) {
	var b strings.Builder
	lit := 0 // start of the literal text not yet written
	for i := 0; i < len(glob); i++ {
		var re string
		width := 1
		switch glob[i] {
		case '*':
			re = ".*"
		case '?':
			re = "."
		case '[':
			var msg string
			if re, width, msg = globClass(glob[i:]); msg != "" {
				return "", msg
			}
		default:
			continue
		}
		b.WriteString(regexp.QuoteMeta(glob[lit:i]))
		b.WriteString(re)
		i += width - 1
		lit = i + 1
	}
	b.WriteString(regexp.QuoteMeta(glob[lit:]))
	return b.String(), ""
}

// globClass translates the bracket expression s starts with, returning the
// regular expression, the length of the expression in s, or a message.
// As in fnmatch, a "]" right after "[" or "[!" is a literal.
func globClass(s string) (string, int, string) {
	start := 1
	negate := strings.HasPrefix(s, "[!")
	if negate {
		start = 2
	}
	from := start
	if from < len(s) && s[from] == ']' {
		from++
	}
	end := strings.IndexByte(s[from:], ']')
	if end < 0 {
		return "", 0, "[ without ]"
	}
	end += from
	body := s[start:end]
	if strings.Contains(body, ":") {
		// Ansible reads [0:2] as a subscript: hosts 0 to 2 of a group.
		return "", 0, "subscripts such as [" + body + "] are not supported; select hosts by name"
	}
	var b strings.Builder
	b.WriteString("[")
	if negate {
		b.WriteString("^")
	}
	for _, r := range body {
		if strings.ContainsRune(`\[]^`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	b.WriteString("]")
	return b.String(), end + 1, ""
}
