package main

import (
	"fmt"
	"os"
	"time"

	"github.com/rotplay/rotplay/transport/ssh"
	"github.com/rotplay/rotplay/transport/winrm"

	"github.com/rotplay/rotplay/engine"
	runreport "github.com/rotplay/rotplay/report"
	"github.com/rotplay/rotplay/secret"
	"github.com/rotplay/rotplay/state"
	"github.com/rotplay/rotplay/ui"
)

type runCmd struct {
	planFlags
	execFlags
}

// execFlags are how a plan is run, shared by run and lab --demo.
type execFlags struct {
	Forks             int           `help:"How many hosts a phase runs at once, at most. Hosts mostly wait on restarts, so it is high: a fleet this big restarts all at once. A phase's forks: can only lower it." default:"1000"`
	ConnectLimit      int           `name:"connect-limit" help:"How many hosts may be connecting at once, at most (TCP, SSH or TLS handshake, login, facts): connecting costs CPU on both sides, so a big fleet is let in gradually." default:"50"`
	Check             bool          `short:"C" help:"Report what would change; change nothing on any host."`
	Diff              bool          `short:"D" help:"Show a unified diff of each file change (secrets redacted)."`
	Verbose           int           `short:"v" type:"counter" help:"More output: -v task starts, messages of ok tasks, durations; -vv also every line of each task's message, and every command and file operation sent to each host with its output (secrets redacted; PowerShell scripts by name)."`
	NoProgress        bool          `name:"no-progress" help:"On a terminal, print a line per event instead of live progress bars (as when stdout is not a terminal)."`
	KnownHosts        []string      `name:"known-hosts" sep:"none" help:"known_hosts file to verify SSH host keys against (repeatable). Default: ~/.ssh/known_hosts. A host's rotplay_known_hosts_file var adds one." placeholder:"FILE"`
	AcceptNewHostKeys bool          `name:"accept-new-host-keys" help:"Trust the SSH host key of a host that has none recorded, and record it in the first known_hosts file (like StrictHostKeyChecking=accept-new). A changed key is always refused."`
	ConnectTimeout    time.Duration `name:"connect-timeout" help:"Give up connecting to a host after this long." default:"30s"`
	AcceptUncovered   []string      `name:"accept-uncovered" help:"Run although these agents report to the environment and are not in the inventory (the coverage check refuses otherwise). They keep the old token and are cut off at finish. Comma-separated or repeated." placeholder:"HOST,..."`
	FinishAnyway      []string      `name:"finish-anyway" help:"DANGER: let api_rotate finish the rotation although these hosts are not verified on the new token. They are cut off: their monitoring data is lost until someone fixes them by hand. Comma-separated or repeated." placeholder:"HOST,..."`
	Output            string        `enum:"text,jsonl" default:"text" help:"What stdout shows: text (for people) or jsonl (one JSON object per event, the recap last)."`
	Report            string        `help:"At the end of the run, write a JSON report to FILE (mode 0600; see docs/reports.md)." placeholder:"FILE"`
	JUnit             string        `name:"junit" help:"At the end of the run, write a JUnit XML report to FILE, for CI systems." placeholder:"FILE"`
}

// Run compiles the playbook, then runs it; the recap is printed whatever
// happens, Ctrl-C included.
func (c *runCmd) Run(e *env) error {
	plan, err := c.compile()
	if err != nil {
		return err
	}
	return c.run(e, plan, c.StateDir)
}

// run runs a compiled plan with the text output, holding the state
// directory's run lock (except under --check, which changes nothing).
func (x *execFlags) run(e *env, plan *engine.Plan, stateDir string) error {
	if x.Forks < 1 {
		return &usageError{fmt.Errorf("--forks must be at least 1, got %d", x.Forks)}
	}
	if x.ConnectLimit < 1 {
		return &usageError{fmt.Errorf("--connect-limit must be at least 1, got %d", x.ConnectLimit)}
	}
	if err := coverageGate(e, plan, x.AcceptUncovered); err != nil {
		if !x.Check {
			return err
		}
		fmt.Fprintf(e.stderr, "rotplay: WARNING (a real run would refuse): %v\n", err)
	}
	secrets := &secret.Redactor{}
	observers, reports := x.observers(e, plan, secrets)
	r := &engine.Runner{Check: x.Check, Diff: x.Diff, Forks: x.Forks, ConnectLimit: x.ConnectLimit, Secrets: secrets, FinishAnyway: x.FinishAnyway,
		TraceCommands: x.Verbose >= 2}
	if !x.Check { // --check changes nothing: no lock, and nothing to journal
		d, err := openState(stateDir)
		if err != nil {
			return err
		}
		lock, err := d.Lock()
		if err != nil {
			return err
		}
		defer lock.Unlock()
		if jo, closeJournal := journalRun(e, d, plan, r); jo != nil {
			observers = append(observers, jo)
			defer closeJournal()
		}
	}
	ask := &passphrases{in: e.stdin, prompt: e.stderr, secret: func(s string) { secrets.Add(s) }}
	r.Dialers = dialers(ssh.Options{KnownHostsFiles: x.KnownHosts, AcceptNewHostKeys: x.AcceptNewHostKeys,
		ConnectTimeout: x.ConnectTimeout, Passphrase: ask.get, Secrets: func(s string) { secrets.Add(s) }},
		winrm.Options{ConnectTimeout: x.ConnectTimeout, Secrets: func(s string) { secrets.Add(s) }})
	r.Observer = observers
	_, err := r.Run(e.ctx, plan)
	for _, rep := range reports {
		if rerr := rep.Err(); rerr != nil && err == nil {
			err = rerr
		} else if rerr != nil {
			fmt.Fprintf(e.stderr, "rotplay: %v\n", rerr)
		}
	}
	return err
}

// observers is the run's output (--output) and the reports asked for
// (--report, --junit), whose Err says whether they were written.
func (x *execFlags) observers(e *env, plan *engine.Plan, secrets *secret.Redactor) (engine.Observers, []interface{ Err() error }) {
	colour := ui.UseColour(e.stdout, os.Getenv)
	out := engine.Observers{&ui.Text{W: e.stdout, Verbose: x.Verbose, Colour: colour}}
	if x.Output == "jsonl" {
		out = engine.Observers{runreport.NewJSONLines(e.stdout)}
	} else if !x.NoProgress && ui.IsTerminal(e.stdout) {
		out = engine.Observers{ui.NewProgress(e.stdout, x.Verbose, colour)}
	}
	var reports []interface{ Err() error }
	if x.Report != "" {
		j := runreport.NewJSON(x.Report, plan, secrets)
		out, reports = append(out, j), append(reports, j)
	}
	if x.JUnit != "" {
		j := runreport.NewJUnit(x.JUnit, plan, secrets)
		out, reports = append(out, j), append(reports, j)
	}
	return out, reports
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
3 some hosts failed; 4 some hosts unreachable (none failed); 5 another run holds
the state directory's lock (nothing ran); 130 interrupted.`
}

// lockState takes the run lock of the state directory, so that two runs
// (cron firing twice, a person and cron) never overlap.
func lockState(dir string) (*state.Lock, error) {
	d, err := openState(dir)
	if err != nil {
		return nil, err
	}
	return d.Lock()
}

// openState opens the state directory dir, or the default one.
func openState(dir string) (*state.Dir, error) {
	if dir == "" {
		var err error
		if dir, err = state.DefaultDir(); err != nil {
			return nil, err
		}
	}
	return state.Open(dir)
}
