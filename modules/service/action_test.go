package service

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rotplay/rotplay/modules"
	"github.com/rotplay/rotplay/transport"
	"github.com/rotplay/rotplay/transport/fake"
)

// newHost returns a fake host running ih, and the modules.Host to pass to
// an Action.
func newHost(t *testing.T, ih *initHost, os string, vars map[string]any) (*fake.Host, modules.Host) {
	t.Helper()
	user := map[bool]string{true: "root", false: "dtuser"}[ih.root]
	h := &fake.Host{Name: "ag1", Facts: transport.Facts{OS: os, User: user}, Run: ih.runFunc()}
	c, err := fake.NewNetwork(h).Dial(t.Context(), transport.Target{Name: h.Name})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return h, modules.Host{Name: h.Name, Conn: c, Vars: vars}
}

// lines returns the command lines run on h from call number from on.
func lines(h *fake.Host, from int) []string {
	var out []string
	for _, c := range h.Calls()[from:] {
		out = append(out, c.Arg)
	}
	return out
}

// summary is a Result without Values, checked apart.
func summary(r modules.Result) modules.Result {
	r.Values = nil
	return r
}

// systemdHost is a host where systemd runs, as root.
func systemdHost(u unit) *initHost {
	return &initHost{hasSystemctl: true, booted: true, root: true, units: map[string]*unit{"dynatracegateway": &u}}
}

const gatewayStatus = "● dynatracegateway.service - dynatracegateway | Loaded: loaded (/etc/systemd/system/dynatracegateway.service; enabled) | " +
	"Active: activating (start) since Tue 2025-03-04 05:06:07 UTC; 1min ago"

