package main

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/rotplay/rotplay/engine"
	"github.com/rotplay/rotplay/secret"
)

// auditPlaybook reads, changing nothing, the token each host is configured
// with. ActiveGates: file_replace in check mode against the environment's
// token (changed means the file holds another token), so no token is ever
// read into rotplay. OneAgents: oneagentctl get_only, whose message is the
// fingerprint and whose token the engine registers as a secret. The path
// defaults are rotation.yaml's; the inventory overrides them the same way.
const auditPlaybook = `name: Audit the configured tenant tokens
defaults:
  ag_config_dir: "{{ host.os == 'windows' ? '%PROGRAMDATA%/dynatrace/gateway/config' : '/var/lib/dynatrace/gateway/config' }}"
  oneagentctl_path: "{{ host.os == 'windows' ? '%PROGRAMFILES%/dynatrace/oneagent/agent/tools/oneagentctl.exe' : '/opt/dynatrace/oneagent/agent/tools/oneagentctl' }}"
phases:
  - name: ActiveGates
    hosts: activegates
    max_fail_percentage: 100 # one host's error is that host's verdict
    tasks:
      - name: compare authorization.properties
        file_replace:
          path: "{{ ag_config_dir }}/authorization.properties"
          section: "{{ dt_tenant }}"
          key: tenantToken
          value: "{{ audit_environment_token }}"
          expect: 1
        check_mode: true
  - name: OneAgents
    hosts: oneagents
    max_fail_percentage: 100
    tasks:
      - name: read the tenant token
        oneagentctl:
          get_only: true
          path: "{{ oneagentctl_path }}"
`

// auditCmd compares every host's configured tenant token with the
// environment's current one.
type auditCmd struct {
	planFlags
	KnownHosts []string `name:"known-hosts" sep:"none" help:"known_hosts file to verify SSH host keys against (repeatable)." placeholder:"FILE"`
	Forks      int      `help:"How many hosts are read at once, at most." default:"50"`
	Output     string   `enum:"text,json" default:"text" help:"What stdout shows: text (for people) or json."`
}

// auditHost is one host's verdict.
type auditHost struct {
	Host        string `json:"host"`
	Kind        string `json:"kind"`   // the audit phase: ActiveGates or OneAgents
	Status      string `json:"status"` // match, mismatch, error, unreachable
	Fingerprint string `json:"fingerprint,omitempty"`
	Detail      string `json:"detail,omitempty"`
}

// Run reads the environment's token, then every host's, and prints the
// comparison.
func (c *auditCmd) Run(e *env) error {
	plan, url, tokens, err := c.compileAPI()
	if err != nil {
		return err
	}
	client, err := newAPIClient(url, tokens, controllerString(plan, "dt_ca_file"))
	if err != nil {
		return err
	}
	ci, err := client.ConnectionInfo(e.ctx)
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	secrets := &secret.Redactor{}
	secrets.Add(ci.TenantToken)
	auditPlan, err := c.compileAudit(plan, ci.TenantToken, ci.TenantUUID)
	if err != nil {
		return err
	}
	hosts := c.runAudit(e, auditPlan, secrets, secret.Fingerprint(ci.TenantToken))
	if err := writeAudit(e.stdout, c.Output, url, secret.Fingerprint(ci.TenantToken), hosts); err != nil {
		return err
	}
	var bad []string
	for _, h := range hosts {
		if h.Status != "match" {
			bad = append(bad, h.Host+" ("+h.Status+")")
		}
	}
	if len(bad) > 0 {
		return &findings{hosts: bad, msg: fmt.Sprintf("%d host(s) are not configured with the environment's current tenant token: %s",
			len(bad), strings.Join(bad, ", "))}
	}
	return nil
}

// compileAudit compiles the embedded playbook against the inventory the
// user's playbook names (or -i), with the environment's token as an extra
// var, and dt_tenant from connectioninfo when the inventory has none.
func (c *auditCmd) compileAudit(user *engine.Plan, token, tenant string) (*engine.Plan, error) {
	return c.compileEmbedded(user, "audit", auditPlaybook, tenant, map[string]any{"audit_environment_token": token})
}

