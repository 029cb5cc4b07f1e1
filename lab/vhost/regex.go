package vhost

import (
	"fmt"
	"regexp"
	"strings"
)

// compileRegex compiles a POSIX basic (BRE) or extended (ERE) regular
// expression with Go's engine. BREs are translated: \( \) \{ \} \| \+ \?
// are the operators and the bare characters are literals. Back-references
// are not supported (RE2 has none).
func compileRegex(expr string, extended, icase bool) (*regexp.Regexp, error) {
	if !extended {
		var err error
		if expr, err = breToERE(expr); err != nil {
			return nil, err
		}
	}
	if icase {
		expr = "(?i)" + expr
	}
	re, err := regexp.Compile(expr)
	if err != nil {
		return nil, fmt.Errorf("invalid regular expression: %w", err)
	}
	return re, nil
}

func breToERE(bre string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(bre); i++ {
		ch := bre[i]
		switch {
		case ch == '[':
			end := bracketEnd(bre, i)
			b.WriteString(bre[i:end])
			i = end - 1
		case ch == '\\' && i+1 < len(bre):
			i++
			next := bre[i]
			switch {
			case strings.IndexByte("(){}|+?", next) >= 0:
				b.WriteByte(next)
			case next >= '1' && next <= '9':
				return "", fmt.Errorf("back-references are not supported: \\%c", next)
			default:
				b.WriteByte('\\')
				b.WriteByte(next)
			}
		case strings.IndexByte("(){}|+?", ch) >= 0:
			b.WriteByte('\\')
			b.WriteByte(ch)
		default:
			b.WriteByte(ch)
		}
	}
	return b.String(), nil
}

// bracketEnd returns the index after the bracket expression starting at
// s[i] == '['; a ']' right after '[' or '[^' is a literal member.
func bracketEnd(s string, i int) int {
	j := i + 1
	if j < len(s) && s[j] == '^' {
		j++
	}
	if j < len(s) && s[j] == ']' {
		j++
	}
	for ; j < len(s); j++ {
		switch {
		case s[j] == '[' && j+1 < len(s) && strings.IndexByte(":.=", s[j+1]) >= 0:
			if k := strings.Index(s[j+2:], string(s[j+1])+"]"); k >= 0 {
				j += k + 3
			}
		case s[j] == ']':
			return j + 1
		}
	}
	return len(s)
}
