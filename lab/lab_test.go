package lab

import (
	"context"
	"os"
	"strings"
	"testing"
)

func TestStartWritesClientFilesAndCloseCleansUp(t *testing.T) {
	t.Parallel()
	l, err := Start(context.Background(), Options{ActiveGates: 1, OneAgents: 2})
	if err != nil {
		t.Fatal(err)
	}
	inv, err := os.ReadFile(l.Inventory)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"dt_environment_url: " + l.APIURL, "dt_tenant: " + l.Sim.TenantUUID(),
		"ag-1: {ansible_port:", "oa-2: {ansible_port:", "ansible_user: ops, ansible_become: true"} {
		if !strings.Contains(string(inv), want) {
			t.Errorf("inventory lacks %q:\n%s", want, inv)
		}
	}
	kh, _ := os.ReadFile(l.KnownHosts)
	if n := strings.Count(string(kh), "[127.0.0.1]:"); n != 3 {
		t.Errorf("known_hosts has %d entries, want 3:\n%s", n, kh)
	}
	if fi, err := os.Stat(l.Dir + "/api-token"); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("api-token file: %v %v", fi, err)
	}
	if got := len(l.Sim.State()); got != 1*4+2 { // ag-1: activegate, remoteplugin, extensions, zremote
		t.Errorf("%d components registered, want 6", got)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(l.Dir); !os.IsNotExist(err) {
		t.Fatalf("temporary lab directory left behind: %v", err)
	}
}

// A --dir that does not exist yet is created; a failing start cleans up
// without crashing.
func TestStartInNewDir(t *testing.T) {
	t.Parallel()
	dir := t.TempDir() + "/new/lab"
	l, err := Start(context.Background(), Options{Dir: dir, ActiveGates: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if _, err := os.Stat(l.Inventory); err != nil {
		t.Fatal(err)
	}
	// A file where the lab directory should be: an error, not a panic.
	file := t.TempDir() + "/file"
	os.WriteFile(file, nil, 0o600)
	if _, err := Start(context.Background(), Options{Dir: file}); err == nil {
		t.Fatal("want an error for a lab dir that is a file")
	}
}
