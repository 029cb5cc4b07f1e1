package tmpl

import "strings"

// IsTemplate reports whether s contains a {{ expression }} that is rendered
// at run time. Modules use it to leave such values unchecked at compile time.
func IsTemplate(s string) bool {
	i := strings.Index(s, "{{")
	return i >= 0 && strings.Contains(s[i:], "}}")
}
