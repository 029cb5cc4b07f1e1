package main

import (
	"fmt"

	"github.com/rotplay/rotplay/engine"
	"github.com/rotplay/rotplay/playbook"
	"github.com/rotplay/rotplay/secret"
	"github.com/rotplay/rotplay/transport/ssh"
	"github.com/rotplay/rotplay/transport/winrm"
)

// compileEmbedded compiles one of rotplay's own check playbooks (audit,
// preflight: name and text) against the inventory the user's playbook
// names, with the user's -e vars and --limit, plus extra. dt_tenant comes
// from the API (tenant) when the user's playbook and inventory give none.
func (f *planFlags) compileEmbedded(user *engine.Plan, name, text, tenant string, extra map[string]any) (*engine.Plan, error) {
	pb, err := playbook.Load(f.Playbook)
	if err != nil {
		return nil, err
	}
	inv, err := f.loadInventory(pb)
	if err != nil {
		return nil, &usageError{err}
	}
	vars, err := parseExtraVars(f.ExtraVars)
	if err != nil {
		return nil, &usageError{err}
	}
	for k, v := range extra {
		vars[k] = v
	}
	if controllerString(user, "dt_tenant") == "" {
		vars["dt_tenant"] = tenant
	}
	embedded, err := playbook.Parse("(rotplay "+name+")", []byte(text))
	if err != nil {
		return nil, fmt.Errorf("%s playbook: %w", name, err)
	}
	return engine.Compile(embedded, inv, engine.CompileOptions{
		Modules: moduleRegistry(f.StateDir), Connections: connectionNames(dialers(ssh.Options{}, winrm.Options{})),
		ExtraVars: vars, Limit: f.Limit,
	})
}

// runChecks runs plan in check mode over the real transports, reporting
// to obs. Failures are the observer's to collect: they are findings, not
// errors of the command.
func runChecks(e *env, plan *engine.Plan, forks int, knownHosts []string, secrets *secret.Redactor, obs engine.Observer) {
	add := func(s string) { secrets.Add(s) }
	r := &engine.Runner{Check: true, Forks: max(forks, 1), Secrets: secrets, Observer: obs,
		Dialers: dialers(ssh.Options{KnownHostsFiles: knownHosts, Secrets: add}, winrm.Options{Secrets: add})}
	r.Run(e.ctx, plan)
}
