package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rotplay/rotplay/dynatrace"
	"github.com/rotplay/rotplay/engine"
	"github.com/rotplay/rotplay/secret"
	"github.com/rotplay/rotplay/state"
)

// preflightMinFreeKiB is the free space the config directory needs for
// file_replace's temporary copy of a token file (a few KiB) with margin.
const preflightMinFreeKiB = 1024

// preflightPlaybook checks, changing nothing, what a rotation will need on
// each host. Every task ignores errors so one problem does not hide the
// next; the collector judges each task by its name. The token value is a
// placeholder: a "would change" is expected, a failure is the finding. Only
// id, df and net session run for real (check_mode: false): they read. The
// path defaults are rotation.yaml's; the inventory overrides them the same way.
const preflightPlaybook = `name: Preflight checks before a rotation
defaults:
  ag_config_dir: "{{ host.os == 'windows' ? '%PROGRAMDATA%/dynatrace/gateway/config' : '/var/lib/dynatrace/gateway/config' }}"
  ag_install_dir: "{{ host.os == 'windows' ? '%PROGRAMFILES%/dynatrace' : '/opt/dynatrace' }}"
  ag_service: "{{ host.os == 'windows' ? 'Dynatrace Gateway' : 'dynatracegateway' }}"
  oneagentctl_path: "{{ host.os == 'windows' ? '%PROGRAMFILES%/dynatrace/oneagent/agent/tools/oneagentctl.exe' : '/opt/dynatrace/oneagent/agent/tools/oneagentctl' }}"
phases:
  - name: ActiveGates
    hosts: activegates
    max_fail_percentage: 100
    tasks:
      - &privilege
        name: privilege
        when: host.os != "windows"
        command: {argv: [id, -u]}
        check_mode: false
        failed_when: result.rc != 0 || result.stdout != "0"
        ignore_errors: true
      - name: privilege (Windows elevation)
        when: host.os == "windows"
        command: net session
        check_mode: false
        ignore_errors: true
      - name: authorization.properties
        file_replace:
          path: "{{ ag_config_dir }}/authorization.properties"
          section: "{{ dt_tenant }}"
          key: tenantToken
          value: rotplayPreflightPlaceholder
          expect: 1
        check_mode: true
        ignore_errors: true
      - name: remote plugin ruxitagent.conf
        file_replace:
          path: "{{ ag_install_dir }}/remotepluginmodule/agent/conf/ruxitagent.conf"
          key: TenantToken
          value: rotplayPreflightPlaceholder
          missing: skip
        check_mode: true
        ignore_errors: true
      - name: remote plugin extensions.conf
        file_replace:
          path: "{{ ag_install_dir }}/remotepluginmodule/agent/conf/extensions.conf"
          key: TenantToken
          value: rotplayPreflightPlaceholder
          missing: skip
        check_mode: true
        ignore_errors: true
      - name: zRemote ruxitagent.conf
        file_replace:
          path: "{{ ag_install_dir }}/zremote/agent/conf/ruxitagent.conf"
          key: TenantToken
          value: rotplayPreflightPlaceholder
          missing: skip
        check_mode: true
        ignore_errors: true
      - name: ActiveGate service
        service:
          name: "{{ ag_service }}"
          state: started
        check_mode: true
        ignore_errors: true
      - name: free disk space
        when: host.os != "windows"
        command: "df -Pk '{{ ag_config_dir }}' | tail -n 1"
        check_mode: false
        ignore_errors: true
  - name: OneAgents
    hosts: oneagents
    max_fail_percentage: 100
    tasks:
      - *privilege
      - name: oneagentctl
        oneagentctl:
          get_only: true
          path: "{{ oneagentctl_path }}"
        ignore_errors: true
`

// preflightCmd checks, days before a rotation and changing nothing, that
// every host and the API are ready for one. It never starts a rotation.
type preflightCmd struct {
	planFlags
	KnownHosts []string `name:"known-hosts" sep:"none" help:"known_hosts file to verify SSH host keys against (repeatable)." placeholder:"FILE"`
	Forks      int      `help:"How many hosts are checked at once, at most." default:"50"`
	Output     string   `enum:"text,json" default:"text" help:"What stdout shows: text (for people) or json."`
}

