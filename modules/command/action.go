package command

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/rotplay/rotplay/modules"
	"github.com/rotplay/rotplay/transport"
)

// action is one decoded command task.
type action struct {
	line    string  // the sh command line
	argv    bool    // line was quoted from argv, for POSIX sh
	dir     string  // "" means the login directory
	stdin   *string // nil means empty stdin
	creates string  // "" when not given
	removes string  // "" when not given
}

var _ modules.Action = (*action)(nil)

// Check never runs the command. It can only tell when creates or removes
// decide: a command's own effect cannot be known without running it.
func (a *action) Check(ctx context.Context, h modules.Host) (modules.Result, error) {
	if res, skip, err := a.guard(ctx, h.Conn); err != nil || skip {
		return res, err
	}
	switch {
	case a.creates != "":
		return modules.Result{Changed: true, Msg: fmt.Sprintf("would run (creates %s is absent)", a.creates)}, nil
	case a.removes != "":
		return modules.Result{Changed: true, Msg: fmt.Sprintf("would run (removes %s is present)", a.removes)}, nil
	}
	return modules.Result{Skipped: true, Msg: "not run in check mode: a command's effect cannot be predicted"}, nil
}

// Apply runs the command unless creates or removes say it is not needed.
// A command that ran is Changed; a non-zero exit code makes it Failed, with
// its output still in Values for register.
func (a *action) Apply(ctx context.Context, h modules.Host) (modules.Result, error) {
	if res, skip, err := a.guard(ctx, h.Conn); err != nil || skip {
		return res, err
	}
	if a.argv && h.Conn.Facts().OS == "windows" {
		return modules.Result{}, errors.New("argv is quoted for a POSIX sh, but the host runs Windows: use cmd")
	}
	cmd := transport.Command{Line: a.line, Dir: a.dir}
	if a.stdin != nil {
		cmd.Stdin = strings.NewReader(*a.stdin)
	}
	out, err := h.Conn.Run(ctx, cmd)
	if err != nil {
		return modules.Result{}, err
	}
	return result(a.line, out), nil
}

// guard reports whether creates or removes make the command unnecessary,
// with the Result that says why.
func (a *action) guard(ctx context.Context, c transport.Conn) (modules.Result, bool, error) {
	if a.creates != "" {
		found, err := exists(ctx, c, a.creates)
		if err != nil {
			return modules.Result{}, false, err
		}
		if found {
			return modules.Result{Skipped: true, Msg: a.creates + " exists"}, true, nil
		}
	}
	if a.removes != "" {
		found, err := exists(ctx, c, a.removes)
		if err != nil {
			return modules.Result{}, false, err
		}
		if !found {
			return modules.Result{Skipped: true, Msg: a.removes + " does not exist"}, true, nil
		}
	}
	return modules.Result{}, false, nil
}

func exists(ctx context.Context, c transport.Conn, path string) (bool, error) {
	_, err := c.Stat(ctx, path)
	switch {
	case err == nil:
		return true, nil
	case transport.IsNotExist(err):
		return false, nil
	}
	return false, fmt.Errorf("check whether %s exists: %w", path, err)
}
