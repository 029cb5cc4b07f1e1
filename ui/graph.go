package ui

import (
	"fmt"
	"io"
	"strings"

	"github.com/rotplay/rotplay/engine"
)

// GraphFormats are the formats WriteGraph knows.
var GraphFormats = []string{"text", "dot", "mermaid"}

// WriteGraph draws the compiled plan: phases in order, the hosts each
// targets, their tasks, and the barriers between phases.
func WriteGraph(w io.Writer, plan *engine.Plan, format string, forks int) error {
	switch format {
	case "text":
		graphText(w, plan, forks)
	case "dot":
		graphDot(w, plan)
	case "mermaid":
		graphMermaid(w, plan)
	default:
		return fmt.Errorf("unknown graph format %q (use one of %s)", format, strings.Join(GraphFormats, ", "))
	}
	return nil
}

func graphText(w io.Writer, plan *engine.Plan, forks int) {
	fmt.Fprintf(w, "playbook %q (%s)\n", plan.Name, plan.File)
	for i, p := range plan.Phases {
		if i > 0 {
			fmt.Fprintln(w, "    ║ barrier: every host above finishes before any host below starts")
		}
		fmt.Fprintf(w, "phase %d: %s\n", p.Index, p.Name)
		fmt.Fprintf(w, "  hosts: %s -> %s\n", p.Pattern, hostList(p, 8))
		fmt.Fprintf(w, "  forks: %d, %s\n", phaseForks(p, forks), failPolicy(p))
		for _, t := range p.Tasks {
			fmt.Fprintf(w, "  %d. %s [%s]%s\n", t.Index, t.Title(), t.ModuleName, taskNotes(t))
		}
	}
}

func hostList(p *engine.Phase, most int) string {
	names := make([]string, 0, len(p.Hosts))
	for _, h := range p.Hosts {
		names = append(names, h.Name)
	}
	s := fmt.Sprintf("%d host(s)", len(names))
	if len(names) > 0 {
		shown := names[:min(len(names), most)]
		s += ": " + strings.Join(shown, ", ")
		if len(names) > most {
			s += fmt.Sprintf(", … %d more", len(names)-most)
		}
	}
	if p.Limited {
		s += " (after --limit)"
	}
	return s
}

func phaseForks(p *engine.Phase, forks int) int {
	if forks <= 0 {
		forks = engine.DefaultForks
	}
	if p.Forks > 0 && p.Forks < forks {
		forks = p.Forks
	}
	return min(forks, max(len(p.Hosts), 1))
}

func failPolicy(p *engine.Phase) string {
	if p.MaxFailPercentage == nil {
		return "any failure stops the run at the barrier"
	}
	return fmt.Sprintf("stops if over %.4g%% of hosts fail", *p.MaxFailPercentage)
}

func taskNotes(t *engine.Task) string {
	var notes []string
	if t.When != nil {
		notes = append(notes, "when: "+t.When.Source())
	}
	if t.Register != "" {
		notes = append(notes, "register: "+t.Register)
	}
	if t.Retries > 0 {
		notes = append(notes, fmt.Sprintf("retries: %d every %s", t.Retries, t.Delay))
	}
	if t.Timeout > 0 {
		notes = append(notes, fmt.Sprintf("timeout: %s", t.Timeout))
	}
	if t.IgnoreErrors {
		notes = append(notes, "ignore_errors")
	}
	if t.CheckMode != nil && *t.CheckMode {
		notes = append(notes, "check only")
	}
	if len(notes) == 0 {
		return ""
	}
	return "  (" + strings.Join(notes, "; ") + ")"
}

func graphDot(w io.Writer, plan *engine.Plan) {
	fmt.Fprintf(w, "digraph rotplay {\n  label=%s;\n  rankdir=TB;\n  node [shape=box];\n", quote(plan.Name))
	prev := ""
	for _, p := range plan.Phases {
		if prev != "" {
			b := fmt.Sprintf("barrier%d", p.Index-1)
			fmt.Fprintf(w, "  %s [shape=diamond, label=\"barrier\"];\n  %s -> %s;\n", b, prev, b)
			prev = b
		}
		fmt.Fprintf(w, "  subgraph cluster_p%d {\n    label=%s;\n", p.Index,
			quote(fmt.Sprintf("%d. %s\nhosts: %s (%d)", p.Index, p.Name, p.Pattern, len(p.Hosts))))
		for _, t := range p.Tasks {
			fmt.Fprintf(w, "    p%dt%d [label=%s];\n", p.Index, t.Index, quote(t.Title()+"\n"+t.ModuleName))
		}
		fmt.Fprintln(w, "  }")
		for _, t := range p.Tasks {
			id := fmt.Sprintf("p%dt%d", p.Index, t.Index)
			if prev != "" {
				fmt.Fprintf(w, "  %s -> %s;\n", prev, id)
			}
			prev = id
		}
	}
	fmt.Fprintln(w, "}")
}

func graphMermaid(w io.Writer, plan *engine.Plan) {
	fmt.Fprintln(w, "flowchart TD")
	prev := ""
	for _, p := range plan.Phases {
		if prev != "" {
			b := fmt.Sprintf("b%d", p.Index-1)
			fmt.Fprintf(w, "  %s --> %s{\"barrier\"}\n", prev, b)
			prev = b
		}
		fmt.Fprintf(w, "  subgraph p%d[%s]\n", p.Index,
			mquote(fmt.Sprintf("%d. %s — %s (%d hosts)", p.Index, p.Name, p.Pattern, len(p.Hosts))))
		for _, t := range p.Tasks {
			fmt.Fprintf(w, "    p%dt%d[%s]\n", p.Index, t.Index, mquote(t.Title()+" ("+t.ModuleName+")"))
		}
		fmt.Fprintln(w, "  end")
		for _, t := range p.Tasks {
			id := fmt.Sprintf("p%dt%d", p.Index, t.Index)
			if prev != "" {
				fmt.Fprintf(w, "  %s --> %s\n", prev, id)
			}
			prev = id
		}
	}
}

func quote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	return `"` + r.Replace(s) + `"`
}

func mquote(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, "#quot;") + `"`
}
