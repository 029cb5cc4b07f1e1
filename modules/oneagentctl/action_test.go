package oneagentctl

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/rotplay/rotplay/modules"
	"github.com/rotplay/rotplay/secret"
	"github.com/rotplay/rotplay/transport"
	"github.com/rotplay/rotplay/transport/fake"
)

const (
	oldToken = "dt0c01.OLDOLDOLD1234567890"
	newToken = "dt0c01.NEWNEWNEW0987654321"
	// oddToken holds what sh would interpret unquoted: it must reach
	// oneagentctl as it is.
	oddToken   = `dt0c01.N$EW'T"OK\EN;|&` + "`id`"
	customPath = "/srv/dynatrace/oneagent/agent/tools/oneagentctl"
)

var fp = secret.Fingerprint

// newHost returns a fake host running ag, and the modules.Host to pass to
// an Action.
func newHost(t *testing.T, ag *agent, os string, vars map[string]any) (*fake.Host, modules.Host) {
	t.Helper()
	user := map[bool]string{false: "root", true: "dtuser"}[ag.user]
	h := &fake.Host{Name: "oa1", Facts: transport.Facts{OS: os, User: user}, Run: ag.runFunc()}
	c, err := fake.NewNetwork(h).Dial(t.Context(), transport.Target{Name: h.Name})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return h, modules.Host{Name: h.Name, Conn: c, Vars: vars}
}

// summary is a Result without Values and Secrets, checked apart.
func summary(r modules.Result) modules.Result {
	r.Values, r.Secrets = nil, nil
	return r
}

