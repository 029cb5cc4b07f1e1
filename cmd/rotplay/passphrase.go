package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sync"

	"golang.org/x/term"
)

// passphrases asks for SSH key passphrases: from ROTPLAY_SSH_PASSPHRASE,
// else once per key file on the terminal. Without a terminal (cron) it
// fails clearly instead of waiting for input that never comes. Safe for
// concurrent use: many hosts dial at once, the user is asked once.
type passphrases struct {
	in     *os.File
	prompt io.Writer
	secret func(string)

	mu    sync.Mutex
	known map[string][]byte
}

const passphraseEnv = "ROTPLAY_SSH_PASSPHRASE"

func (p *passphrases) get(keyFile string) ([]byte, error) {
	if v := os.Getenv(passphraseEnv); v != "" {
		return []byte(v), nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if pass, ok := p.known[keyFile]; ok {
		return pass, nil
	}
	if p.in == nil || !term.IsTerminal(int(p.in.Fd())) {
		return nil, errors.New("the key is encrypted and there is no terminal to ask on: set " + passphraseEnv + " or load the key into ssh-agent")
	}
	fmt.Fprintf(p.prompt, "Passphrase for %s: ", keyFile)
	pass, err := term.ReadPassword(int(p.in.Fd()))
	fmt.Fprintln(p.prompt)
	if err != nil {
		return nil, fmt.Errorf("read passphrase: %w", err)
	}
	if p.secret != nil {
		p.secret(string(pass))
	}
	if p.known == nil {
		p.known = map[string][]byte{}
	}
	p.known[keyFile] = pass
	return pass, nil
}
