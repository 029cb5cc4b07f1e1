package ssh

import (
	"os"
	"os/user"
	"time"

	"golang.org/x/crypto/ssh/agent"
)

// Options configure the ssh transport for a whole run; they apply to every
// host dialed with the Dialer. The zero value is usable.
type Options struct {
	// KnownHostsFiles are the OpenSSH known_hosts files host keys are
	// checked against, hashed entries included. Default ~/.ssh/known_hosts.
	// Files that do not exist are skipped.
	KnownHostsFiles []string

	// AcceptNewHostKeys accepts the key of a host that has none recorded
	// and appends it to the first of KnownHostsFiles, like OpenSSH's
	// StrictHostKeyChecking=accept-new. A host whose key differs from the
	// recorded one is refused all the same.
	AcceptNewHostKeys bool

	// SSHConfigFile is the OpenSSH client configuration read for HostName,
	// User, Port, IdentityFile, ProxyJump, StrictHostKeyChecking and
	// UserKnownHostsFile; inventory variables win over it. Default
	// ~/.ssh/config; a missing file is an empty configuration.
	SSHConfigFile string

	// ConnectTimeout bounds Dial: TCP connect, SSH handshake,
	// authentication and the facts round trip. Default 30s.
	ConnectTimeout time.Duration

	// KeepaliveInterval is the time between keepalive requests; a
	// connection that leaves 3 of them in a row unanswered is
	// declared dead. Default 15s; negative disables keepalives.
	KeepaliveInterval time.Duration

	// Passphrase returns the passphrase of an encrypted key file. nil means
	// the environment variable ROTPLAY_SSH_PASSPHRASE.
	Passphrase func(keyFile string) ([]byte, error)

	// Agent is the ssh-agent whose keys are offered. nil means the agent at
	// $SSH_AUTH_SOCK, if that is set.
	Agent agent.ExtendedAgent

	// Secrets, if not nil, is told every password and passphrase the
	// transport uses, before it uses it, so that the caller can redact
	// them from logs. It may be called concurrently.
	Secrets func(string)

	// shellStart bounds the pipelining shell's first answer (tests
	// shorten it); 0 means defaultShellStart.
	shellStart time.Duration
}

const (
	defaultConnectTimeout = 30 * time.Second
	defaultKeepalive      = 15 * time.Second
	keepaliveMisses       = 3

	// maxSessions bounds the sessions a Conn opens at once: OpenSSH refuses
	// more than MaxSessions (default 10) per connection.
	maxSessions = 10

	passphraseEnv = "ROTPLAY_SSH_PASSPHRASE"
)

func (o Options) connectTimeout() time.Duration {
	if o.ConnectTimeout > 0 {
		return o.ConnectTimeout
	}
	return defaultConnectTimeout
}

func (o Options) shellStartTimeout() time.Duration {
	if o.shellStart > 0 {
		return o.shellStart
	}
	return defaultShellStart
}

func (o Options) keepaliveInterval() time.Duration {
	if o.KeepaliveInterval == 0 {
		return defaultKeepalive
	}
	return o.KeepaliveInterval
}

func (o Options) secret(s string) {
	if o.Secrets != nil && s != "" {
		o.Secrets(s)
	}
}

// environ is what the dialer reads from the controller's environment.
// Tests replace it, to stay away from the real ~/.ssh and agent.
type environ struct {
	getenv func(string) string
	home   func() (string, error)
	user   func() (string, error) // the controller's user name
}

func osEnviron() environ {
	return environ{
		getenv: os.Getenv,
		home:   os.UserHomeDir,
		user: func() (string, error) {
			u, err := user.Current()
			if err != nil {
				return "", err
			}
			return u.Username, nil
		},
	}
}
