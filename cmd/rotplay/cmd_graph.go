package main

import "github.com/rotplay/rotplay/ui"

type graphCmd struct {
	planFlags
	Format string `help:"Output format: text, dot (Graphviz) or mermaid." enum:"text,dot,mermaid" default:"text"`
	Forks  int    `help:"Forks to show for phases that set none." default:"1000"`
}

// Run compiles the playbook and draws the plan; it contacts no host.
func (c *graphCmd) Run(e *env) error {
	plan, err := c.compile()
	if err != nil {
		return err
	}
	return ui.WriteGraph(e.stdout, plan, c.Format, c.Forks)
}
