package oneagentctl

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/rotplay/rotplay/internal/shquote"

	"github.com/rotplay/rotplay/modules"
	"github.com/rotplay/rotplay/secret"
	"github.com/rotplay/rotplay/transport"
)

// The getters the module uses; each prints the bare value on stdout.
const (
	getToken  = "--get-tenant-token"
	getTenant = "--get-tenant"
	getServer = "--get-server"
)

// ctl runs oneagentctl on one host for one Check or Apply. It remembers
// every token it sees, to redact them from what it reports and to return
// them in Result.Secrets.
type ctl struct {
	conn    transport.Conn
	path    string
	root    bool // the session runs as root, so a refusal is not for lack of it
	windows bool // oneagentctl.exe, run through WindowsScript
	red     secret.Redactor
	seen    []string
}

// remember records a token as a secret.
func (c *ctl) remember(token string) {
	if token != "" && !slices.Contains(c.seen, token) {
		c.seen = append(c.seen, token)
		c.red.Add(token)
	}
}

// get runs `oneagentctl flag` and returns its output, trimmed.
func (c *ctl) get(ctx context.Context, flag string) (string, error) {
	var out transport.Result
	var err error
	if c.windows {
		out, err = c.runWindows(ctx, []string{flag}, "")
	} else {
		out, err = c.conn.Run(ctx, transport.Command{Line: shquote.Word(c.path) + " " + flag})
	}
	if err != nil {
		return "", fmt.Errorf("run oneagentctl %s: %w", flag, err)
	}
	if out.ExitCode != 0 {
		return "", c.failure(flag, out)
	}
	return strings.TrimSpace(string(out.Stdout)), nil
}

// token returns the token the agent has now, remembering it.
func (c *ctl) token(ctx context.Context) (string, error) {
	t, err := c.get(ctx, getToken)
	c.remember(t)
	return t, err
}

// set runs oneagentctl --set-tenant-token with the token on stdin, and
// the other flags given.
func (c *ctl) set(ctx context.Context, token string, flags []string) error {
	if token == "" || strings.ContainsAny(token, "\r\n") {
		// Decode refuses these; setting an empty or cut token would cut
		// the agent off.
		return errors.New("refusing to set an empty or multi-line tenant token")
	}
	var out transport.Result
	var err error
	if c.windows {
		out, err = c.runWindows(ctx, flags, token)
	} else {
		out, err = c.conn.Run(ctx, transport.Command{Line: setScript(c.path, flags), Stdin: strings.NewReader(token + "\n")})
	}
	if err != nil {
		return fmt.Errorf("run oneagentctl --set-tenant-token: %w", err)
	}
	if out.ExitCode != 0 {
		return c.failure(strings.Join(append([]string{"--set-tenant-token"}, flags...), " "), out)
	}
	return nil
}

// setScript is the sh command line that reads the token from stdin and
// hands it to oneagentctl, so that the line itself never holds it. A
// missing line on stdin fails rather than setting an empty token.
func setScript(path string, flags []string) string {
	var b strings.Builder
	b.WriteString(`IFS= read -r t || { echo 'rotplay: no tenant token on stdin' >&2; exit 2; }; exec `)
	b.WriteString(shquote.Word(path))
	b.WriteString(` --set-tenant-token="$t"`)
	for _, f := range flags {
		b.WriteString(" " + shquote.Word(f))
	}
	return b.String()
}

// failure is oneagentctl exiting non-zero: the task fails with msg, a
// result rather than an error of the module.
type failure struct{ msg string }

func (f *failure) Error() string { return f.msg }

// failure describes a failed run of `oneagentctl what`, with its output
// redacted of every token seen.
func (c *ctl) failure(what string, out transport.Result) error {
	text := c.red.Redact(string(out.Stderr) + "\n" + string(out.Stdout))
	detail := firstLine(text)
	if detail == "" {
		detail = "no output" // still say how it failed
	}
	switch {
	case out.ExitCode == 127:
		return &failure{fmt.Sprintf("oneagentctl not found at %s: is OneAgent installed? "+
			"For a custom INSTALL_PATH set path, or the host var %s", c.path, pathVar)}
	case c.windows && out.ExitCode == 126:
		return &failure{"oneagentctl.exe needs an elevated administrator session: log in with an administrator " +
			"account (UAC remote restrictions filter local accounts other than the built-in Administrator) (" + detail + ")"}
	case !c.root && needsRoot(out.ExitCode, text):
		return &failure{"oneagentctl needs root: set ansible_become: true for this host (" + detail + ")"}
	}
	return &failure{fmt.Sprintf("oneagentctl %s: exit code %d: %s", what, out.ExitCode, detail)}
}

// needsRoot judges whether a failure came from running without root.
// oneagentctl's own wording is not documented, so any mention of
// permissions counts; 126 is sh's "found but cannot execute".
func needsRoot(code int, text string) bool {
	lower := strings.ToLower(text)
	for _, w := range []string{"root", "permission", "privilege", "not permitted", "access denied", "administrator"} {
		if strings.Contains(lower, w) {
			return true
		}
	}
	return code == 126
}

// firstLine returns the first line of s that is not blank, trimmed.
func firstLine(s string) string {
	for l := range strings.SplitSeq(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			return l
		}
	}
	return ""
}

// done completes a Result with every token seen, for the engine to redact.
func (c *ctl) done(res modules.Result) modules.Result {
	res.Secrets = slices.Clone(c.seen)
	return res
}

// fail turns err into the Result of a task that failed: a *failure is a
// Failed result, anything else (the host was lost) stays an error.
func (c *ctl) fail(err error, changed bool) (modules.Result, error) {
	var f *failure
	if errors.As(err, &f) {
		return c.done(modules.Result{Changed: changed, Failed: true, Msg: f.msg}), nil
	}
	return c.done(modules.Result{}), err
}
