package main

import (
	"os"
	"strings"
	"testing"
)

func TestPassphraseSources(t *testing.T) {
	t.Setenv(passphraseEnv, "from-env-passphrase")
	p := &passphrases{}
	if got, err := p.get("/k"); err != nil || string(got) != "from-env-passphrase" {
		t.Fatalf("env: %q %v", got, err)
	}
	os.Unsetenv(passphraseEnv)
	// Not a terminal (a file, as under cron): fail clearly, never block.
	f, err := os.CreateTemp(t.TempDir(), "stdin")
	if err != nil {
		t.Fatal(err)
	}
	p = &passphrases{in: f}
	if _, err := p.get("/k"); err == nil || !strings.Contains(err.Error(), "no terminal") || !strings.Contains(err.Error(), passphraseEnv) {
		t.Fatalf("no terminal: %v", err)
	}
}
