package fakedt

import (
	"fmt"
	"strings"
)

// OneAgentConfig is the OneAgent's communication settings as the fake
// oneagentctl keeps them in OneAgentConfigPath.
type OneAgentConfig struct {
	Tenant      string
	TenantToken string
	Server      string
}

// ReadOneAgentConfig reads OneAgentConfigPath. An error wrapping
// fs.ErrNotExist means OneAgent is not installed on the host.
func ReadOneAgentConfig(fsys FS) (OneAgentConfig, error) {
	var c OneAgentConfig
	data, err := fsys.ReadFile(OneAgentConfigPath)
	if err != nil {
		return c, err
	}
	for line := range strings.Lines(string(data)) {
		key, value, ok := strings.Cut(strings.TrimSpace(line), "=")
		if !ok {
			continue
		}
		switch key {
		case "tenant":
			c.Tenant = value
		case "tenantToken":
			c.TenantToken = value
		case "server":
			c.Server = value
		}
	}
	return c, nil
}

// WriteOneAgentConfig replaces OneAgentConfigPath atomically with mode
// 0600: it holds a secret. Writing it installs OneAgent on the host as far
// as the fakes are concerned.
func WriteOneAgentConfig(fsys FS, c OneAgentConfig) error {
	data := fmt.Sprintf("tenant=%s\ntenantToken=%s\nserver=%s\n", c.Tenant, c.TenantToken, c.Server)
	return fsys.WriteFile(OneAgentConfigPath, []byte(data), 0o600)
}