// runAudit runs the audit plan and turns its events into verdicts.
func (c *auditCmd) runAudit(e *env, plan *engine.Plan, secrets *secret.Redactor, envFP string) []auditHost {
	col := &auditCollector{envFP: envFP, seen: map[string]bool{}}
	runChecks(e, plan, c.Forks, c.KnownHosts, secrets, col)
	slices.SortStableFunc(col.hosts, func(a, b auditHost) int { return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Host, b.Host)) })
	return col.hosts
}

// auditCollector turns task events into one verdict per host.
type auditCollector struct {
	envFP string
	seen  map[string]bool // hosts that have a verdict; the first one stands
	hosts []auditHost
}

// Event implements engine.Observer.
func (a *auditCollector) Event(ev engine.Event) {
	switch ev.Kind {
	case engine.TaskFinished:
		a.add(a.verdict(ev))
	case engine.HostUnreachable:
		a.add(auditHost{Host: ev.Host, Kind: phaseName(ev), Status: "unreachable", Detail: ev.Msg})
	}
}

func (a *auditCollector) add(h auditHost) {
	if a.seen[h.Host] {
		return
	}
	a.seen[h.Host] = true
	a.hosts = append(a.hosts, h)
}

// verdict judges one finished task. Messages are already redacted.
func (a *auditCollector) verdict(ev engine.Event) auditHost {
	h := auditHost{Host: ev.Host, Kind: phaseName(ev)}
	switch {
	case ev.Status != engine.StatusOK && ev.Status != engine.StatusChanged:
		h.Status, h.Detail = "error", ev.Msg
		if ev.Status == engine.StatusUnreachable {
			h.Status = "unreachable"
		}
	case strings.Contains(ev.Msg, "tenant token fingerprint "): // oneagentctl get_only
		_, fp, _ := strings.Cut(ev.Msg, "tenant token fingerprint ")
		h.Fingerprint = strings.Fields(fp + " none")[0]
		h.Status = map[bool]string{true: "match", false: "mismatch"}[h.Fingerprint == a.envFP]
	case ev.Status == engine.StatusChanged: // file_replace would change it
		h.Status, h.Detail = "mismatch", "authorization.properties holds another token"
	default:
		h.Status, h.Fingerprint = "match", a.envFP
	}
	return h
}

func phaseName(ev engine.Event) string {
	if ev.Phase == nil {
		return ""
	}
	return ev.Phase.Name
}

func writeAudit(w io.Writer, format, url, envFP string, hosts []auditHost) error {
	consistent := true
	for _, h := range hosts {
		consistent = consistent && h.Status == "match"
	}
	if format == "json" {
		out := struct {
			Environment string      `json:"environment"`
			Fingerprint string      `json:"environment_token_fingerprint"`
			Consistent  bool        `json:"consistent"`
			Hosts       []auditHost `json:"hosts"`
		}{url, envFP, consistent, append([]auditHost{}, hosts...)}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	fmt.Fprintf(w, "environment %s: current tenant token ***%s\n", url, envFP)
	for _, h := range hosts {
		line := fmt.Sprintf("  %-11s %-12s %s", h.Status, h.Kind, h.Host)
		if h.Fingerprint != "" {
			line += " ***" + h.Fingerprint
		}
		if h.Detail != "" {
			line += ": " + h.Detail
		}
		fmt.Fprintln(w, line)
	}
	verdict := "consistent: every host holds the environment's current token"
	if !consistent {
		verdict = "INCONSISTENT: some hosts do not hold the environment's current token"
	}
	_, err := fmt.Fprintln(w, verdict)
	return err
}

// Help is shown by `rotplay audit --help`.
func (c *auditCmd) Help() string {
	return `Reads the environment's current tenant token (connectioninfo, InstallerDownload
scope) and compares it, changing nothing, with the token each host is configured
with: authorization.properties on ActiveGates (this environment's section), and
oneagentctl --get-tenant-token on OneAgents. Only fingerprints are shown.

Exit codes: 0 every host matches; 3 some host mismatches or could not be read;
1 the API could not be read; 2 usage error.`
}
