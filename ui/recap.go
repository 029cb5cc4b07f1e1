package ui

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/rotplay/rotplay/engine"
)

var recapColumns = []engine.Status{engine.StatusOK, engine.StatusChanged, engine.StatusFailed,
	engine.StatusSkipped, engine.StatusUnreachable, engine.StatusIgnored}

// WriteRecap prints the run's recap table: one row per host, failed and
// unreachable hosts first with the reason, then a verdict line.
func WriteRecap(w io.Writer, r *engine.Recap) {
	fmt.Fprintln(w, "RECAP")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	header := []string{"host", "result"}
	for _, c := range recapColumns {
		header = append(header, string(c))
	}
	fmt.Fprintln(tw, strings.Join(header, "\t"))
	for _, h := range ordered(r.Hosts) {
		row := []string{h.Name, string(h.Result)}
		for _, c := range recapColumns {
			row = append(row, fmt.Sprint(h.Counts[c]))
		}
		fmt.Fprintln(tw, strings.Join(row, "\t"))
	}
	tw.Flush()
	for _, h := range ordered(r.Hosts) {
		if h.Reason != "" {
			fmt.Fprintf(w, "%s %s in phase %q: %s\n", h.Name, h.Result, h.Phase, oneLine(h.Reason))
		}
	}
	fmt.Fprintln(w, verdict(r))
}

// ordered puts failed, then unreachable hosts first, keeping plan order
// otherwise.
func ordered(hosts []*engine.HostRecap) []*engine.HostRecap {
	var out []*engine.HostRecap
	for _, want := range []engine.Status{engine.StatusFailed, engine.StatusUnreachable, ""} {
		for _, h := range hosts {
			bad := h.Result == engine.StatusFailed || h.Result == engine.StatusUnreachable
			if h.Result == want || (want == "" && !bad) {
				out = append(out, h)
			}
		}
	}
	return out
}

func verdict(r *engine.Recap) string {
	var parts []string
	if r.Interrupted {
		parts = append(parts, "INTERRUPTED")
	}
	if f := len(r.Failed()); f > 0 {
		parts = append(parts, fmt.Sprintf("%d failed", f))
	}
	if u := len(r.Unreachable()); u > 0 {
		parts = append(parts, fmt.Sprintf("%d unreachable", u))
	}
	if r.StoppedAt != nil {
		parts = append(parts, fmt.Sprintf("stopped after phase %d %q", r.StoppedAt.Index, r.StoppedAt.Name))
	}
	if len(parts) == 0 {
		return fmt.Sprintf("OK: %d hosts, no failures (%s)", len(r.Hosts), roundDuration(r.Duration))
	}
	return fmt.Sprintf("NOT OK: %s (%s)", strings.Join(parts, ", "), roundDuration(r.Duration))
}
