package main

import (
	"errors"
	"fmt"
	"testing"

	"github.com/rotplay/rotplay/diag"
	"github.com/rotplay/rotplay/engine"
)

func TestExitCode(t *testing.T) {
	t.Parallel()
	recap := func(results ...engine.Status) *engine.Recap {
		r := &engine.Recap{}
		for i, s := range results {
			r.Hosts = append(r.Hosts, &engine.HostRecap{Name: fmt.Sprint("h", i), Result: s})
		}
		return r
	}
	interrupted := recap(engine.StatusFailed)
	interrupted.Interrupted = true
	tests := []struct {
		err  error
		want int
	}{
		{nil, ExitOK},
		{errors.New("disk on fire"), ExitError},
		{&usageError{errors.New("bad flag")}, ExitUsage},
		{diag.List{diag.Errorf(diag.Pos{}, "bad")}, ExitUsage},
		{&engine.RunError{Recap: recap(engine.StatusOK, engine.StatusFailed, engine.StatusUnreachable)}, ExitFailed},
		{&engine.RunError{Recap: recap(engine.StatusOK, engine.StatusUnreachable)}, ExitUnreachable},
		{&engine.RunError{Recap: interrupted}, ExitInterrupted},
		{fmt.Errorf("wrapped: %w", &engine.RunError{Recap: recap(engine.StatusUnreachable)}), ExitUnreachable},
	}
	for _, tc := range tests {
		if got := exitCode(tc.err); got != tc.want {
			t.Errorf("exitCode(%v) = %d, want %d", tc.err, got, tc.want)
		}
	}
}
