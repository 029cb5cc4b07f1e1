package fakedt

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
)

// HostConfig is the lab's description of a host, stored as JSON at
// HostConfigPath by the lab or the end-to-end harness.
type HostConfig struct {
	// Host is the name the host reports to the simulator with.
	Host string `json:"host"`
	// Tenant is the environment ID: the authorization.properties section
	// the ActiveGate connects with.
	Tenant string `json:"tenant"`
	// Simulator is the base URL of the Dynatrace simulator; "" means the
	// host reports nothing (unless its caller passes a Reporter).
	Simulator string `json:"simulator,omitempty"`
	// RestartDelayMS is how long a (re)start takes, for the binary; the
	// in-process fakes take Env.RestartDelay instead.
	RestartDelayMS int `json:"restart_delay_ms,omitempty"`
}

// ReadHostConfig reads HostConfigPath from fsys. A missing file gives the
// zero HostConfig and no error: the fakes then work but report nothing.
func ReadHostConfig(fsys FS) (HostConfig, error) {
	var c HostConfig
	data, err := fsys.ReadFile(HostConfigPath)
	if errors.Is(err, fs.ErrNotExist) {
		return c, nil
	}
	if err != nil {
		return c, fmt.Errorf("read host config: %w", err)
	}
	if err := json.Unmarshal(data, &c); err != nil {
		return c, fmt.Errorf("parse host config %s: %w", HostConfigPath, err)
	}
	return c, nil
}

// WriteHostConfig writes c to HostConfigPath in fsys (mode 0644).
func WriteHostConfig(fsys FS, c HostConfig) error {
	data, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return err
	}
	return fsys.WriteFile(HostConfigPath, append(data, '\n'), 0o644)
}
