package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rotplay/rotplay/lab/fakedt"
)

// TestLabAudit: consistent before a rotation and after one left open
// (connectioninfo then returns the new token, which the hosts hold); a
// corrupted authorization.properties makes that host mismatch. No token
// ever appears in the output.
func TestLabAudit(t *testing.T) {
	t.Parallel()
	l := startLab(t)
	oldTok, _ := l.Sim.Tokens()
	res := onRotation(t, "audit", l.Inventory, l.StateDir)
	if res.code != 0 || strings.Count(res.stdout, "  match ") != 5 || !strings.Contains(res.stdout, "consistent: every host") {
		t.Fatalf("audit before rotation: %s", res)
	}
	noTokens(t, l, res, oldTok)
	if rot := rotate(t, l, "-e", "{finish_rotation: false}"); rot.code != 0 {
		t.Fatalf("rotation: %s", rot)
	}
	newTok, _ := l.Sim.Tokens()
	res = onRotation(t, "audit", l.Inventory, l.StateDir)
	if res.code != 0 || strings.Count(res.stdout, "  match ") != 5 {
		t.Fatalf("audit of the open rotation: %s", res)
	}
	noTokens(t, l, res, oldTok, newTok)

	path := filepath.Join(l.HostRoot("ag-2"), fakedt.AuthorizationPropertiesPath)
	auth := readHostFile(t, l, "ag-2", fakedt.AuthorizationPropertiesPath)
	if err := os.WriteFile(path, []byte(strings.Replace(auth, newTok, "corruptedTenantToken0001", 1)), 0o640); err != nil {
		t.Fatal(err)
	}
	res = onRotation(t, "audit", l.Inventory, l.StateDir)
	if res.code != ExitFailed || !strings.Contains(res.stdout, "  mismatch    ActiveGates  ag-2") || strings.Count(res.stdout, "  match ") != 4 {
		t.Fatalf("audit with a corrupted host: %s", res)
	}
	noTokens(t, l, res, oldTok, newTok, "corruptedTenantToken0001")

	res = onRotation(t, "audit", l.Inventory, l.StateDir, "--output", "json")
	var out struct {
		Consistent bool
		Hosts      []auditHost
	}
	if err := json.Unmarshal([]byte(res.stdout), &out); err != nil || out.Consistent || len(out.Hosts) != 5 || res.code != ExitFailed {
		t.Fatalf("json audit (%v): %s", err, res)
	}
	noTokens(t, l, res, oldTok, newTok, "corruptedTenantToken0001")
}
