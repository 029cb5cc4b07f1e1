// Package registryset is the registry_set module: it sets one value under
// HKEY_LOCAL_MACHINE on a Windows host, in the 64-bit registry view,
// reading the current kind and data first and writing only when they
// differ. ActiveGates on Windows keep their tenant token in
// HKLM\Software\Dynatrace\Dynatrace ActiveGate\common, value tenant_token.
package registryset

import (
	"context"
	_ "embed"
	"fmt"

	"go.yaml.in/yaml/v3"

	"github.com/rotplay/rotplay/internal/powershell"
	"github.com/rotplay/rotplay/modules"
	"github.com/rotplay/rotplay/modules/internal/pwsh"
	"github.com/rotplay/rotplay/secret"
)

//go:embed registry-set.ps1
var scriptText string

// Script is the PowerShell the module runs; simulated hosts emulate it.
var Script = powershell.MustScript(scriptText)

// New returns the registry_set module.
func New() modules.Module { return module{} }

type module struct{}

func (module) Info() modules.Info {
	return modules.Info{Name: "registry_set",
		Summary: "Set a registry value under HKLM on a Windows host (64-bit view), only when it differs."}
}

func (module) Decode(file string, n *yaml.Node) (modules.Action, error) {
	a, err := decode(file, n)
	if err != nil {
		return nil, err
	}
	return &action{args: a}, nil
}

type action struct{ args arguments }

// input is the script's stdin; output its answer.
type input struct {
	Key   string `json:"key"`
	Name  string `json:"name"`
	Data  string `json:"data"`
	Kind  string `json:"kind"`
	Check bool   `json:"check"`
}

type output struct {
	Existed bool   `json:"existed"`
	Kind    string `json:"kind"`
	Old     string `json:"old"`
	Changed bool   `json:"changed"`
}

func (a *action) Check(ctx context.Context, h modules.Host) (modules.Result, error) {
	return a.run(ctx, h, true)
}

func (a *action) Apply(ctx context.Context, h modules.Host) (modules.Result, error) {
	return a.run(ctx, h, false)
}

func (a *action) run(ctx context.Context, h modules.Host, check bool) (modules.Result, error) {
	if !pwsh.IsWindows(h) {
		return modules.Result{}, fmt.Errorf("registry_set runs only on Windows hosts; add when: host.os == \"windows\"")
	}
	var out output
	in := input{Key: a.args.key(), Name: a.args.Name, Data: a.args.Data, Kind: kindNames[a.args.Type], Check: check}
	if err := pwsh.Run(ctx, h.Conn, Script, in, &out); err != nil {
		return modules.Result{}, err
	}
	return a.result(out, check), nil
}

func (a *action) result(out output, check bool) modules.Result {
	where := a.args.Path + `\` + a.args.Name
	kind := regType(out.Kind)
	want := a.args.Type
	if want == "" {
		want = kind
		if !out.Existed {
			want = "REG_SZ"
		}
	}
	res := modules.Result{Changed: out.Changed,
		Values: map[string]any{"path": a.args.Path, "name": a.args.Name, "type": want, "existed": out.Existed}}
	before, after := out.Old, a.args.Data
	if a.args.secret() {
		res.Secrets = []string{out.Old, a.args.Data}
		before, after = secret.Mask(before), secret.Mask(after)
	}
	switch {
	case !out.Changed:
		res.Msg = fmt.Sprintf("already set: %s (%s)", where, kind)
		return res
	case check:
		res.Msg = fmt.Sprintf("would set %s (%s)", where, want)
	default:
		res.Msg = fmt.Sprintf("set %s (%s)", where, want)
	}
	d := modules.Diff{Path: where, After: fmt.Sprintf("%s = %s\n", want, after)}
	if out.Existed {
		d.Before = fmt.Sprintf("%s = %s\n", kind, before)
	}
	res.Diffs = []modules.Diff{d}
	return res
}
