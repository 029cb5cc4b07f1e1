package engine

import (
	"fmt"
	"sort"
	"strings"

	"github.com/rotplay/rotplay/diag"
	"github.com/rotplay/rotplay/tmpl"
)

// use is one place that needs variables: a var definition, task arguments
// or a condition.
type use struct {
	pos   diag.Pos
	what  string
	names []string
}

// undefined collects, per place and name, the hosts lacking the name.
type undefined struct {
	pos   diag.Pos
	what  string
	name  string
	hosts []string
}

// checkNames reports variables that an expression needs and that cannot be
// defined when it runs, host by host: the set of names a host will have is
// known at compile time (inventory, vars, -e, registered results of earlier
// tasks).
func (c *compiler) checkNames(plan *Plan) {
	found := map[string]*undefined{}
	var order []string
	regs := registrations(plan)
	for _, h := range plan.Hosts {
		for _, u := range c.missingFor(plan, h) {
			key := u.pos.String() + "\x00" + u.name
			if found[key] == nil {
				found[key] = &undefined{pos: u.pos, what: u.what, name: u.name}
				order = append(order, key)
			}
			found[key].hosts = append(found[key].hosts, h.Name)
		}
	}
	for _, k := range order {
		c.reportUndefined(found[k], regs, len(plan.Hosts))
	}
}

// missingFor walks the plan as host h will run it and returns each use of
// a name h will not have at that point.
func (c *compiler) missingFor(plan *Plan, h *Host) []undefined {
	known := map[string]bool{}
	for _, b := range builtins {
		known[b] = true
	}
	for k := range h.Vars {
		known[k] = true
	}
	for k := range plan.extra {
		known[k] = true
	}
	var out []undefined
	check := func(u use) {
		for _, n := range u.names {
			if !known[n] {
				out = append(out, undefined{pos: u.pos, what: u.what, name: n})
			}
		}
	}
	defineVars := func(vs []*value) {
		for _, v := range vs {
			check(use{v.pos, "variable " + v.name, v.names})
			known[v.name] = true
		}
	}
	defineVars(plan.defaults)
	defineVars(plan.vars)
	for _, p := range plan.Phases {
		if p.targets(h) {
			defineVars(p.vars)
			for _, t := range p.Tasks {
				for _, u := range t.uses() {
					check(u)
				}
				if t.Register != "" {
					known[t.Register] = true
				}
			}
		}
		// What the controller registers, every host sees in later phases.
		if p.Controller() {
			for _, t := range p.Tasks {
				if t.Register != "" {
					known[t.Register] = true
				}
			}
		}
	}
	return out
}

func (p *Phase) targets(h *Host) bool {
	for _, x := range p.Hosts {
		if x == h {
			return true
		}
	}
	return false
}

// uses lists what a task needs; conditions after the module also see
// `result` and the registered name.
func (t *Task) uses() []use {
	var out []use
	title := fmt.Sprintf("task %q", t.Title())
	if t.When != nil {
		out = append(out, use{t.Pos, title + " (when)", t.When.Names()})
	}
	if t.args != nil {
		out = append(out, use{t.args.pos, title, t.args.names})
	}
	after := map[string]*tmpl.Expr{"changed_when": t.ChangedWhen, "failed_when": t.FailedWhen}
	for _, kw := range []string{"changed_when", "failed_when"} {
		if after[kw] == nil {
			continue
		}
		var names []string
		for _, n := range after[kw].Names() {
			if n != "result" && n != t.Register {
				names = append(names, n)
			}
		}
		out = append(out, use{t.Pos, title + " (" + kw + ")", names})
	}
	return out
}

type registration struct {
	task  string
	pos   diag.Pos
	phase string
}

// registrations maps each registered name to the first task registering it.
func registrations(plan *Plan) map[string]registration {
	out := map[string]registration{}
	for _, p := range plan.Phases {
		for _, t := range p.Tasks {
			if _, ok := out[t.Register]; t.Register != "" && !ok {
				out[t.Register] = registration{task: t.Title(), pos: t.Pos, phase: p.Name}
			}
		}
	}
	return out
}

func (c *compiler) reportUndefined(u *undefined, regs map[string]registration, total int) {
	e := c.errs.Addf(u.pos, "%s uses undefined variable %q%s", u.what, u.name, forHosts(u.hosts, total))
	if r, ok := regs[u.name]; ok {
		e.WithHint("%q is registered by task %q at %s, which does not run before this on those hosts; move the use after it",
			u.name, r.task, r.pos)
		return
	}
	e.WithHint("define it in vars, in the inventory, or with -e %s=VALUE; use `%s ?? default` if it is optional",
		u.name, u.name)
}

func forHosts(hosts []string, total int) string {
	if len(hosts) == total {
		return ""
	}
	sort.Strings(hosts)
	if len(hosts) > 3 {
		return fmt.Sprintf(" on hosts %s and %d more", strings.Join(hosts[:3], ", "), len(hosts)-3)
	}
	return " on hosts " + strings.Join(hosts, ", ")
}
