package state

import (
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"strings"
)

// rotationFile names the state file of an environment:
// rotation-<host>-<hash>.json. The host makes the directory readable to a
// person; the hash of the normalized environment keeps names unique
// (ports, paths, IDs differing only in what the host cannot show), and the
// name is safe on every file system whatever the URL holds.
func rotationFile(environment string) string {
	key := normalize(environment)
	sum := sha256.Sum256([]byte(key))
	return "rotation-" + sanitize(hostOf(key)) + "-" + hex.EncodeToString(sum[:6]) + ".json"
}

// normalize maps the spellings of one environment URL to one string: the
// scheme and host lower-cased, a default port, user info, query, fragment
// and trailing slashes dropped. Anything that is not such a URL (an
// environment ID) is only trimmed.
func normalize(environment string) string {
	s := strings.TrimSpace(environment)
	u, err := url.Parse(s)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return strings.TrimRight(s, "/")
	}
	scheme, host := strings.ToLower(u.Scheme), strings.ToLower(u.Host)
	if (scheme == "https" && strings.HasSuffix(host, ":443")) || (scheme == "http" && strings.HasSuffix(host, ":80")) {
		host = host[:strings.LastIndexByte(host, ':')]
	}
	return scheme + "://" + host + strings.TrimRight(u.EscapedPath(), "/")
}

// hostOf returns the host (with port) of a normalized URL, or the whole
// string when it is not one.
func hostOf(key string) string {
	if _, rest, ok := strings.Cut(key, "://"); ok {
		host, _, _ := strings.Cut(rest, "/")
		return host
	}
	return key
}

// sanitize keeps lower-case letters, digits, dots and hyphens, replaces
// anything else with _, and bounds the length.
func sanitize(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case 'a' <= r && r <= 'z', '0' <= r && r <= '9', r == '.', r == '-':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
		if b.Len() >= 64 {
			break
		}
	}
	if b.Len() == 0 {
		return "env"
	}
	return b.String()
}

// displayEnv is how an environment appears in messages: a URL without any
// password it might carry.
func displayEnv(environment string) string {
	u, err := url.Parse(strings.TrimSpace(environment))
	if err != nil || u.User == nil {
		return environment
	}
	return u.Redacted()
}
