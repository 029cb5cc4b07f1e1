// Package secret owns redaction: the set of secret values a run has seen
// (API token, tenant tokens, passwords) and the replacement of every
// occurrence of them in text rotplay writes.
package secret

import (
	"crypto/sha256"
	"encoding/hex"
	"sort"
	"strings"
	"sync"
)

// MinLen is the shortest value Add accepts: shorter values would redact
// ordinary words and numbers everywhere while protecting little.
const MinLen = 4

// Redactor holds secrets and redacts them. The zero value is ready; it is
// safe for concurrent use.
type Redactor struct {
	mu       sync.RWMutex
	secrets  map[string]bool
	replacer *strings.Replacer
}

// Add registers secrets. Values shorter than MinLen are ignored.
func (r *Redactor) Add(values ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.secrets == nil {
		r.secrets = map[string]bool{}
	}
	added := false
	for _, v := range values {
		if len(v) >= MinLen && !r.secrets[v] {
			r.secrets[v] = true
			added = true
		}
	}
	if added {
		r.replacer = r.build()
	}
}

// build makes a replacer trying longer secrets first, so a secret that
// contains another is redacted whole.
func (r *Redactor) build() *strings.Replacer {
	list := make([]string, 0, len(r.secrets))
	for s := range r.secrets {
		list = append(list, s)
	}
	sort.Slice(list, func(i, j int) bool { return len(list[i]) > len(list[j]) })
	pairs := make([]string, 0, 2*len(list))
	for _, s := range list {
		pairs = append(pairs, s, Mask(s))
	}
	return strings.NewReplacer(pairs...)
}

// Redact returns s with every registered secret replaced by its Mask.
func (r *Redactor) Redact(s string) string {
	if r == nil {
		return s
	}
	r.mu.RLock()
	rep := r.replacer
	r.mu.RUnlock()
	if rep == nil {
		return s
	}
	return rep.Replace(s)
}

// Mask is how a secret is shown: *** and a short fingerprint, enough to
// tell two tokens apart and nothing to recover either from.
func Mask(s string) string {
	return "***" + Fingerprint(s)
}

// Fingerprint is the first 8 hex digits of the value's SHA-256.
func Fingerprint(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:4])
}
