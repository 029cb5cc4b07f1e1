package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/rotplay/rotplay/internal/shquote"
)

type scheduleCmd struct {
	Print      string `help:"What to print: systemd (a service and a timer) or cron (a crontab line)." enum:"systemd,cron" required:""`
	Playbook   string `arg:"" help:"The playbook to run (made absolute)."`
	Inventory  string `short:"i" help:"Inventory file (made absolute)." placeholder:"FILE"`
	StateDir   string `name:"state-dir" help:"State directory of the scheduled runs." default:"/var/lib/rotplay" placeholder:"DIR"`
	EnvFile    string `name:"env-file" help:"File holding DT_API_TOKEN=... (mode 0600), read by the scheduler, never passed on a command line." default:"/etc/rotplay/env" placeholder:"FILE"`
	Report     string `help:"Where each run writes its JSON report." default:"/var/log/rotplay/last-report.json" placeholder:"FILE"`
	OnCalendar string `name:"on-calendar" help:"When to run: a systemd OnCalendar value (systemd) or five cron fields (cron)." placeholder:"WHEN"`
}

// Help is shown by `rotplay schedule --help`.
func (c *scheduleCmd) Help() string {
	return `Prints, for your paths, what makes the scheduler run a rotation: a systemd service and
timer pair, or a crontab line. Nothing is installed: read it, then put it in place (see
docs/scheduling.md). The API token is read by the scheduler from --env-file, never given on
a command line; the run holds the state directory's lock, so two scheduled runs never
overlap; and without a terminal rotplay never prompts, it fails clearly instead.`
}

// Run prints the schedule.
func (c *scheduleCmd) Run(e *env) error {
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	args := []string{exe, "run", abs(c.Playbook)}
	if c.Inventory != "" {
		args = append(args, "-i", abs(c.Inventory))
	}
	args = append(args, "--state-dir", abs(c.StateDir), "--report", abs(c.Report))
	line := make([]string, len(args))
	for i, a := range args {
		line[i] = shquote.Word(a)
	}
	cmd := strings.Join(line, " ")
	if c.Print == "cron" {
		when := c.OnCalendar
		if when == "" {
			when = "30 3 1 */3 *" // 03:30 on the first day of every third month
		}
		fmt.Fprintf(e.stdout, "# /etc/cron.d/rotplay: rotate the tenant token (exit codes: see rotplay run --help)\n")
		fmt.Fprintf(e.stdout, "%s root set -a && . %s && set +a && %s >>/var/log/rotplay/rotplay.log 2>&1\n",
			when, shquote.Word(abs(c.EnvFile)), cmd)
		return nil
	}
	when := c.OnCalendar
	if when == "" {
		when = "*-01,04,07,10-01 03:30:00"
	}
	fmt.Fprintf(e.stdout, systemdUnits, cmd, abs(c.EnvFile), when)
	return nil
}

func abs(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}

const systemdUnits = `# /etc/systemd/system/rotplay.service
[Unit]
Description=Rotate the Dynatrace tenant token (rotplay)
Wants=network-online.target
After=network-online.target

[Service]
Type=oneshot
ExecStart=%s
# DT_API_TOKEN=... (mode 0600): read by systemd, never on a command line.
EnvironmentFile=%s
# rotplay logs to stderr: journalctl -u rotplay

# /etc/systemd/system/rotplay.timer
[Unit]
Description=Rotate the Dynatrace tenant token (rotplay)

[Timer]
OnCalendar=%s
Persistent=true
RandomizedDelaySec=15m

[Install]
WantedBy=timers.target
`
