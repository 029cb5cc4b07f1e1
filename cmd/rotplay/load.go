package main

import (
	"errors"
	"io/fs"
	"os"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/rotplay/rotplay/diag"
	"github.com/rotplay/rotplay/engine"
	"github.com/rotplay/rotplay/inventory"
	"github.com/rotplay/rotplay/playbook"
	"github.com/rotplay/rotplay/transport"
	"github.com/rotplay/rotplay/transport/ssh"
	"github.com/rotplay/rotplay/transport/winrm"
)

// planFlags are the inputs every command that compiles a playbook takes.
type planFlags struct {
	Playbook  string   `arg:"" help:"The playbook file (YAML)."`
	Inventory string   `short:"i" help:"Inventory file (Ansible YAML or INI format; group_vars/ and host_vars/ beside it are read). Overrides the playbook's inventory: key." placeholder:"FILE"`
	Limit     string   `short:"l" help:"Only run on hosts matching this pattern (e.g. 'activegates:!ag-dmz-*'). Controller phases always run." placeholder:"PATTERN"`
	ExtraVars []string `short:"e" name:"extra-vars" sep:"none" help:"Set variables, highest precedence: KEY=VALUE (a string), '{key: value, ...}' (YAML, typed) or @FILE (a YAML mapping). Repeatable." placeholder:"KEY=VALUE"`
	StateDir  string   `name:"state-dir" env:"ROTPLAY_STATE_DIR" help:"Where rotation state (the new token between start and finish) is kept, mode 0700. Default: $XDG_STATE_HOME/rotplay or ~/.local/state/rotplay." placeholder:"DIR"`
}

// compile loads and compiles the playbook. Every problem it finds is a
// usage error: nothing has run.
func (f *planFlags) compile() (*engine.Plan, error) {
	var errs diag.List
	extra, err := parseExtraVars(f.ExtraVars)
	errs.Add(diag.Pos{File: "-e"}, err)
	pb, err := playbook.Load(f.Playbook)
	if pb == nil {
		return nil, usageErr(errs, "playbook", err)
	}
	// Structural errors do not stop compilation: report everything at once.
	errs.Add(diag.Pos{}, err)
	inv, err := f.loadInventory(pb)
	if err != nil {
		return nil, usageErr(errs, "inventory", err)
	}
	ds := dialers(ssh.Options{}, winrm.Options{})
	plan, err := engine.Compile(pb, inv, engine.CompileOptions{
		Modules: moduleRegistry(f.StateDir), Connections: connectionNames(ds),
		ExtraVars: extra, Limit: f.Limit,
	})
	errs.Add(diag.Pos{}, err)
	if plan != nil {
		checkTargets(&errs, plan, ds)
	}
	if len(errs) > 0 {
		return nil, errs.Err()
	}
	return plan, nil
}

// checkTargets adds to errs what each host's transport would refuse when
// connecting (a variable of the wrong kind, a bad ProxyJump, a WinRM host
// without a password...), at the host's place in the inventory: found
// now, nothing has started.
func checkTargets(errs *diag.List, plan *engine.Plan, ds map[string]transport.Dialer) {
	for _, h := range plan.Hosts {
		c, ok := ds[h.Connection].(transport.TargetChecker)
		if h.Controller || !ok {
			continue
		}
		if err := c.CheckTarget(h.Target); err != nil {
			errs.Add(h.Pos, diag.Errorf(h.Pos, "host %s: %v", h.Name, err).
				WithHint("correct the host's connection variables in the inventory (or its -e); nothing has run"))
		}
	}
}

// usageErr adds err to errs; an unreadable file names the file, says what
// it was for and what to check.
func usageErr(errs diag.List, what string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = diag.Errorf(diag.Pos{File: pe.Path}, "cannot read the %s: %v", what, pe.Err).
			WithHint("check the path; relative paths are from the current directory, a playbook's inventory: from the playbook's")
	}
	errs.Add(diag.Pos{}, err)
	return &usageError{errs.Err()}
}

// loadInventory loads -i, else the playbook's inventory: key, else nothing.
func (f *planFlags) loadInventory(pb *playbook.Playbook) (*inventory.Inventory, error) {
	path := f.Inventory
	if path == "" {
		path = engine.InventoryPath(pb)
	}
	if path == "" {
		return nil, nil
	}
	return inventory.Load(path)
}

var varName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// parseExtraVars reads -e values: KEY=VALUE gives a string, @FILE a YAML
// mapping from a file, {...} an inline YAML/JSON mapping (typed values,
// as in Ansible); later ones override earlier ones.
func parseExtraVars(args []string) (map[string]any, error) {
	out := map[string]any{}
	var errs diag.List
	for _, a := range args {
		if file, ok := strings.CutPrefix(a, "@"); ok {
			errs.Add(diag.Pos{File: file}, readVarsFile(file, out))
			continue
		}
		if strings.HasPrefix(strings.TrimSpace(a), "{") {
			errs.Add(diag.Pos{File: "-e"}, mergeVars("-e", []byte(a), out))
			continue
		}
		k, v, ok := strings.Cut(a, "=")
		if !ok || !varName.MatchString(k) {
			errs.Addf(diag.Pos{File: "-e"}, "%q is not KEY=VALUE or @FILE", a).
				WithHint("write -e name=value; names use letters, digits and _")
			continue
		}
		out[k] = v
	}
	return out, errs.Err()
}

func readVarsFile(file string, out map[string]any) error {
	data, err := os.ReadFile(file)
	if err != nil {
		return diag.Errorf(diag.Pos{File: "-e"}, "read vars file: %v", err)
	}
	return mergeVars(file, data, out)
}

// mergeVars decodes a YAML mapping of variables into out.
func mergeVars(source string, data []byte, out map[string]any) error {
	var m map[string]any
	if err := yaml.Unmarshal(data, &m); err != nil {
		return diag.Errorf(diag.Pos{File: source}, "extra vars must be a YAML mapping: %v", err).
			WithHint(`e.g. -e '{finish_rotation: false}' or -e @vars.yaml`)
	}
	for k, v := range m {
		if !varName.MatchString(k) {
			return diag.Errorf(diag.Pos{File: source}, "variable name %q is not valid", k)
		}
		out[k] = v
	}
	return nil
}
