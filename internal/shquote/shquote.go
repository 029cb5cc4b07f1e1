// Package shquote quotes words for a POSIX sh, the one way every module
// and transport builds remote command lines.
package shquote

import "strings"

// safeChars are those Python's shlex.quote leaves bare.
const safeChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@%+=:,./-_"

// Word quotes s as one word for sh. Words made only of characters sh never
// treats specially stay bare, so command lines stay readable; anything else
// goes in single quotes (see Always).
func Word(s string) string {
	if s != "" && strings.Trim(s, safeChars) == "" {
		return s
	}
	return Always(s)
}

// Always wraps s in single quotes, inside which sh interprets nothing but
// the closing quote: each ' in s closes the quoted text, is written as \'
// and the quoting resumes. Any byte string, newlines included, comes
// through unchanged.
func Always(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
