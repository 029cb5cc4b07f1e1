package fakedt

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// commands is the multi-call binary's registry: basename to fake.
var commands = map[string]func(context.Context, Env) int{
	"oneagentctl": OneAgentCtl,
	"systemctl":   Systemctl,
	"service":     Service,
}

// Main runs the fake called name (oneagentctl, systemctl or service) on the
// real file system, as the current effective user, with the host config
// file's host name, simulator and restart delay. Name "fakedt" takes the
// fake's name from args[0]. It returns the exit code.
func Main(name string, args []string) int {
	if name == "fakedt" && len(args) > 0 {
		name, args = args[0], args[1:]
	}
	run := commands[name]
	if run == nil {
		fmt.Fprintf(os.Stderr, "fakedt: unknown command %q (want oneagentctl, systemctl or service)\n", name)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	fsys := DirFS("/")
	cfg, err := ReadHostConfig(fsys)
	if err != nil {
		// A broken host config is a broken lab: say so loudly.
		fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
		return 1
	}
	return run(ctx, Env{
		FS: fsys, UID: os.Geteuid(), Args: args,
		Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr,
		RestartDelay: time.Duration(cfg.RestartDelayMS) * time.Millisecond,
	})
}
