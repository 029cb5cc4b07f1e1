package filereplace

import (
	"strings"

	"github.com/rotplay/rotplay/secret"
)

// sensitiveKey reports whether a key's name says its value is a secret
// (tenantToken, authToken, password, ...).
func sensitiveKey(key string) bool {
	k := strings.ToLower(key)
	return strings.Contains(k, "token") || strings.Contains(k, "password") || strings.Contains(k, "secret")
}

// redactText masks, in a copy of text made for display (a diff), every
// value this edit touches and the value of every line whose key names a
// secret: a diff's context lines would otherwise show, say, the token of
// another environment's section.
func redactText(text string, ed lineEditor) string {
	lines := splitLines(text)
	for i, l := range lines {
		t := l.text
		for _, part := range ed.sensitive(l.text) {
			if part != "" {
				t = strings.ReplaceAll(t, part, secret.Mask(part))
			}
		}
		if kv, ok := parseKeyValue(t); ok && sensitiveKey(kv.key) {
			if v := kv.value(t); v != "" && !strings.HasPrefix(v, "***") {
				t = kv.withValue(t, secret.Mask(v))
			}
		}
		lines[i].text = t
	}
	return joinLines(lines)
}
