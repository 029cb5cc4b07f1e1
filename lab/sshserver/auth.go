package sshserver

import (
	"bytes"
	"crypto/subtle"
	"errors"
	"fmt"
	"slices"

	"golang.org/x/crypto/ssh"
)

// errDenied is what a client sees for a refused login; which check failed
// is not told, as with OpenSSH.
var errDenied = errors.New("sshserver: access denied")

// serverConfig checks cfg and turns it into x/crypto's server config.
func serverConfig(cfg Config) (*ssh.ServerConfig, error) {
	switch {
	case cfg.HostKey == nil:
		return nil, errors.New("sshserver: Config.HostKey is required")
	case cfg.Exec == nil:
		return nil, errors.New("sshserver: Config.Exec is required")
	case len(cfg.AuthorizedKeys) == 0 && cfg.Password == "":
		return nil, errors.New("sshserver: Config needs AuthorizedKeys or Password, or nobody can log in")
	case cfg.MaxSessions < 0:
		return nil, fmt.Errorf("sshserver: Config.MaxSessions %d is negative", cfg.MaxSessions)
	}
	users := slices.Clone(cfg.Users)
	allowed := func(user string) bool { return len(users) == 0 || slices.Contains(users, user) }
	sc := &ssh.ServerConfig{ServerVersion: "SSH-2.0-rotplay-lab"}
	sc.AddHostKey(cfg.HostKey)
	if len(cfg.AuthorizedKeys) > 0 {
		keys := make([][]byte, len(cfg.AuthorizedKeys))
		for i, k := range cfg.AuthorizedKeys {
			keys[i] = k.Marshal()
		}
		sc.PublicKeyCallback = func(c ssh.ConnMetadata, key ssh.PublicKey) (*ssh.Permissions, error) {
			blob := key.Marshal()
			if allowed(c.User()) && slices.ContainsFunc(keys, func(k []byte) bool { return bytes.Equal(k, blob) }) {
				return &ssh.Permissions{}, nil
			}
			return nil, errDenied
		}
	}
	if cfg.Password != "" {
		want := []byte(cfg.Password)
		sc.PasswordCallback = func(c ssh.ConnMetadata, password []byte) (*ssh.Permissions, error) {
			if allowed(c.User()) && subtle.ConstantTimeCompare(password, want) == 1 {
				return &ssh.Permissions{}, nil
			}
			return nil, errDenied
		}
	}
	return sc, nil
}
