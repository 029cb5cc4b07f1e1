// Package ui owns what rotplay shows a person: the line-per-event run
// output, the recap table and the drawing of a compiled plan. It turns
// engine events and plans into text; it makes no decisions.
package ui

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/rotplay/rotplay/engine"
)

// Text prints a run as plain lines, one per finished task, suitable for a
// terminal, a pipe or a log file. It implements engine.Observer.
type Text struct {
	W io.Writer
	// Verbose 1: also task starts, messages of ok tasks and durations;
	// 2: also every line of each message, not only the first.
	Verbose int
	Colour  bool // colour the recap (see UseColour)
}

var _ engine.Observer = (*Text)(nil)

// Event implements engine.Observer.
func (t *Text) Event(e engine.Event) {
	switch e.Kind {
	case engine.PhaseStarted:
		t.phaseStarted(e.Phase)
	case engine.TaskStarted:
		if t.Verbose > 0 {
			fmt.Fprintf(t.W, "  %-11s  %s | %s\n", "start", e.Host, e.Task.Title())
		}
	case engine.CommandRan:
		if t.Verbose >= 2 {
			fmt.Fprintf(t.W, "      %s %s\n", e.Host, e.Msg)
			for _, l := range strings.Split(e.Diff, "\n") {
				if l != "" {
					fmt.Fprintf(t.W, "        > %s\n", strings.TrimRight(l, "\r"))
				}
			}
		}
	case engine.TaskRetrying:
		fmt.Fprintf(t.W, "  %-11s  %s | %s: %s\n", "retrying", e.Host, e.Task.Title(), e.Msg)
	case engine.TaskFinished, engine.HostUnreachable:
		t.taskFinished(e)
	case engine.HostDropped:
		fmt.Fprintf(t.W, "  %-11s  %s | %s\n", "dropped", e.Host, e.Msg)
	case engine.HostNote:
		fmt.Fprintf(t.W, "  %-11s  %s | %s\n", "note", e.Host, e.Msg)
	case engine.PhaseFinished:
		t.phaseFinished(e)
	case engine.RunFinished:
		WriteRecapColour(t.W, e.Recap, t.Colour)
	}
}

func (t *Text) phaseStarted(p *engine.Phase) {
	hosts := fmt.Sprintf("%d hosts", len(p.Hosts))
	if len(p.Hosts) == 1 {
		hosts = "1 host"
	}
	fmt.Fprintf(t.W, "PHASE %d: %s [%s, %s]\n", p.Index, p.Name, p.Pattern, hosts)
}

func (t *Text) taskFinished(e engine.Event) {
	label := string(e.Status)
	if e.Status == engine.StatusFailed || e.Status == engine.StatusUnreachable {
		label = strings.ToUpper(label)
	}
	line := fmt.Sprintf("  %-11s  %s", label, e.Host)
	if e.Task != nil {
		line += " | " + e.Task.Title()
	}
	if e.Msg != "" && (e.Status != engine.StatusOK || t.Verbose > 0) {
		sep := " | "
		if e.Task != nil {
			sep = ": "
		}
		msg := oneLine(e.Msg)
		if t.Verbose > 1 { // the other lines follow
			msg = strings.TrimSuffix(msg, " …")
		}
		line += sep + msg
	}
	if e.Duration > 0 && t.Verbose > 0 {
		line += fmt.Sprintf(" (%s)", roundDuration(e.Duration))
	}
	fmt.Fprintln(t.W, line)
	if t.Verbose > 1 {
		t.moreLines(e.Msg)
	}
	if e.Diff != "" {
		for _, l := range strings.SplitAfter(strings.TrimSuffix(e.Diff, "\n"), "\n") {
			fmt.Fprintf(t.W, "      %s", strings.TrimRight(l, "\r\n")+"\n")
		}
	}
}

func (t *Text) phaseFinished(e engine.Event) {
	s := e.Summary
	ok := s.Hosts - len(s.Failed) - len(s.Unreachable) - len(s.NotRun)
	fmt.Fprintf(t.W, "BARRIER after phase %d: %d ok, %d failed, %d unreachable", e.Phase.Index, ok, len(s.Failed), len(s.Unreachable))
	if len(s.NotRun) > 0 {
		fmt.Fprintf(t.W, ", %d not run", len(s.NotRun))
	}
	fmt.Fprintf(t.W, " (%s)\n", roundDuration(e.Duration))
	if s.Stopped {
		fmt.Fprintf(t.W, "STOPPED: %s\n", s.Reason)
	}
}

// moreLines prints the lines of msg after the first, which oneLine cut off,
// indented under the task's line (-vv).
func (t *Text) moreLines(msg string) {
	lines := strings.Split(strings.TrimSpace(msg), "\n")
	for _, l := range lines[1:] {
		fmt.Fprintf(t.W, "      | %s\n", strings.TrimRight(l, "\r"))
	}
}

func oneLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		return s[:i] + " …"
	}
	return s
}

func roundDuration(d time.Duration) time.Duration {
	switch {
	case d > time.Second:
		return d.Round(100 * time.Millisecond)
	case d > time.Millisecond:
		return d.Round(time.Millisecond)
	}
	return d.Round(time.Microsecond)
}
