package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/rotplay/rotplay/lab"
	"github.com/rotplay/rotplay/lab/fakedt"
)

func startLab(t *testing.T) *lab.Lab {
	t.Helper()
	l, _ := startLabLogged(t)
	return l
}

// commandLog collects every command line the lab's hosts receive.
type commandLog struct {
	mu    sync.Mutex
	lines []string
}

func (c *commandLog) add(host, cmd string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.lines = append(c.lines, host+": "+cmd)
}

func (c *commandLog) all() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return strings.Join(c.lines, "\n")
}

func startLabLogged(t *testing.T) (*lab.Lab, *commandLog) {
	t.Helper()
	return startLabWith(t, lab.Options{ActiveGates: 2, OneAgents: 3})
}

func startLabWith(t *testing.T, opts lab.Options) (*lab.Lab, *commandLog) {
	t.Helper()
	cl := &commandLog{}
	opts.Dir, opts.CommandLog = t.TempDir(), cl.add
	l, err := lab.Start(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l, cl
}

func rotate(t *testing.T, l *lab.Lab, extra ...string) cliResult {
	t.Helper()
	return onRotation(t, "run", l.Inventory, l.StateDir, append([]string{"--diff"}, extra...)...)
}

// onRotation runs "rotplay <sub>" on the shipped rotation playbook with the
// given inventory and state directory.
func onRotation(t *testing.T, sub, invPath, stateDir string, extra ...string) cliResult {
	t.Helper()
	args := append([]string{sub, "../../playbooks/rotation.yaml", "-i", invPath, "--state-dir", stateDir}, extra...)
	return runCLI(t, context.Background(), args...)
}

// noTokens fails if any tenant token or the API token appears in the output.
func noTokens(t *testing.T, l *lab.Lab, res cliResult, tokens ...string) {
	t.Helper()
	for _, tok := range append(tokens, l.Sim.APIToken()) {
		if tok != "" && strings.Contains(res.stdout+res.stderr, tok) {
			t.Fatalf("a secret leaked into the output:\n%s", res)
		}
	}
}

// TestLabRotationIsSafe rotates the practice lab with the shipped playbook,
// unmodified, over real SSH, and checks the outcome on every host and in
// the simulated API.
func TestLabRotationIsSafe(t *testing.T) {
	t.Parallel()
	l, cmds := startLabLogged(t)
	oldTok, _ := l.Sim.Tokens()
	res := rotate(t, l)
	newTok, _ := l.Sim.Tokens()
	if res.code != 0 {
		t.Fatalf("rotation failed: %s", res)
	}
	// No token ever travels in a command line (the SSH exec request,
	// visible in ps on the host): file content and tokens go on stdin.
	sent := cmds.all()
	for _, tok := range []string{oldTok, newTok, l.Sim.APIToken()} {
		if strings.Contains(sent, tok) {
			t.Fatalf("a token was sent in a command line:\n%s", sent)
		}
	}
	// Pipelining (the default): every host's commands go through one
	// `exec sh -s`; only data a shell cannot carry (a CR) takes a session.
	for _, h := range []string{"ag-1", "ag-2", "oa-1", "oa-2", "oa-3"} {
		if !strings.Contains(sent, h+": exec sh -s\n") {
			t.Fatalf("no pipelining shell on %s:\n%s", h, sent)
		}
	}
	if strings.Contains(sent, "oneagentctl") {
		t.Fatalf("oneagentctl ran in a session of its own, not in the shell:\n%s", sent)
	}
	v := l.Verdict()
	if !v.Finished || !v.Safe || strings.Join(v.Calls, ",") != "start,finish" {
		t.Fatalf("verdict %+v", v)
	}
	noTokens(t, l, res, oldTok, newTok)
	for _, h := range []string{"ag-1", "ag-2"} {
		auth := readHostFile(t, l, h, fakedt.AuthorizationPropertiesPath)
		if !strings.Contains(auth, "tenantToken = "+newTok+"\n") || !strings.Contains(auth, "tenantToken = otherEnvironmentToken0001\n") {
			t.Fatalf("%s authorization.properties:\n%s", h, auth)
		}
		fi, err := os.Stat(filepath.Join(l.HostRoot(h), fakedt.AuthorizationPropertiesPath))
		if err != nil || fi.Mode().Perm() != 0o640 {
			t.Fatalf("%s: mode changed: %v %v", h, fi.Mode(), err)
		}
	}
	if z := readHostFile(t, l, "ag-1", fakedt.ZRemoteRuxitAgentConfPath); z != "Tenant "+l.Sim.TenantUUID()+"\r\nTenantToken "+newTok+"\r\n" {
		t.Fatalf("zRemote file (CRLF must be kept): %q", z)
	}
	if strings.Contains(res.stdout, "zremote") && !strings.Contains(res.stdout, "ag-2 | set TenantToken in zRemote's ruxitagent.conf: /opt/dynatrace/zremote/agent/conf/ruxitagent.conf absent, skipped") {
		t.Fatalf("absent zRemote file should be skipped on ag-2:\n%s", res.stdout)
	}
}

func readHostFile(t *testing.T, l *lab.Lab, host, path string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(l.HostRoot(host), path))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

var changedLine = regexp.MustCompile(`(?m)^  changed `)

// TestLabResumeChangesNothing leaves the rotation open, runs again (which
// resumes the saved rotation) and checks that the second run changes
// nothing anywhere; a third run finishes it.
func TestLabResumeChangesNothing(t *testing.T) {
	t.Parallel()
	l := startLab(t)
	res := rotate(t, l, "-e", "{finish_rotation: false}")
	if res.code != 0 || l.Verdict().Finished || !l.Verdict().Safe {
		t.Fatalf("first run: %s\nverdict %+v", res, l.Verdict())
	}
	res = rotate(t, l, "-e", "{finish_rotation: false}")
	if res.code != 0 || changedLine.MatchString(res.stdout) || !strings.Contains(res.stdout, "ok           controller | start the rotation") {
		t.Fatalf("second run should resume and change nothing:\n%s", res)
	}
	res = rotate(t, l)
	if res.code != 0 || !l.Verdict().Finished || !l.Verdict().Safe {
		t.Fatalf("third run should finish: %s\n%+v", res, l.Verdict())
	}
	if calls := strings.Join(l.Verdict().Calls, ","); calls != "start,finish" {
		t.Fatalf("API calls %s: start must be called once", calls)
	}
}

// TestLabFinishGate: a run limited to the ActiveGates must not finish the
// rotation, which would cut the OneAgents off; forced with --finish-anyway,
// the lab must report exactly those hosts cut off.
func TestLabFinishGate(t *testing.T) {
	t.Parallel()
	l := startLab(t)
	res := rotate(t, l, "--limit", "activegates")
	if res.code != ExitFailed || !strings.Contains(res.stdout, "refusing to finish the rotation: 3 host(s)") ||
		!strings.Contains(res.stdout, "oa-1 (excluded: left out by --limit)") {
		t.Fatalf("a limited run must not finish: %s", res)
	}
	if v := l.Verdict(); v.Finished || !v.Safe || strings.Join(v.Calls, ",") != "start" {
		t.Fatalf("verdict %+v", v)
	}
	res = rotate(t, l, "--limit", "activegates", "--finish-anyway", "oa-1,oa-2", "--finish-anyway", "oa-3")
	if res.code != 0 || !strings.Contains(res.stdout, "WARNING: finish with 3 host(s) accepted as lost") {
		t.Fatalf("--finish-anyway: %s", res)
	}
	v := l.Verdict()
	if v.Safe || len(v.Disconnected) != 3 {
		t.Fatalf("the lab should report the 3 OneAgents cut off: %+v\n%s", v, res)
	}
	for _, d := range v.Disconnected {
		if !strings.HasPrefix(d.Host, "oa-") || d.Component != "oneagent" {
			t.Fatalf("unexpected disconnection %+v", d)
		}
	}
}

func TestLabDemoCommand(t *testing.T) {
	t.Parallel()
	res := runCLI(t, context.Background(), "lab", "--demo", "--dir", t.TempDir(), "--activegates", "1", "--oneagents", "2")
	if res.code != 0 || !strings.Contains(res.stdout, "LAB VERDICT: SAFE") {
		t.Fatalf("lab --demo: %s", res)
	}
}

// TestLabCheckMode previews the whole rotation: no API call, no file
// changed, and the diffs show no token (old, other environments', auth).
func TestLabCheckMode(t *testing.T) {
	t.Parallel()
	l := startLab(t)
	before := readHostFile(t, l, "ag-1", fakedt.AuthorizationPropertiesPath)
	oldTok, _ := l.Sim.Tokens()
	res := rotate(t, l, "--check")
	if res.code != 0 || !strings.Contains(res.stdout, "+tenantToken = ***") {
		t.Fatalf("check run: %s", res)
	}
	noTokens(t, l, res, oldTok, "otherEnvironmentToken0001", "dt0g02.LAB.maintoken")
	if calls := l.Sim.Calls(); len(calls) != 0 {
		t.Fatalf("--check called the API: %v", calls)
	}
	if after := readHostFile(t, l, "ag-1", fakedt.AuthorizationPropertiesPath); after != before {
		t.Fatal("--check changed a file")
	}
}

// TestLabMixedFleet rotates Linux hosts over SSH and Windows hosts over
// WinRM (HTTPS+NTLM and HTTP+Basic) with the one shipped playbook.
func TestLabMixedFleet(t *testing.T) {
	t.Parallel()
	l, cmds := startLabWith(t, lab.Options{}) // defaults: 2+3 Linux, 1+1 Windows
	oldTok, _ := l.Sim.Tokens()
	res := rotate(t, l)
	newTok, _ := l.Sim.Tokens()
	if res.code != 0 || !strings.Contains(res.stdout, "agw-1 | set tenant_token in the registry (Windows): set") {
		t.Fatalf("mixed rotation: %s", res)
	}
	if v := l.Verdict(); !v.Finished || !v.Safe {
		t.Fatalf("verdict %+v", v)
	}
	noTokens(t, l, res, oldTok, newTok, "otherEnvironmentToken0001")
	if reg, err := l.RegistryToken("agw-1"); err != nil || reg != newTok {
		t.Fatalf("registry tenant_token %q (%v)", reg, err)
	}
	auth := readHostFile(t, l, "agw-1", "C/ProgramData/dynatrace/gateway/config/authorization.properties")
	if !strings.Contains(auth, "tenantToken = "+newTok+"\r\n") {
		t.Fatalf("Windows authorization.properties (CRLF kept):\n%q", auth)
	}
	if sent := cmds.all(); strings.Contains(sent, newTok) || strings.Contains(sent, oldTok) ||
		!strings.Contains(sent, "powershell.exe -NoProfile") {
		t.Fatalf("WinRM command lines must carry no token (and must have been logged)")
	}
}

// TestLabRollback leaves a rotation open, then rolls it back: every host
// is back on the old token before cancel, and nobody is cut off.
func TestLabRollback(t *testing.T) {
	t.Parallel()
	l := startLab(t)
	oldTok, _ := l.Sim.Tokens()
	if res := rotate(t, l, "-e", "{finish_rotation: false}"); res.code != 0 {
		t.Fatalf("rotation: %s", res)
	}
	res := runCLI(t, context.Background(), "rollback", "../../playbooks/rotation.yaml", "-i", l.Inventory, "--state-dir", l.StateDir)
	if res.code != 0 || !strings.Contains(res.stdout, "rotation cancelled") {
		t.Fatalf("rollback: %s", res)
	}
	v := l.Verdict()
	if !v.Safe || v.Finished || strings.Join(v.Calls, ",") != "start,cancel" {
		t.Fatalf("verdict %+v", v)
	}
	if active, _ := l.Sim.Tokens(); active != oldTok {
		t.Fatal("after cancel the old token must be the active one")
	}
	if auth := readHostFile(t, l, "ag-1", fakedt.AuthorizationPropertiesPath); !strings.Contains(auth, "tenantToken = "+oldTok+"\n") {
		t.Fatalf("ag-1 not back on the old token:\n%s", auth)
	}
	// Nothing is saved any more: a second rollback has nothing to do.
	res = runCLI(t, context.Background(), "rollback", "../../playbooks/rotation.yaml", "-i", l.Inventory, "--state-dir", l.StateDir)
	if res.code == 0 || !strings.Contains(res.stdout, "nothing to roll back") {
		t.Fatalf("second rollback: %s", res)
	}
}

// TestLabCoverageGate: an agent reporting to the environment but missing
// from the inventory makes run refuse before start, unless accepted.
func TestLabCoverageGate(t *testing.T) {
	t.Parallel()
	l := startLab(t)
	l.Sim.Register("forgotten-host", "oneagent")
	res := rotate(t, l)
	if res.code != ExitFailed || !strings.Contains(res.stderr, "refusing to run: 1 agent(s)") ||
		!strings.Contains(res.stderr, "forgotten-host") || len(l.Sim.Calls()) != 0 {
		t.Fatalf("a forgotten host must stop the run before start: %s\ncalls %v", res, l.Sim.Calls())
	}
	res = rotate(t, l, "--accept-uncovered", "forgotten-host", "--finish-anyway", "forgotten-host")
	if res.code != 0 {
		t.Fatalf("accepted: %s", res)
	}
	if v := l.Verdict(); v.Safe || len(v.Disconnected) != 1 || v.Disconnected[0].Host != "forgotten-host" {
		t.Fatalf("the accepted host is cut off, as the operator accepted: %+v", v)
	}
}

// TestLabVeryVerbose: -vv shows every command sent to each host, never a
// token (a command's output with a token in it is redacted).
func TestLabVeryVerbose(t *testing.T) {
	t.Parallel()
	l := startLab(t)
	oldTok, _ := l.Sim.Tokens()
	res := rotate(t, l, "-vv")
	newTok, _ := l.Sim.Tokens()
	if res.code != 0 || !strings.Contains(res.stdout, "oa-1 $ ") || !strings.Contains(res.stdout, "--get-tenant-token") ||
		!strings.Contains(res.stdout, "ag-1 write /var/lib/dynatrace/gateway/config/authorization.properties") {
		t.Fatalf("-vv should show commands and file operations:\n%s", res)
	}
	noTokens(t, l, res, oldTok, newTok)
}
