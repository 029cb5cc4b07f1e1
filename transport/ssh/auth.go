package ssh

import (
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/agent"
)

// defaultKeys are tried, in this order, when no key file is given, as
// OpenSSH does (minus the DSA key it no longer accepts).
var defaultKeys = []string{"id_ed25519", "id_ecdsa", "id_rsa"}

// authPlan is how a dial will log in, and what to tell the user when the
// host refuses every method.
type authPlan struct {
	methods []ssh.AuthMethod
	signers []ssh.Signer
	tried   []string // "key file ~/.ssh/deploy (ssh-ed25519 SHA256:...)", "password", ...
	skipped []string // credentials that could not be used, and why
	closers []io.Closer
}

func (p *authPlan) close() {
	for _, c := range p.closers {
		_ = c.Close()
	}
}

// authPlan gathers h's credentials: its key file if given, else agent
// keys and default keys; and its password if set. A key file that cannot
// be read or decrypted is an error: the inventory asked for it.
func (d *dialer) authPlan(h *host) (*authPlan, error) {
	p := &authPlan{}
	if h.keyFile != "" {
		s, err := d.loadKey(h.keyFile)
		if err != nil {
			return nil, err
		}
		p.addSigner("key file "+d.displayPath(h.keyFile), s)
	} else {
		d.addAgentKeys(p)
		if len(h.identityFiles) > 0 {
			d.addKeyFiles(p, h.identityFiles)
		} else {
			d.addDefaultKeys(p)
		}
	}
	if len(p.signers) > 0 {
		signers := p.signers
		p.methods = append(p.methods, ssh.PublicKeysCallback(func() ([]ssh.Signer, error) { return signers, nil }))
	}
	if h.password != "" {
		d.opts.secret(h.password)
		p.methods = append(p.methods, ssh.Password(h.password), ssh.KeyboardInteractive(passwordChallenge(h.password)))
		p.tried = append(p.tried, "password")
	}
	if len(p.methods) == 0 {
		p.close()
		return nil, fmt.Errorf("no credentials to log in to %s as %s: give a key file (%s), run ssh-agent, "+
			"create ~/.ssh/id_ed25519, or set a password (%s)%s", h.name, h.user, varKeyFile, varPassword, p.skippedNote())
	}
	return p, nil
}

func (p *authPlan) addSigner(what string, s ssh.Signer) {
	p.signers = append(p.signers, s)
	p.tried = append(p.tried, fmt.Sprintf("%s (%s %s)", what, s.PublicKey().Type(), ssh.FingerprintSHA256(s.PublicKey())))
}

func (p *authPlan) skippedNote() string {
	if len(p.skipped) == 0 {
		return ""
	}
	return "; skipped " + strings.Join(p.skipped, ", ")
}

// addAgentKeys adds the keys of Options.Agent, or of the agent at
// $SSH_AUTH_SOCK. An agent that cannot be reached is noted, not fatal:
// default keys may still work.
func (d *dialer) addAgentKeys(p *authPlan) {
	ag := d.opts.Agent
	if ag == nil {
		sock := d.env.getenv("SSH_AUTH_SOCK")
		if sock == "" {
			return
		}
		nc, err := net.DialTimeout("unix", sock, 5*time.Second)
		if err != nil {
			p.skipped = append(p.skipped, fmt.Sprintf("ssh-agent at $SSH_AUTH_SOCK (%v)", err))
			return
		}
		p.closers = append(p.closers, nc)
		ag = agent.NewClient(nc)
	}
	signers, err := ag.Signers()
	if err != nil {
		p.skipped = append(p.skipped, fmt.Sprintf("ssh-agent (%v)", err))
		return
	}
	for _, s := range signers {
		p.addSigner("agent key", s)
	}
}

// addDefaultKeys adds the default key files that exist and can be used.
func (d *dialer) addDefaultKeys(p *authPlan) {
	home, err := d.env.home()
	if err != nil {
		return
	}
	files := make([]string, len(defaultKeys))
	for i, name := range defaultKeys {
		files[i] = filepath.Join(home, ".ssh", name)
	}
	d.addKeyFiles(p, files)
}

// addKeyFiles adds the key files that exist and can be used: default keys,
// or ssh_config's IdentityFile, which ssh also skips when missing.
func (d *dialer) addKeyFiles(p *authPlan, files []string) {
	for _, file := range files {
		if _, err := os.Stat(file); errors.Is(err, fs.ErrNotExist) {
			continue
		}
		s, err := d.loadKey(file)
		if err != nil {
			p.skipped = append(p.skipped, err.Error())
			continue
		}
		p.addSigner("key file "+d.displayPath(file), s)
	}
}

// loadKey reads a private key file, decrypting it when it is encrypted.
// Errors name the file, never its content or the passphrase.
func (d *dialer) loadKey(file string) (ssh.Signer, error) {
	shown := d.displayPath(file)
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("read key file: %w", err)
	}
	s, err := ssh.ParsePrivateKey(data)
	var missing *ssh.PassphraseMissingError
	if !errors.As(err, &missing) {
		if err != nil {
			return nil, fmt.Errorf("key file %s: %v", shown, err)
		}
		return s, nil
	}
	pass, err := d.passphrase(file)
	if err != nil {
		return nil, err
	}
	d.opts.secret(string(pass))
	s, err = ssh.ParsePrivateKeyWithPassphrase(data, pass)
	switch {
	case errors.Is(err, x509.IncorrectPasswordError):
		return nil, fmt.Errorf("key file %s: wrong passphrase", shown)
	case err != nil:
		return nil, fmt.Errorf("key file %s: %v", shown, err)
	}
	return s, nil
}

// passphrase asks Options.Passphrase, else reads $ROTPLAY_SSH_PASSPHRASE.
func (d *dialer) passphrase(file string) ([]byte, error) {
	if d.opts.Passphrase != nil {
		pass, err := d.opts.Passphrase(file)
		if err != nil {
			return nil, fmt.Errorf("passphrase of key file %s: %w", d.displayPath(file), err)
		}
		return pass, nil
	}
	if pass := d.env.getenv(passphraseEnv); pass != "" {
		return []byte(pass), nil
	}
	return nil, fmt.Errorf("key file %s is encrypted: set %s to its passphrase, or add the key to ssh-agent "+
		"(ssh-add %s) and leave %s unset", d.displayPath(file), passphraseEnv, d.displayPath(file), varKeyFile)
}

// passwordChallenge answers a keyboard-interactive prompt for the password,
// which is how PAM-based sshd configurations ask for it. Any other
// question (a one-time code, ...) is refused rather than answered with
// the password.
func passwordChallenge(password string) ssh.KeyboardInteractiveChallenge {
	return func(name, instruction string, questions []string, echos []bool) ([]string, error) {
		switch {
		case len(questions) == 0:
			return nil, nil
		case len(questions) == 1 && !echos[0]:
			return []string{password}, nil
		}
		return nil, errors.New("keyboard-interactive authentication asks more than a password")
	}
}

// authFailure explains a refused login: which user, what was tried, and
// what to check.
func (p *authPlan) authFailure(h *host) error {
	return fmt.Errorf("log in to %s as %s refused: tried %s%s; check the user (ansible_user), that a public key is in "+
		"~%s/.ssh/authorized_keys on the host (ssh-copy-id), or the password (%s)",
		h.name, h.user, strings.Join(p.tried, ", "), p.skippedNote(), h.user, varPassword)
}
