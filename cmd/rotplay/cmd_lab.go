package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/rotplay/rotplay/lab"
	"github.com/rotplay/rotplay/lab/dtsim"
	"github.com/rotplay/rotplay/playbooks"
)

type labCmd struct {
	ActiveGates  int           `name:"activegates" help:"Simulated ActiveGates." default:"2"`
	OneAgents    int           `name:"oneagents" help:"Simulated OneAgents." default:"3"`
	WinAGs       int           `name:"windows-activegates" help:"Simulated Windows ActiveGates, over WinRM (the first over HTTPS with NTLM)." default:"1"`
	WinOAs       int           `name:"windows-oneagents" help:"Simulated Windows OneAgents, over WinRM." default:"1"`
	Dir          string        `help:"Keep the lab in this directory (default: a temporary one, removed at the end)." placeholder:"DIR"`
	RestartDelay time.Duration `name:"restart-delay" help:"How long a simulated service restart takes." default:"0s"`
	Demo         bool          `help:"Bring the lab up, run the rotation playbook against it, print the recap and the lab's verdict, tear it down."`
	Playbook     string        `help:"With --demo: the playbook to run (default: the shipped playbooks/rotation.yaml)." placeholder:"FILE"`
	execFlags
}

// Help is shown by `rotplay lab --help`.
func (c *labCmd) Help() string {
	return `The practice lab runs on loopback only and needs no root: a simulated Dynatrace
environment API, and simulated Linux ActiveGates and OneAgents reachable over real
SSH and Windows ones over real WinRM (HTTP and HTTPS), all inside this process. It writes an inventory, a known_hosts file, an SSH key and
an API token file into its directory, so playbooks/rotation.yaml runs against it
unmodified. The simulated API tracks the token every simulated agent connects with:
an agent still on the old token when the rotation is finished is reported as
disconnected (data loss).

Without --demo the lab stays up until Ctrl-C and prints how to run a rotation
against it; on the way out it prints its verdict.`
}

// Run starts the lab, then either runs the demo or waits for Ctrl-C.
func (c *labCmd) Run(e *env) error {
	l, err := lab.Start(e.ctx, lab.Options{Dir: c.Dir, ActiveGates: c.ActiveGates, OneAgents: c.OneAgents,
		WindowsActiveGates: c.WinAGs, WindowsOneAgents: c.WinOAs, RestartDelay: c.RestartDelay})
	if err != nil {
		return fmt.Errorf("start the lab: %w", err)
	}
	defer l.Close()
	if c.Demo {
		return c.demo(e, l)
	}
	c.printHowTo(e.stdout, l)
	<-e.ctx.Done()
	fmt.Fprintln(e.stdout)
	return printVerdict(e.stdout, l.Verdict())
}

func (c *labCmd) printHowTo(w io.Writer, l *lab.Lab) {
	fmt.Fprintf(w, "rotplay lab is up: %d simulated hosts (SSH and WinRM) on 127.0.0.1, Dynatrace API at %s\n",
		len(l.Hosts()), l.APIURL)
	fmt.Fprintf(w, "  inventory:   %s\n  known_hosts: %s\n  state dir:   %s\n\n", l.Inventory, l.KnownHosts, l.StateDir)
	fmt.Fprintf(w, "In another terminal, rotate the token:\n\n  rotplay run playbooks/rotation.yaml -i %s --state-dir %s --diff\n\n",
		l.Inventory, l.StateDir)
	fmt.Fprintf(w, "The lab's verdict at any time: curl %s/lab/v1/verdict\nCtrl-C stops the lab.\n", l.APIURL)
}

// demo runs the rotation playbook against the lab and judges the result
// by the simulator's verdict, not only by the run's exit code.
func (c *labCmd) demo(e *env, l *lab.Lab) error {
	pbPath := c.Playbook
	if pbPath == "" {
		pbPath = filepath.Join(l.Dir, "rotation.yaml")
		if err := os.WriteFile(pbPath, playbooks.Rotation, 0o644); err != nil {
			return err
		}
	}
	fmt.Fprintf(e.stdout, "lab: %d simulated hosts, Dynatrace API at %s\n\n", len(l.Hosts()), l.APIURL)
	flags := planFlags{Playbook: pbPath, Inventory: l.Inventory, StateDir: l.StateDir}
	plan, err := flags.compile()
	if err != nil {
		return err
	}
	runErr := c.run(e, plan, l.StateDir)
	fmt.Fprintln(e.stdout)
	if verr := printVerdict(e.stdout, l.Verdict()); runErr == nil {
		return verr
	}
	return runErr
}

// errUnsafe is the lab's verdict that a rotation lost data.
var errUnsafe = fmt.Errorf("the lab reports data loss: agents were cut off at finish")

func printVerdict(w io.Writer, v dtsim.Verdict) error {
	fmt.Fprintf(w, "LAB VERDICT: API calls: %s\n", strings.Join(v.Calls, ", "))
	switch {
	case !v.Finished && v.Safe:
		fmt.Fprintln(w, "LAB VERDICT: the rotation was not finished; every agent is still connected (both tokens are valid)")
	case v.Safe:
		fmt.Fprintln(w, "LAB VERDICT: SAFE: the rotation finished with every agent on the new token; no data lost")
	default:
		fmt.Fprintln(w, "LAB VERDICT: DATA LOSS:")
		for _, d := range v.Disconnected {
			fmt.Fprintf(w, "  %s %s: %s\n", d.Host, d.Component, d.Reason)
		}
		return errUnsafe
	}
	return nil
}
