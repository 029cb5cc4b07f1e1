package main

import (
	"fmt"

	"github.com/rotplay/rotplay/engine"
	"github.com/rotplay/rotplay/secret"
	"github.com/rotplay/rotplay/ui"
)

type runCmd struct {
	planFlags
	Forks   int  `help:"How many hosts a phase runs at once, at most. A phase's forks: can only lower it." default:"50"`
	Check   bool `short:"C" help:"Report what would change; change nothing on any host."`
	Diff    bool `short:"D" help:"Show a unified diff of each file change (secrets redacted)."`
	Verbose int  `short:"v" type:"counter" help:"More output: task starts, messages of ok tasks, durations."`
}

// Run compiles the playbook, then runs it; the recap is printed whatever
// happens, Ctrl-C included.
func (c *runCmd) Run(e *env) error {
	if c.Forks < 1 {
		return &usageError{fmt.Errorf("--forks must be at least 1, got %d", c.Forks)}
	}
	plan, err := c.compile()
	if err != nil {
		return err
	}
	r := &engine.Runner{
		Dialers:  dialers(),
		Observer: &ui.Text{W: e.stdout, Verbose: c.Verbose},
		Check:    c.Check,
		Diff:     c.Diff,
		Forks:    c.Forks,
		Secrets:  &secret.Redactor{},
	}
	_, err = r.Run(e.ctx, plan)
	return err
}

// Help is shown by `rotplay run --help` below the one-line summary.
func (c *runCmd) Help() string {
	return `Compiles the playbook first (as validate does); nothing runs if it has errors.
Phases run in order with a barrier between them; inside a phase each host runs its
own tasks, up to --forks hosts at once. By default any failed or unreachable host
stops the run at the next barrier. Ctrl-C stops cleanly and prints the recap.

Examples:
  rotplay run rotation.yaml -i hosts.yaml --check --diff
  rotplay run rotation.yaml -i hosts.yaml --limit 'activegates:!ag-dmz-*' -e environment_id=abc12345

Exit codes: 0 success; 1 rotplay error; 2 usage or validation error (nothing ran);
3 some hosts failed; 4 some hosts unreachable (none failed); 130 interrupted.`
}
