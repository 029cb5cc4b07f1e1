package main

import "fmt"

type validateCmd struct {
	planFlags
}

// Run compiles the playbook and reports the result; it contacts no host.
func (c *validateCmd) Run(e *env) error {
	plan, err := c.compile()
	if err != nil {
		return err
	}
	hosts := len(plan.Hosts)
	fmt.Fprintf(e.stdout, "%s: OK: %d phases, %d hosts\n", plan.File, len(plan.Phases), hosts)
	return nil
}