// preflightCheck is one row of the readiness table. Status is ok, FAIL or
// warn (could not be checked, or optional); only FAIL makes it not ready.
type preflightCheck struct {
	Host   string `json:"host"`
	Check  string `json:"check"`
	Status string `json:"status"`
	Detail string `json:"detail,omitempty"`
	Fix    string `json:"fix,omitempty"`
}

// Run checks the API, then every host, and prints the table and verdict.
func (c *preflightCmd) Run(e *env) error {
	plan, url, tokens, err := c.compileAPI()
	if err != nil {
		return err
	}
	secrets := &secret.Redactor{}
	rows, tenant := c.checkAPI(e, plan, url, tokens, secrets)
	rows = append(rows, c.checkState(url))
	hostPlan, err := c.compilePreflight(plan, tenant)
	if err != nil {
		return err
	}
	rows = append(rows, c.runPreflight(e, hostPlan, secrets)...)
	for i := range rows {
		rows[i].Detail, rows[i].Fix = secrets.Redact(rows[i].Detail), secrets.Redact(rows[i].Fix)
	}
	if err := writePreflight(e.stdout, c.Output, url, rows); err != nil {
		return err
	}
	var bad []string
	for _, r := range rows {
		if r.Status == "FAIL" && !slices.Contains(bad, r.Host) {
			bad = append(bad, r.Host)
		}
	}
	if len(bad) > 0 {
		return &findings{hosts: bad, msg: "not ready for a rotation: fix the FAIL rows above on " + strings.Join(bad, ", ")}
	}
	return nil
}

// checkAPI reads connectioninfo (InstallerDownload) and the optional host
// lists, and returns the rows and the environment ID for dt_tenant.
func (c *preflightCmd) checkAPI(e *env, plan *engine.Plan, url string, tokens tokenSource, secrets *secret.Redactor) ([]preflightCheck, string) {
	const api = "(api)"
	tok, err := tokens()
	if err != nil {
		return []preflightCheck{{api, "API token", "FAIL", err.Error(), "set $DT_API_TOKEN or dt_api_token_file"}}, ""
	}
	secrets.Add(tok)
	client, err := dynatrace.New(dynatrace.Config{URL: url, Token: tok, CAFile: controllerString(plan, "dt_ca_file"), UserAgent: "rotplay/" + versionString()})
	if err != nil {
		return []preflightCheck{{api, "API client", "FAIL", err.Error(), "check dt_environment_url and dt_ca_file"}}, ""
	}
	var rows []preflightCheck
	tenant := ""
	if ci, err := client.ConnectionInfo(e.ctx); err != nil {
		rows = append(rows, preflightCheck{api, "reachable, token valid, InstallerDownload", "FAIL", err.Error(), apiFix(err, "InstallerDownload")})
	} else {
		secrets.Add(ci.TenantToken)
		tenant = ci.TenantUUID
		rows = append(rows, preflightCheck{Host: api, Check: "reachable, token valid, InstallerDownload", Status: "ok"})
	}
	required := controllerBool(plan, "dt_verify_api")
	_, errOA := client.OneAgents(e.ctx, time.Now().Add(-coverageWindow))
	_, errAG := client.ActiveGates(e.ctx)
	rows = append(rows, optionalScope(api, "oneAgents.read", errOA, required), optionalScope(api, "activeGates.read", errAG, required))
	rows = append(rows, preflightCheck{Host: api, Check: "rotation can be started", Status: "warn",
		Detail: "not probed: the only test is starting a rotation, which preflight never does",
		Fix:    "make sure the API token has the scope for tenant token rotation (see docs/rotation.md)"})
	return rows, tenant
}

// optionalScope is the row of a read scope that only dt_verify_api and
// rotplay coverage need.
func optionalScope(host, scope string, err error, required bool) preflightCheck {
	r := preflightCheck{Host: host, Check: scope + " (optional)", Status: "ok"}
	if err == nil {
		return r
	}
	r.Status, r.Detail, r.Fix = "warn", err.Error(), apiFix(err, scope)
	if required {
		r.Check, r.Status = scope+" (dt_verify_api)", "FAIL"
	}
	return r
}

