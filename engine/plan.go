// Package engine compiles a playbook and an inventory into a Plan (phases,
// the hosts each targets, tasks with their modules and expressions) and runs
// it: hosts of a phase concurrently up to a forks limit, each host through
// its own task list, with a barrier between phases.
//
// The engine sees modules and transports only through their interfaces;
// cmd/rotplay wires in the concrete ones.
package engine

import (
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/rotplay/rotplay/diag"
	"github.com/rotplay/rotplay/modules"
	"github.com/rotplay/rotplay/tmpl"
	"github.com/rotplay/rotplay/transport"
)

// ControllerHost is the name under which the controller appears in output.
const ControllerHost = "controller"

// Plan is a compiled playbook: everything a run needs, checked.
type Plan struct {
	Name   string
	File   string
	Phases []*Phase
	Hosts  []*Host // every host some phase targets, in inventory order

	defaults []*value // playbook defaults, in order
	vars     []*value // playbook vars, in order
	extra    map[string]any
}

// Host is a host as the plan targets it.
type Host struct {
	Name       string
	Vars       map[string]any // inventory vars, read-only
	Groups     []string
	Connection string // the transport type: "local", "ssh", "winrm"
	Target     transport.Target
	Controller bool
	Pos        diag.Pos
}

// Phase is a compiled phase.
type Phase struct {
	Index   int // 1-based
	Name    string
	Pattern string
	Pos     diag.Pos
	Hosts   []*Host // after --limit; may be empty only when --limit removed all
	// Limited is true when --limit removed hosts from this phase; Excluded
	// lists them.
	Limited  bool
	Excluded []string
	Forks    int // 0: the run's default
	// MaxFailPercentage: nil means no failure is tolerated.
	MaxFailPercentage *float64
	Tasks             []*Task

	vars []*value
}

// Controller reports whether the phase runs on the controller.
func (p *Phase) Controller() bool { return len(p.Hosts) == 1 && p.Hosts[0].Controller }

// Task is a compiled task.
type Task struct {
	Index      int // 1-based within its phase
	Name       string
	ModuleName string
	Module     modules.Module
	Pos        diag.Pos

	When, ChangedWhen, FailedWhen *tmpl.Expr
	Register                      string
	Retries                       int
	Delay                         time.Duration
	Timeout                       time.Duration
	IgnoreErrors                  bool
	NoLog                         bool
	CheckMode                     *bool // nil: follow the run's --check

	file string
	args *value // nil when no arguments
}

// Title is the task's name, or its module's when unnamed.
func (t *Task) Title() string {
	if t.Name != "" {
		return t.Name
	}
	return t.ModuleName
}

// value is a YAML value whose string scalars may hold templates, parsed at
// compile time.
type value struct {
	name  string // variable name, for vars
	node  *yaml.Node
	tpls  map[*yaml.Node]*tmpl.Template
	pos   diag.Pos
	names []string // variables its templates need
}

// ControllerVar returns a variable as the controller sees it before any
// task ran: an extra var (-e), else an inventory `all` var. Templates are
// returned unrendered. It lets the CLI learn, say, which environment a
// run is about without running anything.
func (p *Plan) ControllerVar(name string) (any, bool) {
	if v, ok := p.extra[name]; ok {
		return v, true
	}
	for _, h := range p.Hosts {
		if h.Controller {
			v, ok := h.Vars[name]
			return v, ok
		}
	}
	return nil, false
}