func TestApplyAndCheck(t *testing.T) {
	t.Parallel()
	isActive := "systemctl is-active dynatracegateway"
	tests := []struct {
		name       string
		args       string // below service:, name excluded
		host       *initHost
		wantCheck  modules.Result
		wantApply  modules.Result
		wantActive bool     // the service runs after Apply
		wantLines  []string // Apply's commands
		wantState  string   // Values["state"] after Apply
	}{
		{"started, already active", "state: started", systemdHost(unit{active: true}),
			modules.Result{Msg: "already active (systemd)"}, modules.Result{Msg: "already active (systemd)"},
			true, []string{isActive}, "started"},
		{"started from inactive", "state: started", systemdHost(unit{}),
			modules.Result{Changed: true, Msg: "would start (systemd)"}, modules.Result{Changed: true, Msg: "started (systemd)"},
			true, []string{isActive, "systemctl start dynatracegateway", isActive}, "started"},
		{"started, slow to come up", "state: started", systemdHost(unit{slow: 3}),
			modules.Result{Changed: true, Msg: "would start (systemd)"}, modules.Result{Changed: true, Msg: "started (systemd)"},
			true, []string{isActive, "systemctl start dynatracegateway", isActive, isActive, isActive, isActive}, "started"},
		{"stopped from active", "state: stopped", systemdHost(unit{active: true}),
			modules.Result{Changed: true, Msg: "would stop (systemd)"}, modules.Result{Changed: true, Msg: "stopped (systemd)"},
			false, []string{isActive, "systemctl stop dynatracegateway", isActive}, "stopped"},
		{"stopped, already inactive", "state: stopped", systemdHost(unit{}),
			modules.Result{Msg: "already stopped (systemd)"}, modules.Result{Msg: "already stopped (systemd)"},
			false, []string{isActive}, "stopped"},
		{"restarted always restarts", "state: restarted", systemdHost(unit{active: true}),
			modules.Result{Changed: true, Msg: "would restart (systemd)"}, modules.Result{Changed: true, Msg: "restarted (systemd)"},
			true, []string{isActive, "systemctl restart dynatracegateway", isActive}, "started"},
		{"never comes back", "state: restarted\ntimeout: 30ms", systemdHost(unit{active: true, never: true}),
			modules.Result{Changed: true, Msg: "would restart (systemd)"},
			modules.Result{Failed: true, Msg: "timed out after 30ms waiting for dynatracegateway to become active (it is activating); status: " + gatewayStatus},
			true, nil, "stopped"},
		{"crashes after start", "state: started\ntimeout: 1h", systemdHost(unit{crash: true}),
			modules.Result{Changed: true, Msg: "would start (systemd)"},
			modules.Result{Failed: true, Msg: "dynatracegateway did not become active (it is failed); status: " + gatewayStatus},
			true, []string{isActive, "systemctl start dynatracegateway", isActive,
				"systemctl status dynatracegateway --no-pager -n 20"}, "stopped"},
		{"not root", "state: started", &initHost{hasSystemctl: true, booted: true, units: map[string]*unit{"dynatracegateway": {}}},
			modules.Result{Changed: true, Msg: "would start (systemd)"},
			modules.Result{Failed: true, Msg: "systemctl start dynatracegateway needs root: set ansible_become: true for this host " +
				"(Failed to start dynatracegateway.service: Interactive authentication required.); status: " +
				strings.Replace(gatewayStatus, "activating (start)", "inactive (dead)", 1)},
			false, nil, "stopped"},
		{"systemctl missing: sysv", "state: started", &initHost{root: true, units: map[string]*unit{"dynatracegateway": {slow: 1}}},
			modules.Result{Changed: true, Msg: "would start (sysv)"}, modules.Result{Changed: true, Msg: "started (sysv)"},
			true, []string{isActive, "service dynatracegateway status", "service dynatracegateway start",
				"service dynatracegateway status", "service dynatracegateway status"}, "started"},
		{"systemd not running: sysv", "state: stopped", &initHost{hasSystemctl: true, root: true, units: map[string]*unit{"dynatracegateway": {active: true}}},
			modules.Result{Changed: true, Msg: "would stop (sysv)"}, modules.Result{Changed: true, Msg: "stopped (sysv)"},
			false, []string{isActive, "service dynatracegateway status", "service dynatracegateway stop", "service dynatracegateway status"}, "stopped"},
		{"sysv never comes back", "state: started\ntimeout: 30ms\nmanager: sysv", &initHost{root: true, units: map[string]*unit{"dynatracegateway": {never: true}}},
			modules.Result{Changed: true, Msg: "would start (sysv)"},
			modules.Result{Failed: true, Msg: "timed out after 30ms waiting for dynatracegateway to become active (it is stopped); status: dynatracegateway is not running"},
			true, nil, "stopped"},
		{"manager systemd without systemctl", "state: started\nmanager: systemd", &initHost{root: true, units: map[string]*unit{"dynatracegateway": {}}},
			modules.Result{Failed: true, Msg: "systemctl is not usable on this host (sh: 1: systemctl: not found); set manager: sysv to use service"},
			modules.Result{Failed: true, Msg: "systemctl is not usable on this host (sh: 1: systemctl: not found); set manager: sysv to use service"},
			false, []string{isActive}, "stopped"},
		{"manager sysv never asks systemctl", "state: started\nmanager: sysv", systemdHost(unit{active: true}),
			modules.Result{Msg: "already active (sysv)"}, modules.Result{Msg: "already active (sysv)"},
			true, []string{"service dynatracegateway status"}, "started"},
		{"neither manager", "state: started", &initHost{noService: true, units: map[string]*unit{}},
			modules.Result{Failed: true, Msg: "neither systemctl nor service is usable on this host (sh: 1: service: not found)"},
			modules.Result{Failed: true, Msg: "neither systemctl nor service is usable on this host (sh: 1: service: not found)"},
			false, []string{isActive, "service dynatracegateway status"}, "stopped"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			act, err := decode(t, "service:\n  name: dynatracegateway\n"+indent(tc.args))
			if err != nil {
				t.Fatal(err)
			}
			host, h := newHost(t, tc.host, "linux", nil)
			before := tc.host.active("dynatracegateway")
			check, err := act.Check(t.Context(), h)
			if err != nil || !reflect.DeepEqual(summary(check), tc.wantCheck) {
				t.Errorf("Check = %+v, %v\nwant %+v", summary(check), err, tc.wantCheck)
			}
			for _, l := range lines(host, 0) {
				if !strings.Contains(l, "is-active") && !strings.HasSuffix(l, " status") {
					t.Errorf("Check ran %q", l)
				}
			}
			if tc.host.active("dynatracegateway") != before {
				t.Error("Check changed the service")
			}
			n := len(host.Calls())
			apply, err := act.Apply(t.Context(), h)
			if err != nil || !reflect.DeepEqual(summary(apply), tc.wantApply) {
				t.Errorf("Apply = %+v, %v\nwant %+v", summary(apply), err, tc.wantApply)
			}
			if tc.host.active("dynatracegateway") != tc.wantActive {
				t.Errorf("after Apply the service runs: %v, want %v", !tc.wantActive, tc.wantActive)
			}
			if got := lines(host, n); tc.wantLines != nil && !reflect.DeepEqual(got, tc.wantLines) {
				t.Errorf("Apply ran\n%q\nwant\n%q", got, tc.wantLines)
			}
			if apply.Values["state"] != tc.wantState || apply.Values["name"] != "dynatracegateway" {
				t.Errorf("Values = %v, want state %s", apply.Values, tc.wantState)
			}
		})
	}
}

