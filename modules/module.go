// Package modules defines what a module is: the unit of work a task names,
// such as file_replace or command. A module decodes and checks its arguments
// at compile time, and at run time reports what it would change (Check) or
// changes it (Apply), seeing the host only through transport.Conn.
//
// Each module lives in its own sub-package; the registry in this package
// lists them explicitly.
package modules

import (
	"context"

	"go.yaml.in/yaml/v3"

	"github.com/rotplay/rotplay/transport"
)

// Module is a kind of task. Implementations are stateless and safe for
// concurrent use.
type Module interface {
	// Info describes the module.
	Info() Info

	// Decode checks the task's arguments and prepares an Action. It does no
	// I/O. file names the playbook for positions in errors. args may be nil
	// when the task gives no arguments.
	//
	// The engine calls Decode twice: at compile time on the arguments as
	// written, where string values may still hold {{ templates }} (use
	// tmpl.IsTemplate to leave those unchecked), and at run time on the
	// rendered arguments of each host, where they hold final values. Errors
	// are diag.Error or diag.List values carrying the position of the
	// offending node.
	Decode(file string, args *yaml.Node) (Action, error)
}

// Info describes a module for the registry, the compiler and the docs.
type Info struct {
	Name    string // the task key that selects the module
	Summary string // one line, for --help and docs
	// Controller is true for modules that only run on the controller (API
	// calls); the compiler rejects them in phases that target hosts.
	Controller bool
}

// Action is one task's work with decoded arguments, for one host.
//
// Check and Apply block until done or ctx ends. An error means the module
// could not do its work (the task fails); an error wrapping
// transport.ErrUnreachable means the host was lost. A module that ran but
// judges the outcome a failure returns a Result with Failed set, so that
// what it learnt (exit code, output) can still be registered.
type Action interface {
	// Check reports what Apply would change, changing nothing anywhere.
	// It is what --check runs.
	Check(ctx context.Context, h Host) (Result, error)

	// Apply makes the change, or nothing if the host is already in the
	// desired state (Result.Changed false).
	Apply(ctx context.Context, h Host) (Result, error)
}

// Host is what a module sees of the host it works on.
type Host struct {
	Name string
	Conn transport.Conn
	// Vars holds the host's variables (inventory, playbook, registered),
	// read-only, for modules whose defaults come from host variables.
	Vars map[string]any

	// Fleet is set for tasks on the controller: how every host that an
	// earlier phase targeted has fared in this run (or, for hosts left out
	// by --limit, in earlier runs of the same rotation). api_rotate's finish
	// refuses to cut off a host that is not done.
	Fleet *Fleet
}

// Fleet is the outcome so far of the hosts of the earlier phases.
type Fleet struct {
	Hosts []FleetHost
	// FinishAnyway names hosts the operator accepts to lose at finish
	// (rotplay run --finish-anyway).
	FinishAnyway []string
}

// FleetHost is one host of the fleet. Status is "done" (every task of
// every phase so far succeeded; for a host left out by --limit: an earlier
// run of the same rotation verified it, and Reason says when), "failed",
// "unreachable", "excluded" (left out by --limit) or "not run"
// (interrupted before it started).
type FleetHost struct {
	Name   string
	Status string
	Reason string
}

// Result is the outcome of Check or Apply.
type Result struct {
	Changed bool   // something changed (or, from Check, would change)
	Failed  bool   // the module judged the outcome a failure
	Skipped bool   // the module decided there was nothing to do here
	Msg     string // one line for the operator
	Diffs   []Diff // what changed, shown with --diff

	// Values are registered beside changed/failed/skipped/msg when the task
	// has `register`, e.g. rc and stdout for command.
	Values map[string]any

	// Secrets are values learnt at run time that must never be shown
	// (tenant tokens from the API); the engine redacts them everywhere.
	Secrets []string
}

// Diff is the before and after state of one object (a file, a registry
// value). The engine renders it as a unified diff.
type Diff struct {
	Path   string
	Before string
	After  string
}