func apiFix(err error, scope string) string {
	switch {
	case errors.Is(err, dynatrace.ErrUnauthorized):
		return "the API token is invalid or expired: create a new one and set $DT_API_TOKEN or dt_api_token_file"
	case errors.Is(err, dynatrace.ErrForbidden):
		return "add the " + scope + " scope to the API token"
	}
	return "check dt_environment_url, the network path to it and dt_ca_file"
}

// checkState reports whether a rotation is saved in the state directory,
// without creating the directory.
func (c *preflightCmd) checkState(url string) preflightCheck {
	r := preflightCheck{Host: "(state)", Check: "no rotation saved", Status: "ok"}
	dir := c.StateDir
	if dir == "" {
		var err error
		if dir, err = state.DefaultDir(); err != nil {
			r.Status, r.Detail, r.Fix = "FAIL", err.Error(), "pass --state-dir"
			return r
		}
	}
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		return r
	}
	d, err := state.Open(dir) // it exists: Open only checks its mode
	if err == nil {
		_, err = d.LoadRotation(url)
	}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return r
	case err != nil:
		r.Status, r.Detail, r.Fix = "FAIL", err.Error(), "fix or move the state directory "+dir
	default:
		r.Status, r.Detail = "warn", "a rotation of "+url+" is saved in "+dir+": the next run resumes it"
		r.Fix = "rotplay status shows it; rotplay rollback cancels it"
	}
	return r
}

// compilePreflight compiles the embedded playbook against the user's
// inventory, with dt_tenant from connectioninfo when the inventory has none.
func (c *preflightCmd) compilePreflight(user *engine.Plan, tenant string) (*engine.Plan, error) {
	return c.compileEmbedded(user, "preflight", preflightPlaybook, tenant, nil)
}

// runPreflight runs the host checks in check mode and judges each task.
func (c *preflightCmd) runPreflight(e *env, plan *engine.Plan, secrets *secret.Redactor) []preflightCheck {
	col := &preflightCollector{plan: plan}
	runChecks(e, plan, c.Forks, c.KnownHosts, secrets, col)
	slices.SortStableFunc(col.rows, func(a, b preflightCheck) int { return strings.Compare(a.Host, b.Host) })
	return col.rows
}

// preflightCollector turns task events into table rows.
type preflightCollector struct {
	plan *engine.Plan
	rows []preflightCheck
}

// Event implements engine.Observer.
func (p *preflightCollector) Event(ev engine.Event) {
	switch {
	case ev.Kind == engine.HostUnreachable:
		p.rows = append(p.rows, preflightCheck{Host: ev.Host, Check: "connect", Status: "FAIL", Detail: ev.Msg,
			Fix: "check the address, port, credentials and known_hosts of " + ev.Host + " in the inventory"})
	case ev.Kind == engine.TaskFinished && ev.Task != nil && ev.Status == engine.StatusSkipped &&
		strings.HasSuffix(ev.Task.Name, ".conf"): // missing: skip
		p.rows = append(p.rows, preflightCheck{Host: ev.Host, Check: ev.Task.Name, Status: "ok", Detail: "not installed"})
	case ev.Kind == engine.TaskFinished && ev.Task != nil && ev.Status != engine.StatusSkipped:
		p.rows = append(p.rows, p.judge(ev))
	}
}

// judge makes one row of a finished task. Messages are already redacted.
func (p *preflightCollector) judge(ev engine.Event) preflightCheck {
	r := preflightCheck{Host: ev.Host, Check: ev.Task.Name, Status: "ok"}
	failed := ev.Status == engine.StatusFailed || ev.Status == engine.StatusIgnored || ev.Status == engine.StatusUnreachable
	if ev.Task.Name == "free disk space" {
		return diskSpace(r, ev.Msg)
	}
	if !failed {
		return r
	}
	r.Status, r.Detail, r.Fix = "FAIL", ev.Msg, p.fix(ev)
	return r
}

