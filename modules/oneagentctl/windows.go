package oneagentctl

import (
	"bytes"
	"context"
	_ "embed"

	"github.com/rotplay/rotplay/internal/powershell"
	"github.com/rotplay/rotplay/transport"
)

//go:embed oneagentctl.ps1
var windowsScriptText string

// WindowsScript is what the module runs on Windows hosts, where there is no
// POSIX sh: one oneagentctl.exe call per run, arguments and token as JSON on
// stdin. Simulated Windows hosts emulate it.
var WindowsScript = powershell.MustScript(windowsScriptText)

// windowsInput is WindowsScript's stdin.
type windowsInput struct {
	Path  string   `json:"path"`
	Args  []string `json:"args"`
	Token string   `json:"token,omitempty"`
}

// runWindows runs oneagentctl.exe args (with --set-tenant-token=token first
// when token is set) through WindowsScript.
func (c *ctl) runWindows(ctx context.Context, args []string, token string) (transport.Result, error) {
	line, err := WindowsScript.Command()
	if err != nil {
		return transport.Result{}, err
	}
	in, err := powershell.Input(windowsInput{Path: c.path, Args: args, Token: token})
	if err != nil {
		return transport.Result{}, err
	}
	out, err := c.conn.Run(ctx, transport.Command{Line: line, Stdin: bytes.NewReader(in)})
	out.Stderr = []byte(powershell.CleanStderr(string(out.Stderr)))
	return out, err
}