func indent(s string) string {
	return "  " + strings.ReplaceAll(s, "\n", "\n  ") + "\n"
}

// TestValues: what register sees, the full status output included on
// failure.
func TestValues(t *testing.T) {
	t.Parallel()
	act, err := decode(t, "service:\n  name: dynatracegateway\n  state: started\n  timeout: 5ms\n")
	if err != nil {
		t.Fatal(err)
	}
	_, h := newHost(t, systemdHost(unit{never: true}), "linux", nil)
	res, err := act.Apply(t.Context(), h)
	if err != nil || !res.Failed {
		t.Fatalf("Apply = %+v, %v; want a failure", res, err)
	}
	status, _ := res.Values["status"].(string)
	if !strings.HasSuffix(status, "dynatracegateway[4242]: waiting for the cluster") || strings.Contains(res.Msg, "waiting for the cluster") {
		t.Errorf("status %q should hold the whole report, Msg %q only its first lines", status, res.Msg)
	}
	delete(res.Values, "status")
	want := map[string]any{"name": "dynatracegateway", "state": "stopped", "manager": "systemd"}
	if !reflect.DeepEqual(res.Values, want) {
		t.Errorf("Values = %v, want %v", res.Values, want)
	}
}

// TestNameQuoted: a unit name with characters sh would interpret reaches
// systemctl as it is.
func TestNameQuoted(t *testing.T) {
	t.Parallel()
	const name = `dyna\x2dtrace@'1'$x`
	act, err := decode(t, "service:\n  name: \""+strings.ReplaceAll(name, `\`, `\\`)+"\"\n  state: started\n")
	if err != nil {
		t.Fatal(err)
	}
	ih := &initHost{hasSystemctl: true, booted: true, root: true, units: map[string]*unit{name: {}}}
	_, h := newHost(t, ih, "linux", nil)
	res, err := act.Apply(t.Context(), h)
	if err != nil || res.Msg != "started (systemd)" || !ih.active(name) {
		t.Errorf("Apply = %+v, %v; want the unit started", res, err)
	}
}

// TestWaitHonoursContext: cancelling ends the wait at once, as an error.
func TestWaitHonoursContext(t *testing.T) {
	t.Parallel()
	act, err := decode(t, "service:\n  name: dynatracegateway\n  state: started\n  timeout: 1h\n")
	if err != nil {
		t.Fatal(err)
	}
	_, h := newHost(t, systemdHost(unit{never: true}), "linux", nil)
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Millisecond)
	defer cancel()
	start := time.Now()
	res, err := act.Apply(ctx, h)
	if !errors.Is(err, context.DeadlineExceeded) || res.Failed || time.Since(start) > 10*time.Second {
		t.Errorf("Apply = %+v, %v after %s; want a context error soon", res, err, time.Since(start))
	}
}
