package oneagentctl

import (
	"context"
	"fmt"
	"strings"

	"github.com/rotplay/rotplay/modules"
	"github.com/rotplay/rotplay/secret"
)

// action is one decoded oneagentctl task.
type action struct {
	args    arguments
	restart bool
}

var _ modules.Action = (*action)(nil)

// observed is what oneagentctl reports. tenant and server are read only
// when the task gives them.
type observed struct {
	token, tenant, server string
}

// Check reads the current token (and tenant and server, when given) and
// reports whether Apply would set anything. It never sets or restarts.
func (a *action) Check(ctx context.Context, h modules.Host) (modules.Result, error) {
	c, err := a.connect(h)
	if err != nil {
		return modules.Result{Secrets: nonEmpty(a.args.TenantToken)}, err
	}
	obs, err := a.read(ctx, c)
	if err != nil {
		return c.fail(err, false)
	}
	if res, final := a.settled(c, obs); final {
		if a.forcedRestart() {
			res.Changed = true
			res.Msg += "; would restart OneAgent anyway (force_restart)"
		}
		return res, nil
	}
	return c.done(modules.Result{
		Changed: true,
		Msg:     a.describe(obs, "would set", "restarting"),
		Values:  values(obs.token, obs.token, false),
	}), nil
}

// Apply sets what differs with one oneagentctl call (restarting OneAgent
// unless restart is false), then reads the token back: a token other than
// the one set fails the task.
//
// Under force_restart it does not read first: whatever the agent has, the
// outcome is the same (the token set, OneAgent restarted, the token read
// back), and setting a token the agent already has changes nothing. That
// saves one oneagentctl run per agent on every fresh rotation, where the
// rotation playbook forces the restart; the price is that the previous
// token's fingerprint is not known.
func (a *action) Apply(ctx context.Context, h modules.Host) (modules.Result, error) {
	c, err := a.connect(h)
	if err != nil {
		return modules.Result{Secrets: nonEmpty(a.args.TenantToken)}, err
	}
	if a.forcedRestart() {
		return a.setAndVerify(ctx, c, nil)
	}
	obs, err := a.read(ctx, c)
	if err != nil {
		return c.fail(err, false)
	}
	if res, final := a.settled(c, obs); final {
		return res, nil
	}
	return a.setAndVerify(ctx, c, &obs)
}

// setAndVerify sets the token (and the tenant and server given), restarting
// OneAgent unless restart is false, and reads the token back. obs is what
// the agent had, or nil when it was not read.
func (a *action) setAndVerify(ctx context.Context, c *ctl, obs *observed) (modules.Result, error) {
	if err := c.set(ctx, a.args.TenantToken, a.setFlags()); err != nil {
		return c.fail(err, false)
	}
	back, err := c.token(ctx)
	if err != nil {
		return c.fail(err, true)
	}
	var previous string
	if obs != nil {
		previous = obs.token
	}
	res := modules.Result{Changed: true, Values: values(back, previous, a.restart)}
	switch {
	case back != a.args.TenantToken:
		res.Failed = true
		res.Msg = fmt.Sprintf("read back a different token: fingerprint %s, want %s", shown(back), shown(a.args.TenantToken))
	case obs == nil:
		res.Msg = a.describeForced()
	default:
		res.Msg = a.describe(*obs, "set", "restarted")
	}
	return c.done(res), nil
}

// connect prepares to run oneagentctl on h. It fails for hosts the module
// cannot serve (a bad oneagentctl_path).
func (a *action) connect(h modules.Host) (*ctl, error) {
	path, err := resolvePath(h, a.args.Path)
	if err != nil {
		return nil, err
	}
	c := &ctl{conn: h.Conn, path: path, root: h.Conn.Facts().User == "root", windows: hostOS(h) == "windows"}
	c.remember(a.args.TenantToken)
	return c, nil
}

