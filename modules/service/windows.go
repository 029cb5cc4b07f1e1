package service

import (
	"context"
	_ "embed"
	"fmt"

	"github.com/rotplay/rotplay/internal/powershell"
	"github.com/rotplay/rotplay/modules"
	"github.com/rotplay/rotplay/modules/internal/pwsh"
)

//go:embed service.ps1
var windowsScriptText string

// WindowsScript is what the module runs on Windows hosts: query, act and
// wait in one round trip. Simulated Windows hosts emulate it.
var WindowsScript = powershell.MustScript(windowsScriptText)

type windowsInput struct {
	Name    string  `json:"name"`
	State   string  `json:"state"`
	Timeout float64 `json:"timeout"`
	Check   bool    `json:"check"`
}

type windowsOutput struct {
	Name    string `json:"name"`
	Before  string `json:"before"`
	After   string `json:"after"`
	Changed bool   `json:"changed"`
}

// windows serves Check (check true) and Apply on a Windows host. The
// service manager's refusals (not found, access denied, did not start in
// time) fail the task with the script's message.
func (a *action) windows(ctx context.Context, h modules.Host, check bool) (modules.Result, error) {
	in := windowsInput{Name: a.args.Name, State: a.args.State, Timeout: a.timeout.Seconds(), Check: check}
	var out windowsOutput
	if err := pwsh.Run(ctx, h.Conn, WindowsScript, in, &out); err != nil {
		if ctx.Err() != nil {
			return modules.Result{}, err
		}
		return modules.Result{Failed: true, Msg: err.Error(), Values: map[string]any{"name": a.args.Name, "manager": "windows"}}, nil
	}
	state := "stopped"
	if out.After == "Running" {
		state = "started"
	}
	res := modules.Result{Changed: out.Changed,
		Values: map[string]any{"name": a.args.Name, "state": state, "manager": "windows"}}
	switch {
	case !out.Changed:
		res.Msg = fmt.Sprintf("already %s (windows)", a.goal())
	case check:
		res.Msg = fmt.Sprintf("would %s (windows, now %s)", verbs[a.args.State], out.Before)
	default:
		res.Msg = fmt.Sprintf("%s (windows, was %s, now %s)", a.args.State, out.Before, out.After)
	}
	return res, nil
}
