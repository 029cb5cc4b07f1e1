package apirotate

import (
	"context"
	"errors"
	"fmt"
	"io/fs"

	"github.com/rotplay/rotplay/dynatrace"
	"github.com/rotplay/rotplay/modules"
	"github.com/rotplay/rotplay/secret"
	"github.com/rotplay/rotplay/state"
)

// CheckPlaceholder stands for the new token under --check, where no
// rotation is started, so that later tasks can show what they would change.
const CheckPlaceholder = "NEW-TENANT-TOKEN-AFTER-START"

type action struct {
	opts Options
	args arguments
}

func (a *action) Check(ctx context.Context, h modules.Host) (modules.Result, error) {
	st, err := a.stateDir()
	if err != nil {
		return modules.Result{}, err
	}
	if a.args.Action == "start" {
		if saved, err := st.LoadRotation(a.args.Environment); err == nil {
			return resumed(saved, st), nil
		}
		if a.args.ResumeOnly {
			return modules.Result{}, a.nothingToResume(st)
		}
		return modules.Result{Changed: true, Msg: "would start a tenant-token rotation on " + a.args.Environment,
			Values: tokenValues(a.args.Environment, dynatrace.Tokens{Active: CheckPlaceholder}, false)}, nil
	}
	if a.args.Action == "finish" || a.args.Action == "cancel" {
		return gated(h, a.args.Action, func() (modules.Result, error) {
			msg := fmt.Sprintf("would %s the rotation on %s", a.args.Action, a.args.Environment)
			if a.args.Action == "finish" && a.args.VerifyAPI {
				msg += a.verifyPlan(h, st)
			}
			return modules.Result{Changed: true, Msg: msg}, nil
		})
	}
	return modules.Result{Changed: true, Msg: fmt.Sprintf("would %s the rotation on %s", a.args.Action, a.args.Environment)}, nil
}

func (a *action) Apply(ctx context.Context, h modules.Host) (modules.Result, error) {
	st, err := a.stateDir()
	if err != nil {
		return modules.Result{}, err
	}
	if a.args.Action == "start" {
		if saved, err := st.LoadRotation(a.args.Environment); err == nil {
			return resumed(saved, st), nil
		} else if !errors.Is(err, fs.ErrNotExist) {
			return modules.Result{}, fmt.Errorf("read saved rotation: %w", err)
		}
		if a.args.ResumeOnly {
			return modules.Result{}, a.nothingToResume(st)
		}
	}
	if a.args.Action == "finish" || a.args.Action == "cancel" {
		if refusal, _ := gate(h.Fleet, a.args.Action); refusal != "" {
			return modules.Result{Failed: true, Msg: refusal}, nil
		}
	}
	client, apiToken, err := a.client()
	if err != nil {
		return modules.Result{}, err
	}
	var res modules.Result
	switch a.args.Action {
	case "start":
		res, err = a.start(ctx, client, st)
	case "finish":
		res, err = gated(h, "finish", func() (modules.Result, error) { return a.finish(ctx, client, h, st) })
	case "cancel":
		res, err = gated(h, "cancel", func() (modules.Result, error) { return a.end(ctx, client.CancelRotation, "cancelled", st) })
	default:
		return modules.Result{}, fmt.Errorf("unknown action %q", a.args.Action)
	}
	res.Secrets = append(res.Secrets, apiToken)
	return res, err
}

func (a *action) stateDir() (*state.Dir, error) {
	dir := a.opts.StateDir
	if dir == "" {
		var err error
		if dir, err = state.DefaultDir(); err != nil {
			return nil, err
		}
	}
	return state.Open(dir)
}

func (a *action) client() (*dynatrace.Client, string, error) {
	token, err := dynatrace.TokenFromEnvOrFile(a.args.APITokenEnv, a.args.APITokenFile)
	if err != nil {
		return nil, "", err
	}
	c, err := dynatrace.New(dynatrace.Config{URL: a.args.Environment, Token: token, CAFile: a.args.CAFile,
		HTTPClient: a.opts.HTTPClient, UserAgent: "rotplay"})
	return c, token, err
}

