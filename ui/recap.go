package ui

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/rotplay/rotplay/engine"
)

var recapColumns = []engine.Status{engine.StatusOK, engine.StatusChanged, engine.StatusFailed,
	engine.StatusSkipped, engine.StatusUnreachable, engine.StatusIgnored}

// WriteRecap prints the run's recap table: one row per host, failed and
// unreachable hosts first with the reason, then a verdict line.
func WriteRecap(w io.Writer, r *engine.Recap) { writeRecap(w, r, false) }

// WriteRecapColour is WriteRecap with colour when colour is true (see
// UseColour): failed red, unreachable magenta, changed yellow, ok green.
func WriteRecapColour(w io.Writer, r *engine.Recap, colour bool) { writeRecap(w, r, colour) }

// recapCell is one table cell: its text, and the colour it is shown in.
type recapCell struct {
	text, colour string
}

func writeRecap(w io.Writer, r *engine.Recap, colour bool) {
	fmt.Fprintln(w, paint(colour, ansiBold, "RECAP"))
	hosts := ordered(r.Hosts)
	writeTable(w, recapRows(hosts), colour)
	for _, h := range hosts {
		if h.Reason != "" {
			line := fmt.Sprintf("%s %s in phase %q: %s", h.Name, h.Result, h.Phase, oneLine(h.Reason))
			fmt.Fprintln(w, paint(colour, statusColour(h.Result), line))
		}
	}
	v, ok := verdict(r)
	fmt.Fprintln(w, paint(colour, map[bool]string{true: ansiGreen, false: ansiRed}[ok], v))
}

func recapRows(hosts []*engine.HostRecap) [][]recapCell {
	header := []recapCell{{text: "host"}, {text: "result"}}
	for _, c := range recapColumns {
		header = append(header, recapCell{text: string(c)})
	}
	rows := [][]recapCell{header}
	for _, h := range hosts {
		rc := statusColour(h.Result)
		row := []recapCell{{h.Name, rc}, {string(h.Result), rc}}
		for _, c := range recapColumns {
			n := h.Counts[c]
			cc := ""
			if n > 0 {
				cc = statusColour(c)
			}
			row = append(row, recapCell{fmt.Sprint(n), cc})
		}
		rows = append(rows, row)
	}
	return rows
}

// writeTable aligns cells like text/tabwriter with two spaces of padding
// (the last column unpadded), but pads outside the colour codes so that
// they do not count towards the width.
func writeTable(w io.Writer, rows [][]recapCell, colour bool) {
	var widths []int
	for _, row := range rows {
		for i, c := range row {
			if i >= len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], utf8.RuneCountInString(c.text))
		}
	}
	for _, row := range rows {
		var b strings.Builder
		for i, c := range row {
			b.WriteString(paint(colour, c.colour, c.text))
			if i < len(row)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-utf8.RuneCountInString(c.text)+2))
			}
		}
		fmt.Fprintln(w, b.String())
	}
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

// verdict is the recap's last line, and whether the run was OK.
func verdict(r *engine.Recap) (string, bool) {
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
		return fmt.Sprintf("OK: %d hosts, no failures (%s)", len(r.Hosts), roundDuration(r.Duration)), true
	}
	return fmt.Sprintf("NOT OK: %s (%s)", strings.Join(parts, ", "), roundDuration(r.Duration)), false
}
