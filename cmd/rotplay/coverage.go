package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/rotplay/rotplay/dynatrace"
	"github.com/rotplay/rotplay/engine"
	"github.com/rotplay/rotplay/fleetcheck"
	"github.com/rotplay/rotplay/tmpl"
)

// coverageWindow is how recently a OneAgent host must have been seen
// MONITORED to count as reporting to the environment.
const coverageWindow = time.Hour

// coverageCmd checks, before a rotation, that the inventory holds every
// agent the environment reports as connected: a forgotten host keeps the
// old token and is cut off when the rotation finishes.
type coverageCmd struct {
	planFlags
	Output string `enum:"text,json" default:"text" help:"What stdout shows: text (for people) or json."`
}

// tokenSource returns the API token; it is called once per command.
type tokenSource func() (string, error)

// findings is the verdict of coverage and audit when something needs a
// person: exit code 3, like status's hosts not done (exitcode.go maps
// *hostsNotDone, which Unwrap returns, to ExitFailed).
type findings struct {
	msg   string
	hosts []string
}

func (e *findings) Error() string { return e.msg }
func (e *findings) Unwrap() error { return &hostsNotDone{hosts: e.hosts} }

// Run compiles the playbook, asks the API which agents are connected and
// prints those no inventory host matches.
func (c *coverageCmd) Run(e *env) error {
	plan, url, tokens, err := c.compileAPI()
	if err != nil {
		return err
	}
	missing, err := checkCoverage(e.ctx, plan, url, tokens)
	if err != nil {
		return err
	}
	if err := writeCoverage(e.stdout, c.Output, url, missing); err != nil {
		return err
	}
	if len(missing) > 0 {
		names := make([]string, len(missing))
		for i, h := range missing {
			names[i] = h.Name
		}
		return &findings{hosts: names, msg: fmt.Sprintf("%d agent(s) connected to %s are not in the inventory: %s; "+
			"add them (rotplay inventory discover lists every one) before rotating, or they are cut off when the rotation finishes",
			len(missing), url, strings.Join(names, ", "))}
	}
	return nil
}

// checkCoverage returns the OneAgent hosts (MONITORED in the last hour) and
// the online ActiveGates that no host of plan matches, by verify_api's
// rules (fleetcheck.Match). It needs oneAgents.read and activeGates.read,
// and dt_ca_file from the plan when the environment has a private CA.
func checkCoverage(ctx context.Context, plan *engine.Plan, envURL string, tokens tokenSource) ([]fleetcheck.APIHost, error) {
	client, err := newAPIClient(envURL, tokens, controllerString(plan, "dt_ca_file"))
	if err != nil {
		return nil, err
	}
	since := time.Now().Add(-coverageWindow)
	oas, err := client.OneAgents(ctx, since)
	if err != nil {
		return nil, fmt.Errorf("coverage: %w", err)
	}
	ags, err := client.ActiveGates(ctx)
	if err != nil {
		return nil, fmt.Errorf("coverage: %w", err)
	}
	// The inventory's hosts, including those --limit leaves out of this
	// run: they are covered (the finish gate guards them).
	var names []string
	for _, h := range plan.Hosts {
		if !h.Controller {
			names = append(names, h.Name)
		}
	}
	for _, p := range plan.Phases {
		names = append(names, p.Excluded...)
	}
	return fleetcheck.Uncovered(names, fleetcheck.Hosts(oas, ags, since)), nil
}

func writeCoverage(w io.Writer, format, url string, missing []fleetcheck.APIHost) error {
	if format == "json" {
		type host struct {
			Kind string `json:"kind"`
			ID   string `json:"id"`
			Name string `json:"name"`
		}
		out := struct {
			Environment string `json:"environment"`
			Complete    bool   `json:"complete"`
			Missing     []host `json:"missing"`
		}{Environment: url, Complete: len(missing) == 0, Missing: []host{}}
		for _, h := range missing {
			out.Missing = append(out.Missing, host{Kind: h.Kind, ID: h.ID, Name: h.Name})
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	if len(missing) == 0 {
		_, err := fmt.Fprintf(w, "coverage of %s: every connected OneAgent host and ActiveGate is in the inventory\n", url)
		return err
	}
	fmt.Fprintf(w, "coverage of %s: %d connected agent(s) missing from the inventory:\n", url, len(missing))
	for _, h := range missing {
		fmt.Fprintf(w, "  MISSING %-10s %s (%s)\n", h.Kind, h.Name, h.ID)
	}
	_, err := fmt.Fprintln(w, "these keep the old token and are cut off when the rotation finishes: add them to the inventory first")
	return err
}

// planAPI says which environment a plan is about and where its API token
// comes from: dt_environment_url and dt_api_token_file as the controller
// sees them (-e, else the inventory's all vars), the token from
// $DT_API_TOKEN first.
func planAPI(plan *engine.Plan) (string, tokenSource, error) {
	url := controllerString(plan, "dt_environment_url")
	if url == "" {
		return "", nil, &usageError{errors.New("no environment URL: set dt_environment_url in the inventory's all vars, or -e dt_environment_url=https://...")}
	}
	file := controllerString(plan, "dt_api_token_file")
	return url, func() (string, error) { return dynatrace.TokenFromEnvOrFile("", file) }, nil
}

// compileAPI compiles the playbook and says which environment it is about
// (see planAPI): the start of every command that talks to the API.
func (f *planFlags) compileAPI() (*engine.Plan, string, tokenSource, error) {
	plan, err := f.compile()
	if err != nil {
		return nil, "", nil, err
	}
	url, tokens, err := planAPI(plan)
	return plan, url, tokens, err
}

// controllerString is a plain string controller variable; templates and
// other types count as unset.
func controllerString(plan *engine.Plan, name string) string {
	v, _ := plan.ControllerVar(name)
	s, ok := v.(string)
	if !ok || tmpl.IsTemplate(s) {
		return ""
	}
	return strings.TrimSpace(s)
}

func newAPIClient(url string, tokens tokenSource, caFile string) (*dynatrace.Client, error) {
	tok, err := tokens()
	if err != nil {
		return nil, err
	}
	return dynatrace.New(dynatrace.Config{URL: url, Token: tok, CAFile: caFile, UserAgent: "rotplay/" + versionString()})
}

// Help is shown by `rotplay coverage --help`.
func (c *coverageCmd) Help() string {
	return `Asks the Dynatrace API which agents report to the environment (OneAgent hosts
MONITORED in the last hour, online ActiveGates) and lists those that no inventory
host matches, by the same name rules as verify_api. Run it before every rotation:
a host missing from the inventory keeps the old token and loses its monitoring data
when the rotation finishes. Needs oneAgents.read and activeGates.read.

Exit codes: 0 every connected agent is in the inventory; 3 some are missing;
1 the API could not be read; 2 usage error.`
}
