package filereplace

import "strings"

// line is one line of a text: its content and the ending that followed it
// ("\n", "\r\n", or "" for a last line without one). Keeping each line's own
// ending is what lets an edit leave CRLF, LF and mixed files as they were.
type line struct {
	text string
	eol  string
}

// splitLines cuts s into lines. Only "\n" and "\r\n" end a line; a lone
// "\r" is content. joinLines(splitLines(s)) == s for every s.
func splitLines(s string) []line {
	var out []line
	for s != "" {
		i := strings.IndexByte(s, '\n')
		if i < 0 {
			out = append(out, line{text: s})
			break
		}
		l := line{text: s[:i], eol: "\n"}
		if strings.HasSuffix(l.text, "\r") {
			l.text, l.eol = l.text[:i-1], "\r\n"
		}
		out = append(out, l)
		s = s[i+1:]
	}
	return out
}

// joinLines is the inverse of splitLines.
func joinLines(lines []line) string {
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(l.text)
		b.WriteString(l.eol)
	}
	return b.String()
}

// keepsEnding reports whether text can replace l's content without changing
// where lines end: it must hold no "\n", and before a bare "\n" it must not
// end in "\r", which would turn the LF ending into a CRLF one.
func (l line) keepsEnding(text string) bool {
	if strings.Contains(text, "\n") {
		return false
	}
	return l.eol != "\n" || !strings.HasSuffix(text, "\r")
}

// isBlank reports whether c is horizontal white space. "\r" counts, so that
// a stray carriage return at the end of a value is kept rather than replaced.
func isBlank(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'
}

// skipBlanks returns the index of the first non-blank byte of s at or after i.
func skipBlanks(s string, i int) int {
	for i < len(s) && isBlank(s[i]) {
		i++
	}
	return i
}