// start opens a rotation and saves the answer before anyone uses it. The
// state directory is proven writable first, so that a start whose answer
// cannot be saved is rare; if it still happens the task fails loudly.
func (a *action) start(ctx context.Context, c *dynatrace.Client, st *state.Dir) (modules.Result, error) {
	if err := st.WriteFileAtomic("write-probe", []byte("ok\n")); err != nil {
		return modules.Result{}, fmt.Errorf("state directory %s is not writable, so a new token could be lost; fix it before starting: %w", st.Path(), err)
	}
	// The token in force before start, from connectioninfo when the API
	// token may read it: what makes a lost start answer recoverable.
	before, _ := c.ConnectionInfo(ctx)
	toks, err := c.StartRotation(ctx)
	recovered := false
	if errors.Is(err, dynatrace.ErrOutcomeUnknown) {
		if toks, recovered = recoverLostStart(ctx, c, before.TenantToken); !recovered {
			return modules.Result{Secrets: []string{before.TenantToken}}, startError(err, a.args.Environment)
		}
	} else if err != nil {
		return modules.Result{Secrets: []string{before.TenantToken}}, startError(err, a.args.Environment)
	}
	saved := state.Rotation{Environment: a.args.Environment, StartedAt: a.opts.Now().UTC(), Active: toks.Active, Old: toks.Old}
	res := modules.Result{Changed: true, Secrets: []string{toks.Active, toks.Old},
		Values: tokenValues(a.args.Environment, toks, false)}
	if err := st.SaveRotation(saved); err != nil {
		res.Failed = true
		res.Msg = fmt.Sprintf("the rotation STARTED but saving its new token to %s failed (%v); this run still holds it: fix the state directory, then cancel the rotation (api_rotate action: cancel) and start again", st.Path(), err)
		return res, nil
	}
	res.Msg = fmt.Sprintf("rotation started on %s; new token %s saved in %s", a.args.Environment, secret.Mask(toks.Active), st.Path())
	if recovered {
		res.Msg += "; WARNING: the start answer was lost and the new token was recovered through connectioninfo " +
			"(which is inferred, not documented, to return the new token once a rotation started)"
	}
	return res, nil
}

// recoverLostStart tries to learn the new token of a start whose answer
// was lost: once a rotation has started, connectioninfo is believed to
// return the new token (dynatrace.md §2, inferred). It only trusts an
// answer that differs from the token read just before start, and needs the
// API token's InstallerDownload scope; otherwise it gives up, and the
// error says to cancel.
func recoverLostStart(ctx context.Context, c *dynatrace.Client, before string) (dynatrace.Tokens, bool) {
	if before == "" {
		return dynatrace.Tokens{}, false
	}
	after, err := c.ConnectionInfo(ctx)
	if err != nil || after.TenantToken == "" || after.TenantToken == before {
		return dynatrace.Tokens{}, false
	}
	return dynatrace.Tokens{Active: after.TenantToken, Old: before}, true
}

func startError(err error, env string) error {
	switch {
	case errors.Is(err, dynatrace.ErrRotationInProgress):
		return fmt.Errorf("a rotation is already in progress on %s and its new token is not saved here "+
			"(started by another tool or machine, or its answer was lost): finish it where it was started, "+
			"or cancel it (api_rotate action: cancel) and start again: %w", env, err)
	case errors.Is(err, dynatrace.ErrOutcomeUnknown):
		return fmt.Errorf("start rotation on %s: %w", env, err)
	}
	return fmt.Errorf("start rotation on %s: %w", env, err)
}

// finish runs verify_api when asked, and calls finish only when it passed.
func (a *action) finish(ctx context.Context, c *dynatrace.Client, h modules.Host, st *state.Dir) (modules.Result, error) {
	note := ""
	if a.args.VerifyAPI {
		refusal, ok, err := a.verify(ctx, c, h, st)
		if err != nil || refusal != "" {
			return modules.Result{Failed: refusal != "", Msg: refusal}, err
		}
		note = ok
	}
	res, err := a.end(ctx, c.FinishRotation, "finished", st)
	if err == nil {
		res.Msg += note
	}
	return res, err
}

func (a *action) end(ctx context.Context, call func(context.Context) (dynatrace.Tokens, error), done string, st *state.Dir) (modules.Result, error) {
	toks, err := call(ctx)
	if err != nil {
		if errors.Is(err, dynatrace.ErrNoRotation) {
			return modules.Result{}, fmt.Errorf("no rotation is in progress on %s, nothing to %s: %w", a.args.Environment, a.args.Action, err)
		}
		return modules.Result{}, fmt.Errorf("%s rotation on %s: %w", a.args.Action, a.args.Environment, err)
	}
	res := modules.Result{Changed: true, Secrets: []string{toks.Active, toks.Old},
		Msg:    fmt.Sprintf("rotation %s on %s; active token %s", done, a.args.Environment, secret.Mask(toks.Active)),
		Values: tokenValues(a.args.Environment, toks, false)}
	if err := st.ClearRotation(a.args.Environment); err != nil && !errors.Is(err, fs.ErrNotExist) {
		res.Msg += fmt.Sprintf("; clearing the saved state failed: %v", err)
	}
	return res, nil
}

func resumed(r state.Rotation, st *state.Dir) modules.Result {
	return modules.Result{
		Msg: fmt.Sprintf("resuming the rotation started %s (new token %s, saved in %s)",
			r.StartedAt.Format("2006-01-02 15:04:05 MST"), secret.Mask(r.Active), st.Path()),
		Secrets: []string{r.Active, r.Old},
		Values:  tokenValues(r.Environment, dynatrace.Tokens{Active: r.Active, Old: r.Old}, true),
	}
}

func tokenValues(env string, t dynatrace.Tokens, resumed bool) map[string]any {
	return map[string]any{"active": t.Active, "old": t.Old, "environment": env, "resumed": resumed,
		"active_fingerprint": secret.Fingerprint(t.Active)}
}

func (a *action) nothingToResume(st *state.Dir) error {
	return fmt.Errorf("no rotation of %s is saved in %s, so there is nothing to roll back or resume "+
		"(its tokens are only known to the state directory of the machine that started it)", a.args.Environment, st.Path())
}
