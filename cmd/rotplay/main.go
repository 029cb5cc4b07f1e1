// Command rotplay rotates a Dynatrace environment's tenant token across a
// fleet of ActiveGates and OneAgents by running a declarative playbook.
// Each subcommand lives in its own cmd_*.go file; this file wires the CLI.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"github.com/alecthomas/kong"

	"github.com/rotplay/rotplay/diag"
)

// version is set at build time with -ldflags "-X main.version=v1.2.3".
var version = ""

// cli is the command line. Each command's Run gets an *env.
type cli struct {
	Version    kong.VersionFlag `help:"Print rotplay's version and exit."`
	Run        runCmd           `cmd:"" help:"Run a playbook against the inventory's hosts."`
	Validate   validateCmd      `cmd:"" help:"Parse and compile a playbook without contacting any host; print every error."`
	Graph      graphCmd         `cmd:"" help:"Draw the compiled plan: phases, their hosts, tasks and barriers."`
	Rollback   rollbackCmd      `cmd:"" help:"Roll the open rotation back: every host back on the old token, verified, then cancel."`
	Status     statusCmd        `cmd:"" help:"Show the open rotation of each environment and, from the journal, how every host and run stands."`
	Schedule   scheduleCmd      `cmd:"" help:"Print a systemd service+timer or a crontab line that runs a rotation on a schedule."`
	Completion completionCmd    `cmd:"" help:"Print a shell completion script (bash, zsh)."`
	Inventory  inventoryCmd     `cmd:"" help:"Build an Ansible inventory from the Dynatrace API (inventory discover)."`
	Coverage   coverageCmd      `cmd:"" help:"List agents connected to the environment that the inventory lacks (run before rotating)."`
	Audit      auditCmd         `cmd:"" help:"Compare every host's configured tenant token with the environment's, by fingerprint only."`
	Preflight  preflightCmd     `cmd:"" help:"Check, changing nothing, that every host and the API are ready for a rotation."`
	Lab        labCmd           `cmd:"" help:"Start the practice lab (simulated API and hosts over SSH on loopback); --demo rotates it end to end."`
}

// env is what commands need from the process, injected so tests can run
// the CLI in-process.
type env struct {
	ctx    context.Context
	stdin  *os.File // nil in tests: never prompt
	stdout io.Writer
	stderr io.Writer
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop() // a second Ctrl-C kills rotplay at once
	}()
	stopProfile := startProfile()
	code := mainWithStdin(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stopProfile()
	stop()
	os.Exit(code)
}

// exitSignal carries kong's requested exit code (after --help, --version)
// out of the parser.
type exitSignal struct{ code int }

// Main runs rotplay with args and returns the process exit code. It never
// reads standard input.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return mainWithStdin(ctx, args, nil, stdout, stderr)
}

// mainWithStdin is Main with a terminal to prompt on (passphrases).
func mainWithStdin(ctx context.Context, args []string, stdin *os.File, stdout, stderr io.Writer) (code int) {
	var c cli
	defer func() {
		if r := recover(); r != nil {
			sig, ok := r.(exitSignal)
			if !ok {
				panic(r)
			}
			code = sig.code
		}
	}()
	parser, err := kong.New(&c,
		kong.Name("rotplay"),
		kong.Description(description),
		kong.Writers(stdout, stderr),
		kong.Exit(func(code int) { panic(exitSignal{code}) }),
		kong.Vars{"version": versionString()},
		kong.UsageOnError(),
		kong.ConfigureHelp(kong.HelpOptions{Compact: true}),
	)
	if err != nil {
		panic(err) // the CLI definition itself is wrong
	}
	kctx, err := parser.Parse(args)
	if err != nil {
		fmt.Fprintf(stderr, "rotplay: %v\n", err)
		return ExitUsage
	}
	e := &env{ctx: ctx, stdin: stdin, stdout: stdout, stderr: stderr}
	if err := kctx.Run(e, parser); err != nil {
		report(stderr, err)
		return exitCode(err)
	}
	return ExitOK
}

const description = `Rotate a Dynatrace tenant token across ActiveGates and OneAgents without losing data.

A playbook (YAML) lists phases; each phase runs its tasks on a set of inventory hosts,
concurrently, with a barrier before the next phase. See docs/playbook.md.

Exit codes: 0 success; 1 rotplay error; 2 usage or validation error (nothing ran);
3 some hosts failed; 4 some hosts unreachable (none failed); 5 another run holds
the lock (nothing ran); 130 interrupted.`

func versionString() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

// report prints an error for a person: diagnostics one per line with
// their position and, indented below, what to do.
func report(w io.Writer, err error) {
	var dl diag.List
	if !errors.As(err, &dl) {
		fmt.Fprintf(w, "rotplay: %v\n", err)
		return
	}
	for _, d := range dl {
		if pos := d.Pos.String(); pos != "" {
			fmt.Fprintf(w, "%s: ", pos)
		}
		fmt.Fprintln(w, d.Msg)
		if d.Hint != "" {
			fmt.Fprintf(w, "    fix: %s\n", d.Hint)
		}
	}
	noun := "problem"
	if len(dl) > 1 {
		noun = "problems"
	}
	fmt.Fprintf(w, "rotplay: %d %s found; nothing was run\n", len(dl), noun)
}