func TestApplyAndCheck(t *testing.T) {
	t.Parallel()
	set := fmt.Sprintf("set the tenant token (token fingerprint %s, was %s), restarted OneAgent", fp(newToken), fp(oldToken))
	wouldSet := fmt.Sprintf("would set the tenant token (token fingerprint %s, was %s), restarting OneAgent", fp(newToken), fp(oldToken))
	already := modules.Result{Msg: "already set (token fingerprint " + fp(newToken) + ")"}
	needsRoot := modules.Result{Failed: true, Msg: "oneagentctl needs root: set ansible_become: true for this host (Insufficient privileges: oneagentctl must be run as root.)"}
	tests := []struct {
		name          string
		src           string // the task's arguments
		agent         *agent // before the task
		vars          map[string]any
		wantCheck     modules.Result
		wantApply     modules.Result
		wantToken     string // the agent's after Apply
		wantTenant    string
		wantServer    string
		wantRestarts  int
		wantSecrets   []string
		wantRuns      int // commands Apply runs
		wantStdinRuns int // of which take the token on stdin
	}{
		{name: "already set", src: "tenant_token: " + newToken,
			agent: &agent{token: newToken}, wantCheck: already, wantApply: already,
			wantToken: newToken, wantSecrets: []string{newToken}, wantRuns: 1},
		{name: "set, restart and read back", src: "tenant_token: " + newToken,
			agent:     &agent{token: oldToken},
			wantCheck: modules.Result{Changed: true, Msg: wouldSet}, wantApply: modules.Result{Changed: true, Msg: set},
			wantToken: newToken, wantRestarts: 1, wantSecrets: []string{newToken, oldToken}, wantRuns: 3, wantStdinRuns: 1},
		{name: "without restart", src: "tenant_token: " + newToken + "\nrestart: false",
			agent:     &agent{token: oldToken},
			wantCheck: modules.Result{Changed: true, Msg: strings.TrimSuffix(wouldSet, ", restarting OneAgent")},
			wantApply: modules.Result{Changed: true, Msg: strings.TrimSuffix(set, ", restarted OneAgent")},
			wantToken: newToken, wantSecrets: []string{newToken, oldToken}, wantRuns: 3, wantStdinRuns: 1},
		{name: "token with sh metacharacters", src: fmt.Sprintf("tenant_token: '%s'", strings.ReplaceAll(oddToken, "'", "''")),
			agent:     &agent{token: oldToken},
			wantCheck: modules.Result{Changed: true, Msg: strings.ReplaceAll(wouldSet, fp(newToken), fp(oddToken))},
			wantApply: modules.Result{Changed: true, Msg: strings.ReplaceAll(set, fp(newToken), fp(oddToken))},
			wantToken: oddToken, wantRestarts: 1, wantSecrets: []string{oddToken, oldToken}, wantRuns: 3, wantStdinRuns: 1},
		{name: "same token, other tenant", src: "tenant_token: " + newToken + "\ntenant: abc12345",
			agent:     &agent{token: newToken, tenant: "zzz99999"},
			wantCheck: modules.Result{Changed: true, Msg: fmt.Sprintf("would set the tenant (token fingerprint %s, was %s), restarting OneAgent", fp(newToken), fp(newToken))},
			wantApply: modules.Result{Changed: true, Msg: fmt.Sprintf("set the tenant (token fingerprint %s, was %s), restarted OneAgent", fp(newToken), fp(newToken))},
			wantToken: newToken, wantTenant: "abc12345", wantRestarts: 1, wantSecrets: []string{newToken}, wantRuns: 4, wantStdinRuns: 1},
		{name: "same token and tenant", src: "tenant_token: " + newToken + "\ntenant: abc12345",
			agent: &agent{token: newToken, tenant: "abc12345"}, wantCheck: already, wantApply: already,
			wantToken: newToken, wantTenant: "abc12345", wantSecrets: []string{newToken}, wantRuns: 2},
		{name: "same server but for the in-use marker", src: "tenant_token: " + newToken + "\nserver: https://a/communication;https://b/communication",
			agent: &agent{token: newToken, server: "{https://a/communication;https://b/communication}"}, wantCheck: already, wantApply: already,
			wantToken: newToken, wantServer: "{https://a/communication;https://b/communication}", wantSecrets: []string{newToken}, wantRuns: 2},
		{name: "token and server differ", src: "tenant_token: " + newToken + "\nserver: '{https://c/communication}'",
			agent:     &agent{token: oldToken, server: "{https://a/communication}"},
			wantCheck: modules.Result{Changed: true, Msg: strings.Replace(wouldSet, "token (", "token and the server (", 1)},
			wantApply: modules.Result{Changed: true, Msg: strings.Replace(set, "token (", "token and the server (", 1)},
			wantToken: newToken, wantServer: "{https://c/communication}", wantRestarts: 1, wantSecrets: []string{newToken, oldToken}, wantRuns: 4, wantStdinRuns: 1},
		{name: "read back mismatch", src: "tenant_token: " + newToken,
			agent:     &agent{token: oldToken, stale: true},
			wantCheck: modules.Result{Changed: true, Msg: wouldSet},
			wantApply: modules.Result{Changed: true, Failed: true, Msg: fmt.Sprintf("read back a different token: fingerprint %s, want %s", fp(oldToken), fp(newToken))},
			wantToken: oldToken, wantRestarts: 1, wantSecrets: []string{newToken, oldToken}, wantRuns: 3, wantStdinRuns: 1},
		{name: "set refused, echoing the token", src: "tenant_token: " + newToken,
			agent:     &agent{token: oldToken, reject: "Invalid tenant token"},
			wantCheck: modules.Result{Changed: true, Msg: wouldSet},
			wantApply: modules.Result{Failed: true, Msg: "oneagentctl --set-tenant-token --restart-service: exit code 1: Invalid tenant token: --set-tenant-token=" + secret.Mask(newToken)},
			wantToken: oldToken, wantSecrets: []string{newToken, oldToken}, wantRuns: 2, wantStdinRuns: 1},
		{name: "not root", src: "tenant_token: " + newToken,
			agent: &agent{token: oldToken, user: true}, wantCheck: needsRoot, wantApply: needsRoot,
			wantToken: oldToken, wantSecrets: []string{newToken}, wantRuns: 1},
		{name: "not installed where the host var says", src: "tenant_token: " + newToken,
			agent: &agent{token: oldToken}, vars: map[string]any{"oneagentctl_path": customPath},
			wantCheck: modules.Result{Failed: true, Msg: "oneagentctl not found at " + customPath + ": is OneAgent installed? For a custom INSTALL_PATH set path, or the host var oneagentctl_path"},
			wantApply: modules.Result{Failed: true, Msg: "oneagentctl not found at " + customPath + ": is OneAgent installed? For a custom INSTALL_PATH set path, or the host var oneagentctl_path"},
			wantToken: oldToken, wantSecrets: []string{newToken}, wantRuns: 1},
		{name: "path argument wins over the host var", src: "tenant_token: " + newToken + "\npath: " + customPath,
			agent: &agent{path: customPath, token: newToken}, vars: map[string]any{"oneagentctl_path": "/elsewhere"},
			wantCheck: already, wantApply: already, wantToken: newToken, wantSecrets: []string{newToken}, wantRuns: 1},
		{name: "get_only", src: "get_only: true",
			agent:     &agent{token: oldToken},
			wantCheck: modules.Result{Msg: "tenant token fingerprint " + fp(oldToken)},
			wantApply: modules.Result{Msg: "tenant token fingerprint " + fp(oldToken)},
			wantToken: oldToken, wantSecrets: []string{oldToken}, wantRuns: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			act, err := decode(t, "oneagentctl:\n"+indent(tc.src))
			if err != nil {
				t.Fatal(err)
			}
			ag := tc.agent
			if ag.path == "" {
				ag.path = unixPath
			}
			host, h := newHost(t, ag, "linux", tc.vars)

			check, err := act.Check(t.Context(), h)
			_, _, _, sets, restarts := ag.state()
			if err != nil || !reflect.DeepEqual(summary(check), tc.wantCheck) || sets+restarts != 0 {
				t.Errorf("Check = %+v, %v, %d sets; want %+v and none", summary(check), err, sets, tc.wantCheck)
			}
			checkRuns := len(host.Calls())

			apply, err := act.Apply(t.Context(), h)
			if err != nil || !reflect.DeepEqual(summary(apply), tc.wantApply) {
				t.Errorf("Apply = %+v, %v\nwant %+v", summary(apply), err, tc.wantApply)
			}
			token, tenant, server, _, restarts := ag.state()
			if token != tc.wantToken || tenant != tc.wantTenant || server != tc.wantServer || restarts != tc.wantRestarts {
				t.Errorf("agent has token %s, tenant %q, server %q, %d restarts; want %s, %q, %q, %d",
					fp(token), tenant, server, restarts, fp(tc.wantToken), tc.wantTenant, tc.wantServer, tc.wantRestarts)
			}
			for _, res := range []modules.Result{check, apply} {
				if !sameSet(res.Secrets, tc.wantSecrets) {
					t.Errorf("Secrets are %d values, want %d: every token read or set", len(res.Secrets), len(tc.wantSecrets))
				}
				assertNoToken(t, fmt.Sprintf("%+v %v", summary(res), res.Values))
			}
			assertTokensOnStdinOnly(t, host.Calls()[checkRuns:], tc.wantRuns, tc.wantStdinRuns)
		})
	}
}

