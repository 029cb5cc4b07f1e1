package main

import (
	"errors"

	"github.com/rotplay/rotplay/diag"
	"github.com/rotplay/rotplay/engine"
	"github.com/rotplay/rotplay/state"
)

// Exit codes. This is the one place that maps errors to them; README.md and
// --help list the same table.
const (
	ExitOK          = 0   // everything succeeded
	ExitError       = 1   // rotplay itself failed (I/O, internal error)
	ExitUsage       = 2   // bad command line, playbook or inventory; nothing ran
	ExitFailed      = 3   // one or more hosts failed
	ExitUnreachable = 4   // one or more hosts were unreachable, none failed
	ExitLocked      = 5   // another run holds the state directory's lock; nothing ran
	ExitInterrupted = 130 // stopped by Ctrl-C or SIGTERM (128 + SIGINT)
)

// usageError marks errors in what the user gave us, found before any host
// was contacted.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

func exitCode(err error) int {
	var ue *usageError
	var dl diag.List
	var re *engine.RunError
	var le *state.LockedError
	var nd *hostsNotDone
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &le):
		return ExitLocked
	case errors.As(err, new(*uncoveredError)):
		return ExitFailed
	case errors.As(err, &ue), errors.As(err, &dl):
		return ExitUsage
	case errors.As(err, &nd):
		return ExitFailed
	case errors.Is(err, engine.ErrInterrupted):
		return ExitInterrupted
	case errors.As(err, &re) && len(re.Recap.Failed()) > 0:
		return ExitFailed
	case errors.As(err, &re) && len(re.Recap.Unreachable()) > 0:
		return ExitUnreachable
	}
	return ExitError
}
