package apirotate

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"time"

	"github.com/rotplay/rotplay/dynatrace"
	"github.com/rotplay/rotplay/fleetcheck"
	"github.com/rotplay/rotplay/modules"
	"github.com/rotplay/rotplay/state"
)

// verify_api (dynatrace.md §5): before finish, poll the OneAgent and
// ActiveGate lists until every host the fleet verified is seen online after
// the rotation started. That proves each came back after its restart; it
// does NOT prove which tenant token it uses (both work while the rotation is
// open): the local read-backs prove that. The bound is the saved rotation's
// StartedAt, because the fleet records no restart times: every restart of
// this rotation happened after it.

// hostsToVerify are the fleet's done hosts, less those the operator
// accepted to lose with --finish-anyway.
func hostsToVerify(f *modules.Fleet) []string {
	if f == nil {
		return nil
	}
	var out []string
	for _, h := range f.Hosts {
		if h.Status == "done" && !slices.Contains(f.FinishAnyway, h.Name) {
			out = append(out, h.Name)
		}
	}
	return out
}

// verifyPlan says, under --check, what verify_api would poll.
func (a *action) verifyPlan(h modules.Host, st *state.Dir) string {
	names := hostsToVerify(h.Fleet)
	since := "the rotation started (no rotation is saved in " + st.Path() + ", so verify_api would refuse)"
	if saved, err := st.LoadRotation(a.args.Environment); err == nil {
		since = "the rotation started at " + saved.StartedAt.UTC().Format(time.RFC3339)
	}
	return fmt.Sprintf("; first verify_api: poll GET /api/v1/oneagents and /api/v2/activeGates every %s, for up to %s, "+
		"until %d host(s) are seen online since %s: %s",
		a.opts.VerifyInterval, a.args.verifyTimeout, len(names), since, strings.Join(names, ", "))
}

// verify polls until every host to verify is seen, returning a refusal
// when some are not by the timeout, or an error when the API cannot be
// read (a missing scope fails at once). ok is the note for the finish
// message.
func (a *action) verify(ctx context.Context, c *dynatrace.Client, h modules.Host, st *state.Dir) (refusal, ok string, err error) {
	names := hostsToVerify(h.Fleet)
	if len(names) == 0 {
		return "", "; verify_api: no host to verify", nil
	}
	saved, err := st.LoadRotation(a.args.Environment)
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Sprintf("refusing to finish the rotation: verify_api needs the time the rotation started, "+
			"which api_rotate start saves in %s, but none is saved for %s: finish from the machine that started it, "+
			"or without verify_api", st.Path(), a.args.Environment), "", nil
	} else if err != nil {
		return "", "", fmt.Errorf("read saved rotation: %w", err)
	}
	missing, err := a.poll(ctx, c, names, saved.StartedAt)
	if err != nil {
		return "", "", fmt.Errorf("verify_api on %s: %w", a.args.Environment, err)
	}
	if len(missing) > 0 {
		return a.notSeen(missing, len(names), saved.StartedAt), "", nil
	}
	return "", fmt.Sprintf("; verify_api: all %d host(s) seen online by the API since the rotation started", len(names)), nil
}

// poll asks the API every interval until every name is seen or the timeout
// passes, returning the hosts still not seen ("name (why)"). Errors that
// waiting cannot cure (401, 403) end it at once; others are retried until
// the timeout, then returned if no poll ever succeeded.
func (a *action) poll(ctx context.Context, c *dynatrace.Client, names []string, after time.Time) ([]string, error) {
	vctx, cancel := context.WithTimeout(ctx, a.args.verifyTimeout)
	defer cancel()
	var missing []string
	var lastErr error
	answered := false
	for {
		m, err := pollOnce(vctx, c, names, after)
		switch {
		case err == nil:
			missing, answered, lastErr = m, true, nil
			if len(missing) == 0 {
				return nil, nil
			}
		case errors.Is(err, dynatrace.ErrForbidden) || errors.Is(err, dynatrace.ErrUnauthorized) || ctx.Err() != nil:
			return nil, err
		case vctx.Err() == nil:
			lastErr = err
		}
		t := time.NewTimer(a.opts.VerifyInterval)
		select {
		case <-vctx.Done():
			t.Stop()
			if ctx.Err() != nil {
				return nil, context.Cause(ctx)
			}
			if !answered {
				return nil, fmt.Errorf("no answer from the host lists within %s: %w", a.args.verifyTimeout, lastErr)
			}
			return missing, nil
		case <-t.C:
		}
	}
}

func pollOnce(ctx context.Context, c *dynatrace.Client, names []string, after time.Time) ([]string, error) {
	oas, err := c.OneAgents(ctx, time.Time{}) // the default 72 h window, so stale hosts still show
	if err != nil {
		return nil, err
	}
	ags, err := c.ActiveGates(ctx)
	if err != nil {
		return nil, err
	}
	hosts := fleetcheck.NewIndex(apiHosts(oas, ags, after))
	var missing []string
	for _, n := range names {
		if s := sight(n, hosts); !s.seen {
			missing = append(missing, n+" ("+s.detail+")")
		}
	}
	return missing, nil
}

func (a *action) notSeen(missing []string, total int, after time.Time) string {
	names := make([]string, 0, len(missing))
	for _, m := range missing {
		name, _, _ := strings.Cut(m, " ")
		names = append(names, name)
	}
	return fmt.Sprintf("refusing to finish the rotation: verify_api: %d of %d host(s) were not seen online by the Dynatrace API "+
		"since the rotation started at %s (waited %s): %s. Check that their agents restarted and reconnect, and that each "+
		"inventory name matches the host's Dynatrace host name, discovered name, IP address or ActiveGate hostname; "+
		"then run again, or accept losing them with --finish-anyway %s",
		len(missing), total, after.UTC().Format(time.RFC3339), a.args.verifyTimeout, strings.Join(missing, "; "), strings.Join(names, ","))
}
