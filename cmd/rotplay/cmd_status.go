package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/rotplay/rotplay/engine"
	"github.com/rotplay/rotplay/secret"
	"github.com/rotplay/rotplay/state"
)

type statusCmd struct {
	StateDir string `name:"state-dir" env:"ROTPLAY_STATE_DIR" help:"The state directory to read. Default: $XDG_STATE_HOME/rotplay or ~/.local/state/rotplay." placeholder:"DIR"`
}

// Help is shown by `rotplay status --help`.
func (c *statusCmd) Help() string {
	return `Shows each rotation that is open in the state directory (started, not yet finished
or cancelled): when it started, its new token's fingerprint and state file, then, from
the journal, each host's last status in that rotation (done, failed and why, or not
yet) and the runs that worked on it. It reads only; it needs no lock.

Exit codes: 0 no rotation is open, or every host the journal knows is done;
3 some host is not done; 1 the state directory cannot be read.`
}

// hostsNotDone is status's verdict when some host of an open rotation is
// not done yet.
type hostsNotDone struct{ hosts []string }

func (e *hostsNotDone) Error() string {
	return fmt.Sprintf("%d host(s) of the open rotation are not done: %s", len(e.hosts), strings.Join(e.hosts, ", "))
}

func (c *statusCmd) Run(e *env) error {
	dir := c.StateDir
	if dir == "" {
		var err error
		if dir, err = state.DefaultDir(); err != nil {
			return err
		}
	}
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		fmt.Fprintf(e.stdout, "No rotation is open: there is no state directory %s.\n", dir)
		return nil
	}
	d, err := state.Open(dir)
	if err != nil {
		return err
	}
	open, err := d.OpenRotations()
	if err != nil {
		return err
	}
	if len(open) == 0 {
		fmt.Fprintf(e.stdout, "No rotation is open in %s.\n", d.Path())
		return nil
	}
	records, err := d.ReadJournal()
	if err != nil {
		return err
	}
	var notDone []string
	for _, r := range open {
		notDone = append(notDone, printRotation(e.stdout, d, r, records)...)
	}
	if len(notDone) > 0 {
		return &hostsNotDone{hosts: notDone}
	}
	return nil
}

// printRotation prints one open rotation with its hosts and runs, and
// returns the hosts that are not done.
func printRotation(w io.Writer, d *state.Dir, r state.Rotation, records []state.Record) (notDone []string) {
	fp := secret.Fingerprint(r.Active)
	fmt.Fprintf(w, "Open rotation of %s\n", r.Environment)
	fmt.Fprintf(w, "  started:      %s\n", stamp(r.StartedAt))
	fmt.Fprintf(w, "  active token: %s (fingerprint %s)\n", secret.Mask(r.Active), fp)
	fmt.Fprintf(w, "  state file:   %s\n", d.RotationPath(r.Environment))
	progress := state.Progress(records, fp)
	delete(progress, engine.ControllerHost)
	if len(progress) == 0 {
		fmt.Fprintln(w, "  hosts: none recorded in the journal yet")
	} else {
		fmt.Fprintln(w, "  hosts (those a run of this rotation touched; hosts left out by --limit are not listed):")
	}
	for _, host := range slices.Sorted(maps.Keys(progress)) {
		status, done := hostStatus(progress[host])
		fmt.Fprintf(w, "    %-24s %s\n", host, status)
		if !done {
			notDone = append(notDone, host)
		}
	}
	printRuns(w, records, fp)
	return notDone
}

// hostStatus says how a host stands, from its journal records.
func hostStatus(p *state.HostProgress) (string, bool) {
	last := p.Last
	run := fmt.Sprintf("run %s, %s", last.RunID, stamp(last.Time))
	switch {
	case last.Mode == state.ModeRollback:
		return fmt.Sprintf("not yet: being rolled back to the old token (%s)", run), false
	case last.Kind == state.KindHostPhaseDone && len(p.Done) > 0:
		phases := strings.Join(slices.Sorted(maps.Keys(p.Done)), ", ")
		return fmt.Sprintf("done: %s (%s)", phases, run), true
	case last.Kind == state.KindHostFailed || last.Status == "failed" || last.Status == "unreachable":
		return fmt.Sprintf("%s in %s: %s (%s)", last.Status, last.Phase, firstLine(last.Msg), run), false
	}
	return fmt.Sprintf("not yet: phase %s did not complete (%s)", last.Phase, run), false
}

// printRuns lists the runs that recorded anything about the rotation.
func printRuns(w io.Writer, records []state.Record, fingerprint string) {
	touched := map[string]bool{}
	for _, r := range records {
		if r.Rotation == fingerprint {
			touched[r.RunID] = true
		}
	}
	type run struct {
		id              string
		start, end      time.Time
		outcome, detail string
	}
	var runs []*run
	byID := map[string]*run{}
	for _, r := range records {
		if !touched[r.RunID] {
			continue
		}
		rn := byID[r.RunID]
		if rn == nil {
			rn = &run{id: r.RunID, start: r.Time, outcome: "no end recorded (still running, or stopped by a crash)"}
			byID[r.RunID] = rn
			runs = append(runs, rn)
		}
		if r.Kind == state.KindRunFinished {
			rn.end, rn.outcome, rn.detail = r.Time, r.Status, r.Msg
		}
	}
	fmt.Fprintln(w, "  runs:")
	for _, rn := range runs {
		end := "-"
		if !rn.end.IsZero() {
			end = stamp(rn.end)
		}
		line := fmt.Sprintf("    %s  %s .. %s  %s", rn.id, stamp(rn.start), end, rn.outcome)
		if rn.detail != "" {
			line += ": " + rn.detail
		}
		fmt.Fprintln(w, line)
	}
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func firstLine(s string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return line
}