// assertTokensOnStdinOnly checks that no command line holds a token and
// that the commands setting one get it, alone, on stdin.
func assertTokensOnStdinOnly(t *testing.T, calls []fake.Call, wantRuns, wantStdin int) {
	t.Helper()
	stdinRuns := 0
	for _, c := range calls {
		assertNoToken(t, c.Arg)
		if len(c.Data) == 0 {
			continue
		}
		stdinRuns++
		if tok := strings.TrimSuffix(string(c.Data), "\n"); !slices.Contains([]string{newToken, oddToken}, tok) || !strings.HasSuffix(string(c.Data), "\n") {
			t.Errorf("stdin of %q is not a token and a line break", c.Arg)
		}
	}
	if len(calls) != wantRuns || stdinRuns != wantStdin {
		t.Errorf("Apply ran %d commands, %d with stdin; want %d and %d", len(calls), stdinRuns, wantRuns, wantStdin)
	}
}

func assertNoToken(t *testing.T, s string) {
	t.Helper()
	for _, tok := range []string{oldToken, newToken, oddToken} {
		if strings.Contains(s, tok) {
			t.Errorf("token %s shown in %q", fp(tok), strings.ReplaceAll(s, tok, "<TOKEN>"))
		}
	}
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

func indent(s string) string {
	return "  " + strings.ReplaceAll(s, "\n", "\n  ") + "\n"
}

// TestValues: what register sees after a set.
func TestValues(t *testing.T) {
	t.Parallel()
	act, err := decode(t, "oneagentctl:\n  tenant_token: "+newToken+"\n")
	if err != nil {
		t.Fatal(err)
	}
	_, h := newHost(t, &agent{path: unixPath, token: oldToken}, "linux", nil)
	res, err := act.Apply(t.Context(), h)
	want := map[string]any{"token_fingerprint": fp(newToken), "previous_token_fingerprint": fp(oldToken), "restarted": true}
	if err != nil || !reflect.DeepEqual(res.Values, want) {
		t.Errorf("Values = %v, %v; want %v", res.Values, err, want)
	}
}

// TestUnsupportedHosts: hosts the module cannot serve fail before running
// anything, still handing the token over for redaction. (Windows hosts are
// served: see windows_test.go.)
func TestUnsupportedHosts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, os string
		vars     map[string]any
		want     string
	}{
		{"host var not a path", "linux", map[string]any{"oneagentctl_path": 3}, "the host var oneagentctl_path must be an absolute path"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			act, err := decode(t, "oneagentctl:\n  tenant_token: "+newToken+"\n")
			if err != nil {
				t.Fatal(err)
			}
			host, h := newHost(t, &agent{path: unixPath}, tc.os, tc.vars)
			for _, run := range []func() (modules.Result, error){
				func() (modules.Result, error) { return act.Check(t.Context(), h) },
				func() (modules.Result, error) { return act.Apply(t.Context(), h) },
			} {
				res, err := run()
				if err == nil || !strings.Contains(err.Error(), tc.want) || !slices.Equal(res.Secrets, []string{newToken}) {
					t.Errorf("= %+v, %v; want an error containing %q", summary(res), err, tc.want)
				}
			}
			if calls := host.Calls(); len(calls) != 0 {
				t.Errorf("ran %d commands, want none", len(calls))
			}
		})
	}
}

