package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/rotplay/rotplay/lab"

	"github.com/rotplay/rotplay/inventory"
)

// TestLabCoverage: the lab's own inventory covers every agent; one without
// oa-3 leaves a connected OneAgent out, which must fail with exit 3.
func TestLabCoverage(t *testing.T) {
	t.Parallel()
	l := startLab(t)
	res := runCLI(t, context.Background(), "coverage", "../../playbooks/rotation.yaml", "-i", l.Inventory)
	if res.code != 0 || !strings.Contains(res.stdout, "every connected OneAgent host and ActiveGate is in the inventory") {
		t.Fatalf("full inventory: %s", res)
	}
	inv, err := os.ReadFile(l.Inventory)
	if err != nil {
		t.Fatal(err)
	}
	partial := filepath.Join(l.Dir, "partial.yaml")
	cut := regexp.MustCompile(`(?m)^ +oa-3:.*\n`).ReplaceAllString(string(inv), "")
	if err := os.WriteFile(partial, []byte(cut), 0o600); err != nil {
		t.Fatal(err)
	}
	res = runCLI(t, context.Background(), "coverage", "../../playbooks/rotation.yaml", "-i", partial)
	if res.code != ExitFailed || !strings.Contains(res.stdout, "MISSING oneagent   oa-3") || strings.Contains(res.stdout, "oa-1") {
		t.Fatalf("inventory without oa-3: %s", res)
	}
	res = runCLI(t, context.Background(), "coverage", "../../playbooks/rotation.yaml", "-i", partial, "--output", "json")
	var out struct {
		Complete bool
		Missing  []struct{ Kind, Name string }
	}
	if err := json.Unmarshal([]byte(res.stdout), &out); err != nil || out.Complete || len(out.Missing) != 1 || out.Missing[0].Name != "oa-3" {
		t.Fatalf("json (%v): %s", err, res)
	}
	noTokens(t, l, res)
}

// TestLabInventoryDiscover: the discovered inventory lists the lab's hosts
// in the right groups with the tenant, loads as an inventory, and covers
// the environment.
func TestLabInventoryDiscover(t *testing.T) {
	t.Parallel()
	l := startLab(t)
	tokenFile := filepath.Join(l.Dir, "api-token")
	res := runCLI(t, context.Background(), "inventory", "discover", "--environment", l.APIURL, "--api-token-file", tokenFile)
	if res.code != 0 || !strings.Contains(res.stdout, "dt_tenant: "+l.Sim.TenantUUID()) || !strings.Contains(res.stdout, "# HOST-") {
		t.Fatalf("discover: %s", res)
	}
	oldTok, _ := l.Sim.Tokens()
	noTokens(t, l, res, oldTok)
	out := filepath.Join(l.Dir, "discovered.yaml")
	res = runCLI(t, context.Background(), "inventory", "discover", "--environment", l.APIURL, "--api-token-file", tokenFile, "-o", out)
	if res.code != 0 || res.stdout != "" {
		t.Fatalf("discover -o: %s", res)
	}
	inv, err := inventory.Load(out)
	if err != nil {
		t.Fatal(err)
	}
	groups := map[string]string{}
	for _, h := range inv.Hosts() {
		for _, g := range h.Groups {
			if g == "activegates" || g == "oneagents" {
				groups[h.Name] = g
			}
		}
		if h.Vars["dt_environment_url"] != l.APIURL {
			t.Fatalf("%s: dt_environment_url %v", h.Name, h.Vars["dt_environment_url"])
		}
	}
	if len(groups) != 5 || groups["ag-1"] != "activegates" || groups["oa-3"] != "oneagents" {
		t.Fatalf("groups %v", groups)
	}
}

func TestInventoryYAMLWindows(t *testing.T) {
	t.Parallel()
	got, err := inventoryYAML("https://abc.live.dynatrace.com", "", nil,
		[]discovered{{name: "win1.corp.example", id: "HOST-1", os: "windows", comment: "availability monitored"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"# HOST-1, os windows", "win1.corp.example:", "os: windows", "ansible_connection: winrm"} {
		if !strings.Contains(string(got), want) {
			t.Fatalf("missing %q in\n%s", want, got)
		}
	}
	if strings.Contains(string(got), "dt_tenant") {
		t.Fatalf("no tenant known, none written:\n%s", got)
	}
}

func TestPreferFQDN(t *testing.T) {
	t.Parallel()
	for _, tc := range [][]string{{"web1.example.com", "web1", "web1.example.com"}, {"web1", "web1.example.com.", "web1.example.com"}, {"web1", "", "web1"}, {"", "HOST-1", "HOST-1"}} {
		if got := preferFQDN(tc[0], tc[1]); got != tc[2] {
			t.Errorf("preferFQDN(%q, %q) = %q, want %q", tc[0], tc[1], got, tc[2])
		}
	}
}

// TestDiscoverWindowsHosts: the API's osType makes Windows hosts WinRM
// hosts in the discovered inventory.
func TestDiscoverWindowsHosts(t *testing.T) {
	t.Parallel()
	l, _ := startLabWith(t, lab.Options{}) // includes agw-1 and oaw-1
	res := runCLI(t, context.Background(), "inventory", "discover", "--environment", l.APIURL,
		"--api-token-file", filepath.Join(l.Dir, "api-token"), "-o", filepath.Join(l.Dir, "d.yaml"))
	if res.code != 0 {
		t.Fatalf("discover: %s", res)
	}
	inv, err := inventory.Load(filepath.Join(l.Dir, "d.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"agw-1", "oaw-1"} {
		h, ok := inv.Host(name)
		if !ok || h.Vars["os"] != "windows" || h.Vars["ansible_connection"] != "winrm" {
			t.Fatalf("%s: %+v", name, h)
		}
	}
	if h, _ := inv.Host("oa-1"); h == nil || h.Vars["ansible_connection"] != nil {
		t.Fatalf("a Linux host must stay ssh: %+v", h)
	}
}
