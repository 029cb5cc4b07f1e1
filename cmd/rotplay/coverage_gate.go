package main

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/rotplay/rotplay/dynatrace"
	"github.com/rotplay/rotplay/engine"
	"github.com/rotplay/rotplay/fleetcheck"
)

// uncoveredError refuses a run because agents report to the environment
// that the inventory does not hold: they would keep the old token and be
// cut off when the rotation finishes.
type uncoveredError struct{ names []string }

func (e *uncoveredError) Error() string {
	return fmt.Sprintf("refusing to run: %d agent(s) report to the environment but are not in the inventory, "+
		"and would be cut off when the rotation finishes: %s. Add them to the inventory (rotplay inventory discover "+
		"lists them all), or accept them explicitly with --accept-uncovered %s",
		len(e.names), strings.Join(e.names, ", "), strings.Join(e.names, ","))
}

// coverageGate runs the coverage check before a run that can finish a
// rotation: when the environment and an API token are known and the token
// may list hosts. It refuses when connected agents are missing from the
// inventory, unless every one of them is named in accepted. A check that
// cannot run (no URL, no read scope) is reported and does not block.
func coverageGate(e *env, plan *engine.Plan, accepted []string) error {
	url := controllerString(plan, "dt_environment_url")
	if url == "" || rollbackRun(plan) || !targetsFleet(plan) {
		return nil
	}
	_, tokens, err := planAPI(plan)
	if err == nil {
		var missing []fleetcheck.APIHost
		if missing, err = checkCoverage(e.ctx, plan, url, tokens); err == nil {
			return refuseUncovered(missing, accepted)
		}
	}
	hint := ""
	if errors.Is(err, dynatrace.ErrForbidden) {
		hint = "; give the API token oneAgents.read and activeGates.read"
	}
	fmt.Fprintf(e.stderr, "rotplay: WARNING: coverage check skipped (%v): agents missing from the inventory would not be noticed%s\n", err, hint)
	return nil
}

func refuseUncovered(missing []fleetcheck.APIHost, accepted []string) error {
	var names []string
	for _, h := range missing {
		if !slices.Contains(accepted, h.Name) {
			names = append(names, h.Name)
		}
	}
	if len(names) == 0 {
		return nil
	}
	return &uncoveredError{names: names}
}

// rollbackRun reports whether the run rolls a rotation back (rotplay
// rollback): agents missing from the inventory keep the old token, which a
// cancel keeps valid, so they are not at risk then.
func rollbackRun(plan *engine.Plan) bool {
	v, _ := plan.ControllerVar("rollback")
	b, _ := v.(bool)
	return b
}

// targetsFleet reports whether the playbook works on hosts at all: one
// that only calls the API (a cancel) has no inventory to compare.
func targetsFleet(plan *engine.Plan) bool {
	for _, p := range plan.Phases {
		if !p.Controller() && (len(p.Hosts) > 0 || len(p.Excluded) > 0) {
			return true
		}
	}
	return false
}