// TestLostHost: a transport error stays an error, with the token still in
// Secrets.
func TestLostHost(t *testing.T) {
	t.Parallel()
	act, err := decode(t, "oneagentctl:\n  tenant_token: "+newToken+"\n")
	if err != nil {
		t.Fatal(err)
	}
	_, h := newHost(t, &agent{path: unixPath}, "linux", nil)
	_ = h.Conn.Close()
	res, err := act.Apply(t.Context(), h)
	if !errors.Is(err, transport.ErrClosed) || res.Failed || !slices.Equal(res.Secrets, []string{newToken}) {
		t.Errorf("Apply = %+v, %v; want an error wrapping ErrClosed", res, err)
	}
}

// TestFailureMessages: how a failed oneagentctl run is reported, whatever
// it printed.
func TestFailureMessages(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		root bool
		out  transport.Result
		want string
	}{
		{"no output", true, transport.Result{ExitCode: 3}, "oneagentctl --get-tenant-token: exit code 3: no output"},
		{"stdout only", true, transport.Result{ExitCode: 1, Stdout: []byte("\n  bad thing \nmore")}, "oneagentctl --get-tenant-token: exit code 1: bad thing"},
		{"cannot execute, not root", false, transport.Result{ExitCode: 126}, "oneagentctl needs root: set ansible_become: true for this host (no output)"},
		{"permission words as root", true, transport.Result{ExitCode: 1, Stderr: []byte("Permission denied")}, "oneagentctl --get-tenant-token: exit code 1: Permission denied"},
		{"token redacted", true, transport.Result{ExitCode: 1, Stderr: []byte("bad token " + newToken)}, "oneagentctl --get-tenant-token: exit code 1: bad token " + secret.Mask(newToken)},
	}
	for _, tc := range tests {
		c := &ctl{path: unixPath, root: tc.root}
		c.remember(newToken)
		if got := c.failure(getToken, tc.out).Error(); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

// TestForceRestart: under force_restart Apply does not read first; it sets
// the token and restarts whatever the agent had, then reads it back. Check
// still reads and only reports.
func TestForceRestart(t *testing.T) {
	t.Parallel()
	forced := fmt.Sprintf("set the tenant token (token fingerprint %s; not read first: force_restart), restarted OneAgent", fp(newToken))
	tests := []struct {
		name         string
		src          string
		agent        *agent
		wantCheck    string
		wantApply    modules.Result
		wantToken    string
		wantRestarts int
		wantRuns     int
		wantPrevious string // previous_token_fingerprint
	}{
		{name: "old token", src: "force_restart: true",
			agent:     &agent{token: oldToken},
			wantCheck: fmt.Sprintf("would set the tenant token (token fingerprint %s, was %s), restarting OneAgent", fp(newToken), fp(oldToken)),
			wantApply: modules.Result{Changed: true, Msg: forced}, wantToken: newToken, wantRestarts: 1, wantRuns: 2},
		{name: "already on the token: set again and restarted", src: "force_restart: true",
			agent:     &agent{token: newToken},
			wantCheck: "already set (token fingerprint " + fp(newToken) + "); would restart OneAgent anyway (force_restart)",
			wantApply: modules.Result{Changed: true, Msg: forced}, wantToken: newToken, wantRestarts: 1, wantRuns: 2},
		{name: "with the tenant", src: "force_restart: true\ntenant: abc12345",
			agent:     &agent{token: oldToken, tenant: "abc12345"},
			wantCheck: fmt.Sprintf("would set the tenant token (token fingerprint %s, was %s), restarting OneAgent", fp(newToken), fp(oldToken)),
			wantApply: modules.Result{Changed: true, Msg: strings.Replace(forced, "token (", "token and the tenant (", 1)},
			wantToken: newToken, wantRestarts: 1, wantRuns: 2},
		{name: "read back mismatch fails", src: "force_restart: true",
			agent:     &agent{token: oldToken, stale: true},
			wantCheck: fmt.Sprintf("would set the tenant token (token fingerprint %s, was %s), restarting OneAgent", fp(newToken), fp(oldToken)),
			wantApply: modules.Result{Changed: true, Failed: true, Msg: fmt.Sprintf("read back a different token: fingerprint %s, want %s", fp(oldToken), fp(newToken))},
			wantToken: oldToken, wantRestarts: 1, wantRuns: 2},
		{name: "restart false: no forced restart, read first", src: "force_restart: true\nrestart: false",
			agent:     &agent{token: newToken},
			wantCheck: "already set (token fingerprint " + fp(newToken) + ")",
			wantApply: modules.Result{Msg: "already set (token fingerprint " + fp(newToken) + ")"},
			wantToken: newToken, wantRuns: 1, wantPrevious: fp(newToken)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			act, err := decode(t, "oneagentctl:\n"+indent("tenant_token: "+newToken+"\n"+tc.src))
			if err != nil {
				t.Fatal(err)
			}
			tc.agent.path = unixPath
			host, h := newHost(t, tc.agent, "linux", nil)
			check, err := act.Check(t.Context(), h)
			if _, _, _, sets, restarts := tc.agent.state(); err != nil || check.Msg != tc.wantCheck || sets+restarts != 0 {
				t.Errorf("Check = %q, %v, %d sets, %d restarts; want %q and none", check.Msg, err, sets, restarts, tc.wantCheck)
			}
			checkRuns := len(host.Calls())
			apply, err := act.Apply(t.Context(), h)
			if err != nil || !reflect.DeepEqual(summary(apply), tc.wantApply) {
				t.Errorf("Apply = %+v, %v\nwant %+v", summary(apply), err, tc.wantApply)
			}
			if got := apply.Values["previous_token_fingerprint"]; got != tc.wantPrevious {
				t.Errorf("previous_token_fingerprint = %q, want %q", got, tc.wantPrevious)
			}
			if token, _, _, _, restarts := tc.agent.state(); token != tc.wantToken || restarts != tc.wantRestarts {
				t.Errorf("agent has token %s after %d restarts; want %s after %d", fp(token), restarts, fp(tc.wantToken), tc.wantRestarts)
			}
			if !slices.Contains(apply.Secrets, newToken) {
				t.Errorf("Apply's Secrets lack the token it set")
			}
			assertNoToken(t, fmt.Sprintf("%+v %v", summary(apply), apply.Values))
			wantStdin := 0
			if tc.wantRuns == 2 {
				wantStdin = 1
			}
			assertTokensOnStdinOnly(t, host.Calls()[checkRuns:], tc.wantRuns, wantStdin)
		})
	}
}
