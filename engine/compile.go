package engine

import (
	"fmt"
	"path/filepath"
	"sort"

	"github.com/rotplay/rotplay/diag"
	"github.com/rotplay/rotplay/inventory"
	"github.com/rotplay/rotplay/modules"
	"github.com/rotplay/rotplay/playbook"
	"github.com/rotplay/rotplay/tmpl"
)

// CompileOptions are the inputs to Compile besides the playbook.
type CompileOptions struct {
	Modules     *modules.Registry
	Connections []string       // connection types the run can dial
	ExtraVars   map[string]any // -e; highest precedence
	Limit       string         // --limit pattern; "" for none
}

// CheckModeVar is true in expressions under --check, as in Ansible.
const CheckModeVar = "ansible_check_mode"

// builtins are names every expression may use without defining them.
var builtins = append([]string{"host", CheckModeVar}, tmpl.Functions...)

// Compile checks pb against inv and returns the plan. inv may be nil when
// every phase runs on the controller. All problems are reported together as
// a diag.List; no host is contacted.
func Compile(pb *playbook.Playbook, inv *inventory.Inventory, opts CompileOptions) (*Plan, error) {
	c := &compiler{pb: pb, inv: inv, opts: opts, hosts: map[string]*Host{}}
	plan := &Plan{Name: pb.Name, File: pb.File, extra: opts.ExtraVars}
	c.limitSet()
	plan.defaults = c.vars(pb.Defaults)
	plan.vars = c.vars(pb.Vars)
	for i, ph := range pb.Phases {
		plan.Phases = append(plan.Phases, c.phase(i+1, ph))
	}
	plan.Hosts = c.orderedHosts()
	c.checkNames(plan)
	if err := c.errs.Err(); err != nil {
		return nil, err
	}
	return plan, nil
}

type compiler struct {
	pb    *playbook.Playbook
	inv   *inventory.Inventory
	opts  CompileOptions
	errs  diag.List
	hosts map[string]*Host
	limit map[string]bool // nil: no --limit
	order []string
}

// InventoryPath returns the inventory path a playbook names, resolved
// relative to the playbook's directory, or "".
func InventoryPath(pb *playbook.Playbook) string {
	if pb.Inventory == "" || filepath.IsAbs(pb.Inventory) {
		return pb.Inventory
	}
	return filepath.Join(filepath.Dir(pb.File), pb.Inventory)
}

func (c *compiler) limitSet() {
	if c.opts.Limit == "" {
		return
	}
	c.limit = map[string]bool{}
	if c.inv == nil {
		c.errs.Addf(diag.Pos{File: "--limit"}, "--limit %q needs an inventory", c.opts.Limit).
			WithHint("give one with -i or `inventory:` in the playbook")
		return
	}
	hosts, err := c.inv.Select(c.opts.Limit)
	if err != nil {
		c.errs.Add(diag.Pos{}, at(diag.Pos{File: "--limit"}, err))
		return
	}
	for _, h := range hosts {
		c.limit[h.Name] = true
	}
}

func (c *compiler) phase(index int, ph *playbook.Phase) *Phase {
	p := &Phase{Index: index, Name: ph.Name, Pattern: ph.Hosts, Pos: ph.Pos, Forks: ph.Forks,
		MaxFailPercentage: ph.MaxFailPercentage}
	if p.Name == "" {
		p.Name = fmt.Sprintf("phase %d", index)
	}
	p.vars = c.vars(ph.Vars)
	p.Hosts, p.Excluded = c.selectHosts(ph)
	p.Limited = len(p.Excluded) > 0
	for i, t := range ph.Tasks {
		if task := c.task(i+1, t, p); task != nil {
			p.Tasks = append(p.Tasks, task)
		}
	}
	return p
}

func (c *compiler) orderedHosts() []*Host {
	out := make([]*Host, 0, len(c.order))
	for _, n := range c.order {
		out = append(out, c.hosts[n])
	}
	return out
}

func (c *compiler) moduleNames() []string {
	names := append([]string(nil), c.opts.Modules.Names()...)
	return append(names, playbook.TaskKeywords...)
}

func (c *compiler) task(index int, t *playbook.Task, p *Phase) *Task {
	if t.Module == "" {
		return nil
	}
	m, ok := c.opts.Modules.Lookup(t.Module)
	if !ok {
		e := c.errs.Addf(t.ModulePos, "unknown module %q", t.Module)
		if s := diag.Suggest(t.Module, c.moduleNames()); s != "" {
			e.WithHint("did you mean %q?", s)
		} else {
			e.WithHint("known modules: %v", c.opts.Modules.Names())
		}
		return nil
	}
	if m.Info().Controller && !p.Controller() && len(p.Hosts) > 0 {
		c.errs.Addf(t.ModulePos, "module %s runs only on the controller, but phase %q targets %q",
			t.Module, p.Name, p.Pattern).WithHint("move the task to a phase with `hosts: %s`", playbook.Controller)
	}
	if _, err := m.Decode(c.pb.File, t.Args); err != nil {
		c.errs.Add(t.ModulePos, err)
	}
	task := &Task{Index: index, Name: t.Name, ModuleName: t.Module, Module: m, Pos: t.Pos,
		Register: t.Register, Retries: t.Retries, Delay: t.Delay, Timeout: t.Timeout,
		IgnoreErrors: t.IgnoreErrors, NoLog: t.NoLog, CheckMode: t.CheckMode, file: c.pb.File}
	if !t.DelaySet {
		task.Delay = DefaultDelay
	}
	task.When = c.cond(t.When)
	task.ChangedWhen = c.cond(t.ChangedWhen)
	task.FailedWhen = c.cond(t.FailedWhen)
	if t.Args != nil {
		task.args = c.value("", t.Args)
	}
	return task
}

func (c *compiler) cond(cd playbook.Cond) *tmpl.Expr {
	if cd.Src == "" {
		return nil
	}
	e, err := tmpl.ParseExpr(cd.Src)
	if err != nil {
		c.errs.Addf(cd.Pos, "%v", err).WithHint(`expressions use expr syntax, e.g. host.os == "linux" && retries > 0`)
		return nil
	}
	return e
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
