package winrm

import (
	"context"
	"fmt"
	"strings"

	"github.com/rotplay/rotplay/transport"
)

// Run implements transport.Conn. The host runs cmd.Line with `cmd.exe /c`:
// cmd.exe's syntax and quoting, %VARS% expanded, 8,191 characters at most
// (longer lines fail with exit 1 and "The command line is too long.").
// With cmd.Dir the line becomes `cd /d "DIR" && LINE`; a missing
// directory is a non-zero exit, not an error. cmd.exe's & binds looser
// than &&, so in a LINE of the form `a & b`, b runs even when the cd
// failed: write such a line as (a & b). All of cmd.Stdin is sent before
// output is collected, as Ansible does; it is read to its end. When ctx
// ends, Run returns at once and the command is terminated.
func (c *conn) Run(ctx context.Context, cmd transport.Command) (transport.Result, error) {
	line, err := runLine(cmd)
	if err == nil {
		var out outcome
		if out, err = c.execute(ctx, line, cmd.Stdin); err == nil {
			return transport.Result{ExitCode: out.code, Stdout: out.stdout, Stderr: out.stderr}, nil
		}
	}
	return transport.Result{}, fmt.Errorf("run command on %s: %w", c.h.name, err)
}

// runLine is cmd as one cmd.exe command line.
func runLine(cmd transport.Command) (string, error) {
	if cmd.Dir == "" {
		return cmd.Line, nil
	}
	if strings.ContainsAny(cmd.Dir, "\"\r\n") {
		return "", fmt.Errorf("working directory %q: a Windows path holds no quote or line break", cmd.Dir)
	}
	return `cd /d "` + cmd.Dir + `" && ` + cmd.Line, nil
}