// fix says what to do about a failed check.
func (p *preflightCollector) fix(ev engine.Event) string {
	msg := strings.ToLower(ev.Msg)
	switch name := ev.Task.Name; {
	case strings.HasPrefix(name, "privilege (Windows"):
		return "connect as a member of Administrators with an elevated (UAC-exempt) WinRM session"
	case name == "privilege" && (strings.Contains(msg, "sudo") || strings.Contains(msg, "password")):
		return "give " + p.user(ev.Host) + " passwordless sudo (sudo -n must work)"
	case name == "privilege":
		return "log in as root, or set ansible_become: true and give " + p.user(ev.Host) + " passwordless sudo"
	case name == "authorization.properties" && strings.Contains(msg, "has no section"):
		return "dt_tenant does not match a section of authorization.properties: set dt_tenant to the environment ID the file uses"
	case name == "authorization.properties" && (strings.Contains(msg, "no such") || strings.Contains(msg, "not exist") || strings.Contains(msg, "not found")):
		return "authorization.properties is not in ag_config_dir: set ag_config_dir for this host"
	case name == "authorization.properties":
		return "authorization.properties must hold exactly one tenantToken line in the dt_tenant section"
	case strings.HasSuffix(name, ".conf"):
		return "repair the file so every line is key = value, or move it away if that module is not installed"
	case name == "oneagentctl":
		return "install oneagentctl or set oneagentctl_path for this host"
	case name == "ActiveGate service":
		return "install the ActiveGate service or set ag_service to its name"
	}
	return "see the detail"
}

// user is the host's login user, for the sudo advice.
func (p *preflightCollector) user(host string) string {
	for _, h := range p.plan.Hosts {
		if h.Name == host && h.Target.User != "" {
			return h.Target.User
		}
	}
	return "the login user"
}

// diskSpace judges df -Pk's data line: its fourth field is the free KiB.
func diskSpace(r preflightCheck, msg string) preflightCheck {
	f := strings.Fields(msg)
	if len(f) < 4 {
		r.Status, r.Detail, r.Fix = "warn", "not measured: "+msg, "check by hand that ag_config_dir has 1 MiB free (df -Pk)"
		return r
	}
	free, err := strconv.ParseInt(f[3], 10, 64)
	switch {
	case err != nil:
		r.Status, r.Detail, r.Fix = "warn", "not measured: "+msg, "check by hand that ag_config_dir has 1 MiB free (df -Pk)"
	case free < preflightMinFreeKiB:
		r.Status, r.Detail, r.Fix = "FAIL", fmt.Sprintf("%d KiB free", free), "free at least 1 MiB on the file system of ag_config_dir"
	default:
		r.Detail = fmt.Sprintf("%d KiB free", free)
	}
	return r
}

// controllerBool is a boolean controller variable; anything else is false.
func controllerBool(plan *engine.Plan, name string) bool {
	v, _ := plan.ControllerVar(name)
	b, _ := v.(bool)
	return b
}

func writePreflight(w io.Writer, format, url string, rows []preflightCheck) error {
	ready := !slices.ContainsFunc(rows, func(r preflightCheck) bool { return r.Status == "FAIL" })
	if format == "json" {
		out := struct {
			Environment string           `json:"environment"`
			Ready       bool             `json:"ready"`
			Checks      []preflightCheck `json:"checks"`
		}{url, ready, append([]preflightCheck{}, rows...)}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	fmt.Fprintf(w, "preflight of %s (nothing was changed; no rotation was started)\n", url)
	fmt.Fprintf(w, "%-12s | %-42s | %-4s | %s\n", "host", "check", "ok", "fix")
	for _, r := range rows {
		fix := r.Fix
		if r.Detail != "" {
			fix = strings.TrimPrefix(fix+" ("+r.Detail+")", " ")
		}
		fmt.Fprintf(w, "%-12s | %-42s | %-4s | %s\n", r.Host, r.Check, r.Status, fix)
	}
	verdict := "READY"
	if !ready {
		verdict = "NOT READY"
	}
	_, err := fmt.Fprintln(w, verdict)
	return err
}

// Help is shown by `rotplay preflight --help`.
func (c *preflightCmd) Help() string {
	return `Checks, days before a rotation and changing nothing anywhere, that it can
succeed: on every ActiveGate and OneAgent host the privilege, the token files
(authorization.properties with one tenantToken in the dt_tenant section, the
optional plugin and zRemote files), oneagentctl, the ActiveGate service and free
disk space; on the API the connection, the token and its scopes. It never starts
a rotation, so whether one can be started is not probed. See docs/preflight.md.

Exit codes: 0 ready; 3 not ready (a FAIL row); 2 usage error.`
}
