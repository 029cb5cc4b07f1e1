package engine_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/rotplay/rotplay/engine"
	"github.com/rotplay/rotplay/inventory"
	"github.com/rotplay/rotplay/modules"
	"github.com/rotplay/rotplay/playbook"
)

const previousPlaybook = `
phases:
  - {name: gates, hosts: activegates, tasks: [{probe: {fail: "{{ host.name == 'ag2' }}"}}]}
  - {name: agents, hosts: oneagents, tasks: [{probe: {}}]}
  - {name: end, hosts: controller, tasks: [{probe: {label: gate}}]}
`

// limitedRun runs previousPlaybook with --limit and PreviouslyDone, and
// returns the fleet the controller task saw, by host.
func limitedRun(t *testing.T, limit string, done map[string]map[string]bool) (map[string]modules.FleetHost, *setup) {
	t.Helper()
	s := newSetup(t)
	var seen *modules.Fleet
	s.rec.onFleet = func(f *modules.Fleet) { seen = f }
	s.runner.PreviouslyDone = done
	s.runner.PreviouslyDoneAt = map[string]time.Time{"ag3": time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC)}
	pb, err := playbook.Parse("play.yaml", []byte(previousPlaybook))
	if err != nil {
		t.Fatal(err)
	}
	inv, _ := inventory.Parse("inv.yaml", []byte(testInventory))
	plan, err := engine.Compile(pb, inv, engine.CompileOptions{Modules: modules.NewRegistry(probe{rec: s.rec}),
		Connections: []string{"fake", "local"}, Limit: limit})
	if err != nil {
		t.Fatal(err)
	}
	_, _ = s.runner.Run(context.Background(), plan)
	got := map[string]modules.FleetHost{}
	if seen != nil {
		for _, h := range seen.Hosts {
			got[h.Name] = h
		}
	}
	return got, s
}

// TestFleetPreviouslyDone: hosts --limit leaves out count as done when an
// earlier run of the rotation completed every phase they are in; others
// stay excluded, and hosts this run touched are judged by this run.
func TestFleetPreviouslyDone(t *testing.T) {
	t.Parallel()
	earlier := map[string]map[string]bool{
		"ag1": {"gates": true}, "ag3": {"gates": true},
		"oa1": {"agents": true},
		"oa2": {"other phase": true}, // not the phase it is in here
	}
	got, _ := limitedRun(t, "ag1", earlier)
	want := map[string]string{"ag1": "done", "ag2": "excluded", "ag3": "done", "oa1": "done", "oa2": "excluded"}
	for name, status := range want {
		if got[name].Status != status {
			t.Errorf("%s: %q (%s), want %q", name, got[name].Status, got[name].Reason, status)
		}
	}
	if r := got["ag3"].Reason; r != "verified in an earlier run at 2025-03-04T05:06:07Z" {
		t.Errorf("ag3 reason %q", r)
	}
	if r := got["oa1"].Reason; r != "verified in an earlier run" {
		t.Errorf("oa1 reason %q", r)
	}
	if r := got["ag2"].Reason; r != "left out by --limit" {
		t.Errorf("ag2 reason %q", r)
	}
}

// TestFleetPreviouslyDoneFailedHereBlocks: a host that fails in this run
// blocks, whatever an earlier run recorded.
func TestFleetPreviouslyDoneFailedHereBlocks(t *testing.T) {
	t.Parallel()
	s := newSetup(t)
	var seen *modules.Fleet
	s.rec.onFleet = func(f *modules.Fleet) { seen = f }
	s.runner.PreviouslyDone = map[string]map[string]bool{"ag2": {"gates": true}}
	_, _ = s.run(context.Background(), `
phases:
  - {name: gates, hosts: activegates, max_fail_percentage: 50, tasks: [{probe: {fail: "{{ host.name == 'ag2' }}"}}]}
  - {name: end, hosts: controller, tasks: [{probe: {label: gate}}]}
`)
	if seen == nil {
		t.Fatal("the controller task got no fleet")
	}
	for _, h := range seen.Hosts {
		if h.Name == "ag2" && h.Status != "failed" {
			t.Fatalf("ag2 failed in this run but the fleet says %q (%s)", h.Status, h.Reason)
		}
	}
}

// TestPhaseSummaryCompleted: the summary lists the hosts that finished
// every task of the phase.
func TestPhaseSummaryCompleted(t *testing.T) {
	t.Parallel()
	s := newSetup(t)
	_, _ = s.run(context.Background(), `
phases:
  - {name: gates, hosts: activegates, max_fail_percentage: 50, tasks: [{probe: {fail: "{{ host.name == 'ag2' }}"}}]}
`)
	for _, ev := range s.events.all {
		if ev.Kind == engine.PhaseFinished {
			if got := strings.Join(ev.Summary.Completed, ","); got != "ag1,ag3" {
				t.Fatalf("Completed = %s, want ag1,ag3", got)
			}
			return
		}
	}
	t.Fatal("no PhaseFinished event")
}