// read asks oneagentctl what the agent has.
func (a *action) read(ctx context.Context, c *ctl) (observed, error) {
	var obs observed
	var err error
	if obs.token, err = c.token(ctx); err != nil {
		return obs, err
	}
	if a.args.Tenant != "" {
		if obs.tenant, err = c.get(ctx, getTenant); err != nil {
			return obs, err
		}
	}
	if a.args.Server != "" {
		obs.server, err = c.get(ctx, getServer)
	}
	return obs, err
}

// settled returns the final Result when there is nothing to set.
func (a *action) settled(c *ctl, obs observed) (modules.Result, bool) {
	switch {
	case a.args.GetOnly:
		return c.done(modules.Result{
			Msg:    "tenant token fingerprint " + shown(obs.token),
			Values: values(obs.token, obs.token, false),
		}), true
	case len(a.differences(obs)) == 0:
		return c.done(modules.Result{
			Msg:    "already set (token fingerprint " + shown(obs.token) + ")",
			Values: values(obs.token, obs.token, false),
		}), true
	}
	return modules.Result{}, false
}

// differences names what the agent has that the task would change.
func (a *action) differences(obs observed) []string {
	var d []string
	if obs.token != a.args.TenantToken {
		d = append(d, "the tenant token")
	}
	if a.args.Tenant != "" && obs.tenant != a.args.Tenant {
		d = append(d, "the tenant")
	}
	if a.args.Server != "" && normalizeServer(obs.server) != normalizeServer(a.args.Server) {
		d = append(d, "the server")
	}
	return d
}

// normalizeServer makes --get-server's output comparable with a
// --set-server value: it drops the * marking the endpoint in use and
// blanks, and puts an ungrouped list in one {} group.
func normalizeServer(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == '*' || r == ' ' || r == '\t' {
			return -1
		}
		return r
	}, s)
	if s != "" && !strings.HasPrefix(s, "{") {
		s = "{" + s + "}"
	}
	return s
}

func (a *action) setFlags() []string {
	var flags []string
	if a.args.Tenant != "" {
		flags = append(flags, "--set-tenant="+a.args.Tenant)
	}
	if a.args.Server != "" {
		flags = append(flags, "--set-server="+a.args.Server)
	}
	if a.restart {
		flags = append(flags, "--restart-service")
	}
	return flags
}

// describe says what Apply does (or would do), with fingerprints only.
func (a *action) describe(obs observed, verb, restarting string) string {
	msg := fmt.Sprintf("%s %s (token fingerprint %s, was %s)", verb,
		strings.Join(a.differences(obs), " and "), shown(a.args.TenantToken), shown(obs.token))
	if a.restart {
		msg += ", " + restarting + " OneAgent"
	}
	return msg
}

// describeForced says what Apply did under force_restart, without having
// read what the agent had before.
func (a *action) describeForced() string {
	set := []string{"the tenant token"}
	if a.args.Tenant != "" {
		set = append(set, "the tenant")
	}
	if a.args.Server != "" {
		set = append(set, "the server")
	}
	return fmt.Sprintf("set %s (token fingerprint %s; not read first: force_restart), restarted OneAgent",
		strings.Join(set, " and "), shown(a.args.TenantToken))
}

// values are what the task registers: fingerprints, never tokens.
func values(token, previous string, restarted bool) map[string]any {
	return map[string]any{
		"token_fingerprint":          fingerprint(token),
		"previous_token_fingerprint": fingerprint(previous),
		"restarted":                  restarted,
	}
}

// fingerprint is the token's fingerprint, or "" when there is no token.
func fingerprint(token string) string {
	if token == "" {
		return ""
	}
	return secret.Fingerprint(token)
}

// shown is a token's fingerprint for messages.
func shown(token string) string {
	if token == "" {
		return "none"
	}
	return secret.Fingerprint(token)
}

func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

// forcedRestart reports whether a token already in place still gets a
// restart (force_restart, and restart not turned off).
func (a *action) forcedRestart() bool {
	return a.args.ForceRestart && a.restart && !a.args.GetOnly
}
