// Package playbook owns the playbook file: its format and parsing into an
// AST that keeps the position of every value. It checks structure only
// (known keys, types, exactly one module per task); the engine's compiler
// checks meaning (modules, hosts, variables) against the inventory.
package playbook

import (
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/rotplay/rotplay/diag"
)

// Controller is the `hosts:` value that runs a phase on the machine rotplay
// runs on, for API work.
const Controller = "controller"

// Playbook is a parsed playbook file.
type Playbook struct {
	File      string // path as given
	Name      string
	Inventory string // path relative to the playbook's directory as written; "" if none
	InvPos    diag.Pos
	// Defaults have the lowest precedence: inventory vars override them.
	// Vars override the inventory.
	Defaults []Var
	Vars     []Var
	Phases   []*Phase
}

// Var is one variable definition. Value is the YAML node as written; string
// scalars may hold templates.
type Var struct {
	Name  string
	Value *yaml.Node
	Pos   diag.Pos
}

// Phase is a set of tasks run on a set of hosts, with a barrier after it.
type Phase struct {
	Name     string
	Pos      diag.Pos
	Hosts    string // an inventory pattern, or Controller
	HostsPos diag.Pos
	Vars     []Var
	Forks    int // 0: not set
	// MaxFailPercentage is the share of the phase's hosts that may fail or
	// be unreachable without stopping the run; nil: not set (no failure
	// allowed).
	MaxFailPercentage *float64
	MaxFailPos        diag.Pos
	Tasks             []*Task
}

// Task names one module with its arguments, plus task keywords.
type Task struct {
	Name      string
	Pos       diag.Pos // the task's first key
	Module    string
	ModulePos diag.Pos
	Args      *yaml.Node // the module's arguments; nil when none given

	When         Cond
	ChangedWhen  Cond
	FailedWhen   Cond
	Register     string
	RegisterPos  diag.Pos
	Retries      int
	Delay        time.Duration // between attempts; DelaySet tells if given
	DelaySet     bool
	Timeout      time.Duration // per attempt; 0: none
	IgnoreErrors bool
	NoLog        bool
	// CheckMode forces the task's mode: true always checks (never changes),
	// false always applies, even under --check; nil follows the run.
	CheckMode *bool
}

// Cond is an expression given in a task keyword, with its position.
type Cond struct {
	Src string // "" when not given
	Pos diag.Pos
}

// Title returns the task's name, or "module" when it has none.
func (t *Task) Title() string {
	if t.Name != "" {
		return t.Name
	}
	return t.Module
}
