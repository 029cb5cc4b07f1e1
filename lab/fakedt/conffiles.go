package fakedt

import (
	"bufio"
	"bytes"
	"fmt"
	"strings"
)

// ini is a parsed authorization.properties: section name to its keys, with
// keys lower-cased because the gateway matches them case-insensitively.
type ini struct {
	order    []string
	sections map[string]map[string]string
}

// parseINI parses the ActiveGate's INI dialect: `[section]` headers and
// `key = value` lines (spaces around `=` optional), `#` or `;` comment
// lines, and trailing ` # comment`s after values, as the docs' examples
// have. Anything else, or a key before the first section, is an invalid
// configuration, which makes the gateway refuse to start.
func parseINI(data []byte) (*ini, error) {
	p := &ini{sections: map[string]map[string]string{}}
	var cur map[string]string
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || line[0] == '#' || line[0] == ';':
			continue
		case line[0] == '[':
			name, ok := strings.CutSuffix(line, "]")
			name = strings.TrimSpace(name[1:])
			if !ok || name == "" {
				return nil, fmt.Errorf("line %d: malformed section header %q", n, line)
			}
			if p.sections[name] == nil {
				p.order = append(p.order, name)
				p.sections[name] = map[string]string{}
			}
			cur = p.sections[name]
		default:
			key, value, ok := strings.Cut(line, "=")
			key = strings.TrimSpace(key)
			if !ok || key == "" {
				return nil, fmt.Errorf("line %d: expected `key = value`", n)
			}
			if cur == nil {
				return nil, fmt.Errorf("line %d: key %q outside any [section]", n, key)
			}
			cur[strings.ToLower(key)] = stripComment(value)
		}
	}
	return p, sc.Err()
}

// stripComment removes a trailing `# comment` (a # at the start or after
// whitespace) and surrounding spaces from an INI value.
func stripComment(v string) string {
	for i := 0; i < len(v); i++ {
		if v[i] == '#' && (i == 0 || v[i-1] == ' ' || v[i-1] == '\t') {
			v = v[:i]
			break
		}
	}
	return strings.TrimSpace(v)
}

// tenantSection picks the section the gateway connects with: the tenant's
// when known, else the main tenant's, else the only one.
func (p *ini) tenantSection(tenant string) (string, error) {
	if tenant != "" {
		if p.sections[tenant] == nil {
			return "", fmt.Errorf("no section [%s]", tenant)
		}
		return tenant, nil
	}
	for _, name := range p.order {
		if strings.EqualFold(p.sections[name]["maintenant"], "true") {
			return name, nil
		}
	}
	if len(p.order) == 1 {
		return p.order[0], nil
	}
	return "", fmt.Errorf("%d sections and none has mainTenant = true", len(p.order))
}

// gatewayToken returns the tenant token the ActiveGate connects with.
func gatewayToken(data []byte, tenant string) (string, error) {
	p, err := parseINI(data)
	if err != nil {
		return "", err
	}
	section, err := p.tenantSection(tenant)
	if err != nil {
		return "", err
	}
	tok := p.sections[section]["tenanttoken"]
	if tok == "" {
		return "", fmt.Errorf("section [%s] has no tenantToken", section)
	}
	return tok, nil
}

// spaceToken finds a `TenantToken value` line (ruxitagent.conf style; key
// case-insensitive). A `TenantToken=value` line does not count.
func spaceToken(data []byte) (string, bool) {
	for line := range strings.Lines(string(data)) {
		f := strings.Fields(line)
		if len(f) == 2 && strings.EqualFold(f[0], "TenantToken") {
			return f[1], true
		}
	}
	return "", false
}

// equalsToken finds a `TenantToken=value` line (extensions.conf style; key
// case-insensitive, spaces around `=` tolerated).
func equalsToken(data []byte) (string, bool) {
	for line := range strings.Lines(string(data)) {
		key, value, ok := strings.Cut(strings.TrimSpace(line), "=")
		if ok && strings.EqualFold(strings.TrimSpace(key), "TenantToken") {
			if v := strings.TrimSpace(value); v != "" {
				return v, true
			}
		}
	}
	return "", false
}
