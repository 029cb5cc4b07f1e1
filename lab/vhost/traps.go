package vhost

import (
	"context"
	"strings"
	"time"

	"mvdan.cc/sh/v3/interp"
	"mvdan.cc/sh/v3/syntax"
)

// trapTimeout bounds a signal trap run after the session ended.
const trapTimeout = 5 * time.Second

// signalNames maps the numbers and names trap accepts to one spelling.
var signalNames = map[string]string{
	"0": "EXIT", "1": "HUP", "2": "INT", "3": "QUIT", "13": "PIPE", "15": "TERM",
}

func signalName(s string) string {
	if n, ok := signalNames[s]; ok {
		return n
	}
	return strings.TrimPrefix(strings.ToUpper(s), "SIG")
}

// filterTrap records signal traps, which the interpreter rejects (it has
// only EXIT and ERR), and passes the rest of the trap command on.
func (s *shell) filterTrap(args []string) []string {
	rest := args[1:]
	if len(rest) > 0 && rest[0] == "--" {
		rest = rest[1:]
	}
	if len(rest) < 2 {
		return args
	}
	callback := rest[0]
	out := []string{"trap", "--", callback}
	for _, sig := range rest[1:] {
		name := signalName(sig)
		if name == "EXIT" || name == "ERR" {
			out = append(out, name)
			continue
		}
		s.setTrap(name, callback)
	}
	if len(out) == 3 {
		return []string{":"}
	}
	return out
}

func (s *shell) setTrap(sig, callback string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.traps == nil {
		s.traps = map[string]string{}
	}
	if callback == "-" || callback == "" {
		delete(s.traps, sig)
		return
	}
	s.traps[sig] = callback
}

func (s *shell) trap(sig string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.traps[sig]
}

// deliverTerm plays the SIGTERM that ends a session (sshd's, or sudo
// relaying it) on a script the session's end interrupted: its TERM trap
// runs, and if that exits, the EXIT trap, as in a real shell. Without a
// TERM trap the shell just dies. The trap runs on a fresh context, since
// the session's has ended.
func (s *shell) deliverTerm(ctx context.Context, r *interp.Runner) {
	callback := s.trap("TERM")
	if callback == "" {
		return
	}
	file, err := syntax.NewParser().Parse(strings.NewReader(callback), "TERM trap")
	if err != nil {
		return
	}
	tctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), trapTimeout)
	defer cancel()
	_ = r.Run(tctx, file)
}
