package dynatrace

import (
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strings"
)

// acceptedForms is quoted by every URL error so the user sees what to type.
const acceptedForms = "https://{env-id}.live.dynatrace.com (SaaS), https://{host}/e/{env-id} (Managed) " +
	"or https://{activegate}:9999/e/{env-id} (ActiveGate)"

// envPath is the Managed and ActiveGate environment path; environment IDs
// are letters, digits and dashes (Managed uses UUIDs).
var envPath = regexp.MustCompile(`^/e/[A-Za-z0-9-]+$`)

// parseEnvironmentURL checks raw against the accepted forms and returns it
// normalised: scheme, host and environment path, no trailing slash.
func parseEnvironmentURL(raw string) (string, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return "", fmt.Errorf("dynatrace: no environment URL given: use %s", acceptedForms)
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return "", fmt.Errorf("dynatrace: environment URL %q is not an absolute URL: use %s", s, acceptedForms)
	}
	if u.User != nil {
		// Redacted, because the user part may hold a password.
		return "", fmt.Errorf("dynatrace: environment URL %s must not contain credentials: pass the API token separately", u.Redacted())
	}
	if err := checkScheme(u); err != nil {
		return "", err
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("dynatrace: environment URL %q must not have a query or fragment: use %s", s, acceptedForms)
	}
	if strings.HasSuffix(strings.ToLower(u.Hostname()), ".apps.dynatrace.com") {
		return "", fmt.Errorf("dynatrace: environment URL %q is the platform (apps) URL; the environment API lives at https://{env-id}.live.dynatrace.com", s)
	}
	path := strings.TrimSuffix(u.EscapedPath(), "/")
	if path != "" && !envPath.MatchString(path) {
		return "", pathError(s, path)
	}
	return u.Scheme + "://" + u.Host + path, nil
}

// checkScheme requires TLS except towards loopback, where the lab simulator
// runs: a token sent in clear text over a network is a leaked token.
func checkScheme(u *url.URL) error {
	switch strings.ToLower(u.Scheme) {
	case "https":
		return nil
	case "http":
		if isLoopback(u.Hostname()) {
			return nil
		}
		return fmt.Errorf("dynatrace: environment URL %s uses http://, but TLS is required (the API token would travel in clear text): use https:// (http:// is only allowed for a loopback simulator)", u.Redacted())
	default:
		return fmt.Errorf("dynatrace: environment URL %s has scheme %q: use %s", u.Redacted(), u.Scheme, acceptedForms)
	}
}

// isLoopback reports whether host certainly names this machine.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func pathError(raw, path string) error {
	hint := ""
	if i := strings.Index(path, "/api"); i >= 0 {
		hint = fmt.Sprintf(" (drop the API part %q: rotplay adds it)", path[i:])
	}
	return fmt.Errorf("dynatrace: environment URL %q has path %q%s: use %s", raw, path, hint, acceptedForms)
}
