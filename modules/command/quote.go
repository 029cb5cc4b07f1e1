package command

import "strings"

// quoteArgv joins argv into a POSIX sh command line that sh splits back
// into exactly argv, with nothing expanded.
func quoteArgv(argv []string) string {
	quoted := make([]string, len(argv))
	for i, arg := range argv {
		if i == 0 && strings.Contains(arg, "=") {
			// A bare NAME=value first word is a variable assignment to sh,
			// not the program to run.
			quoted[i] = singleQuote(arg)
			continue
		}
		quoted[i] = shQuote(arg)
	}
	return strings.Join(quoted, " ")
}

// shQuote quotes s for sh. Words made only of characters sh never treats
// specially are left bare, so that registered cmd values stay readable;
// anything else goes in single quotes.
func shQuote(s string) string {
	if s != "" && strings.Trim(s, safeChars) == "" {
		return s
	}
	return singleQuote(s)
}

// singleQuote wraps s in single quotes, inside which sh interprets nothing
// but the closing quote: each ' in s closes the quoted text, is written
// as \' and the quoting resumes.
func singleQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// safeChars are those Python's shlex.quote leaves bare.
const safeChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@%+=:,./-_"
