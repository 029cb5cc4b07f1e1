package service

import "strings"

// shQuote quotes s as one word for a POSIX sh. Words made only of
// characters sh never treats specially stay bare, for readable command
// lines; anything else goes in single quotes, inside which sh interprets
// nothing but the closing quote. (modules/command has the same rules.)
func shQuote(s string) string {
	if s != "" && strings.Trim(s, safeChars) == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// safeChars are those Python's shlex.quote leaves bare.
const safeChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@%+=:,./-_"
