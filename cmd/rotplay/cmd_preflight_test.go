package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/rotplay/rotplay/lab/fakedt"
)

// TestLabPreflight: the lab is ready as it starts; an ActiveGate whose
// authorization.properties lacks the environment's section makes it not
// ready, naming that host and the fix. Preflight changes nothing, starts
// no rotation, and no token appears in its output.
func TestLabPreflight(t *testing.T) {
	t.Parallel()
	l := startLab(t)
	oldTok, _ := l.Sim.Tokens()
	res := onRotation(t, "preflight", l.Inventory, l.StateDir)
	t.Log(res)
	if res.code != 0 || !strings.HasSuffix(res.stdout, "\nREADY\n") || strings.Contains(res.stdout, "| FAIL |") {
		t.Fatalf("preflight of a fresh lab: %s", res)
	}
	noTokens(t, l, res, oldTok)
	if now, _ := l.Sim.Tokens(); now != oldTok {
		t.Fatal("preflight started a rotation")
	}
	for _, h := range []string{"ag-1", "oa-1"} { // the privilege check runs in both phases
		if !regexp.MustCompile(`(?m)^` + h + ` +\| privilege +\| ok `).MatchString(res.stdout) {
			t.Errorf("no privilege row for %s:\n%s", h, res.stdout)
		}
	}

	path := filepath.Join(l.HostRoot("ag-2"), fakedt.AuthorizationPropertiesPath)
	auth := readHostFile(t, l, "ag-2", fakedt.AuthorizationPropertiesPath)
	var kept []string
	for line := range strings.SplitSeq(auth, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(line), "[") {
			kept = append(kept, line)
		}
	}
	if err := os.WriteFile(path, []byte(strings.Join(kept, "\n")), 0o640); err != nil {
		t.Fatal(err)
	}
	res = onRotation(t, "preflight", l.Inventory, l.StateDir)
	t.Log(res)
	if res.code != ExitFailed || !strings.HasSuffix(res.stdout, "\nNOT READY\n") ||
		!strings.Contains(res.stdout, "dt_tenant does not match a section of authorization.properties") {
		t.Fatalf("preflight with a section missing: %s", res)
	}
	for _, line := range strings.Split(res.stdout, "\n") {
		if strings.Contains(line, "| FAIL |") && !strings.HasPrefix(line, "ag-2 ") {
			t.Errorf("only ag-2 should fail: %s", line)
		}
	}
	noTokens(t, l, res, oldTok)

	res = onRotation(t, "preflight", l.Inventory, l.StateDir, "--output", "json")
	var out struct {
		Ready  bool
		Checks []preflightCheck
	}
	if err := json.Unmarshal([]byte(res.stdout), &out); err != nil || out.Ready || res.code != ExitFailed {
		t.Fatalf("json preflight (%v): %s", err, res)
	}
	var named bool
	for _, c := range out.Checks {
		named = named || (c.Host == "ag-2" && c.Status == "FAIL" && strings.Contains(c.Fix, "dt_tenant does not match"))
	}
	if !named {
		t.Fatalf("json does not name ag-2 and its fix: %s", res)
	}
	noTokens(t, l, res, oldTok)
	if now, _ := l.Sim.Tokens(); now != oldTok {
		t.Fatal("preflight started a rotation")
	}
}
