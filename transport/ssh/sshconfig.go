package ssh

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/kevinburke/ssh_config"
)

// sshConfig is the controller's OpenSSH client configuration
// (~/.ssh/config), read once per Dialer. Only the keywords listed in
// docs/ssh.md are used; every other one is ignored.
type sshConfig struct {
	file string // for messages, ~ abbreviated
	cfg  *ssh_config.Config
}

// sshConfig loads Options.SSHConfigFile once; a missing file is an empty
// configuration, one that cannot be parsed is an error for every dial.
func (d *dialer) sshConfig() (*sshConfig, error) {
	d.configOnce.Do(func() { d.config, d.configErr = d.loadSSHConfig() })
	return d.config, d.configErr
}

func (d *dialer) loadSSHConfig() (*sshConfig, error) {
	file := d.opts.SSHConfigFile
	if file == "" {
		file = "~/.ssh/config"
	}
	path, err := d.expandHome(file)
	if err != nil {
		return &sshConfig{}, nil // no home directory: no ~/.ssh/config either
	}
	c := &sshConfig{file: d.displayPath(path)}
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return c, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read ssh config: %w", err)
	}
	defer f.Close()
	if c.cfg, err = ssh_config.Decode(f); err != nil {
		return nil, fmt.Errorf("parse ssh config %s: %w : fix the file, or move it aside", c.file, err)
	}
	return c, nil
}

// get returns the first value of key for alias, as ssh does: the first
// matching Host block that sets it wins. "" when unset.
func (c *sshConfig) get(alias, key string) (string, error) {
	if c == nil || c.cfg == nil {
		return "", nil
	}
	v, err := c.cfg.Get(alias, key)
	if err != nil {
		return "", fmt.Errorf("ssh config %s, %s for %s: %w", c.file, key, alias, err)
	}
	return strings.TrimSpace(v), nil
}

// getAll returns every value of key for alias (IdentityFile may repeat).
func (c *sshConfig) getAll(alias, key string) ([]string, error) {
	if c == nil || c.cfg == nil {
		return nil, nil
	}
	vs, err := c.cfg.GetAll(alias, key)
	if err != nil {
		return nil, fmt.Errorf("ssh config %s, %s for %s: %w", c.file, key, alias, err)
	}
	return vs, nil
}

// acceptNew maps StrictHostKeyChecking for alias: true for
// accept-new, an error for no/off, false (the strict default) otherwise.
// rotplay never connects to a host whose key it has not checked.
func (c *sshConfig) acceptNew(alias string) (bool, error) {
	v, err := c.get(alias, "StrictHostKeyChecking")
	if err != nil {
		return false, err
	}
	switch strings.ToLower(v) {
	case "accept-new":
		return true, nil
	case "no", "off":
		return false, fmt.Errorf("%s sets StrictHostKeyChecking %s for %s, but rotplay never skips host key checking: "+
			"remove it for this host, or use StrictHostKeyChecking accept-new (or --accept-new-host-keys) "+
			"to record the keys of new hosts", c.file, v, alias)
	}
	return false, nil
}
