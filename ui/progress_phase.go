package ui

import (
	"container/list"
	"fmt"
	"strings"
	"time"

	"github.com/vbauerster/mpb/v8"

	"github.com/rotplay/rotplay/engine"
)

// outcome is how a host left a phase, as the progress bar counts it.
type outcome int

const (
	outcomeOK outcome = iota
	outcomeFailed
	outcomeDropped
)

// slowestShown is how many of the longest-running hosts a bar names.
const slowestShown = 3

// phaseProgress counts one phase's hosts for its bar. Every operation is
// O(1) but status, which is O(slowestShown), so a thousand hosts cost no
// more per event than ten.
type phaseProgress struct {
	phase   *engine.Phase
	bar     *mpb.Bar
	start   time.Time
	elapsed time.Duration // set when the phase finished

	done, failed, dropped int
	changedHosts          map[string]bool
	finished              map[string]bool
	running               *list.List // of runningHost, longest running first
	runningAt             map[string]*list.Element
}

type runningHost struct {
	name  string
	since time.Time
}

func newPhaseProgress(ph *engine.Phase, now time.Time) *phaseProgress {
	return &phaseProgress{phase: ph, start: now, changedHosts: map[string]bool{},
		finished: map[string]bool{}, running: list.New(), runningAt: map[string]*list.Element{}}
}

// started notes that host began a task; it counts as running from its
// first task in the phase until it is done.
func (pp *phaseProgress) started(host string, at time.Time) {
	if pp.finished[host] || pp.runningAt[host] != nil {
		return
	}
	if at.IsZero() {
		at = time.Now()
	}
	pp.runningAt[host] = pp.running.PushBack(runningHost{host, at})
}

// hostDone counts host as done with the phase, once, and returns how many
// hosts are.
func (pp *phaseProgress) hostDone(host string, o outcome) int {
	if pp.finished[host] {
		return pp.done
	}
	pp.finished[host] = true
	if el := pp.runningAt[host]; el != nil {
		pp.running.Remove(el)
		delete(pp.runningAt, host)
	}
	pp.done++
	switch o {
	case outcomeFailed:
		pp.failed++
	case outcomeDropped:
		pp.dropped++
	}
	return pp.done
}

// finish freezes the phase at its barrier: nothing runs any more, and
// every host that ran is done (a phase without tasks has no other sign).
func (pp *phaseProgress) finish(d time.Duration, sum *engine.PhaseSummary) {
	pp.elapsed = max(d, time.Nanosecond)
	if sum != nil {
		pp.done = max(pp.done, pp.dropped+sum.Hosts-len(sum.NotRun))
	}
	pp.running.Init()
	clear(pp.runningAt)
}

// status is the text after the bar, e.g.
// "12/50 done · 3 changed · 1 failed · 4 running · 12s · slowest: ag-1 12s".
func (pp *phaseProgress) status(now time.Time) string {
	parts := []string{fmt.Sprintf("%d/%d done", pp.done, len(pp.phase.Hosts)),
		fmt.Sprintf("%d changed", len(pp.changedHosts)), fmt.Sprintf("%d failed", pp.failed)}
	if pp.dropped > 0 {
		parts = append(parts, fmt.Sprintf("%d not run", pp.dropped))
	}
	parts = append(parts, fmt.Sprintf("%d running", pp.running.Len()))
	elapsed := pp.elapsed
	if elapsed == 0 {
		elapsed = now.Sub(pp.start)
	}
	parts = append(parts, clock(elapsed))
	if s := pp.slowest(now); s != "" {
		parts = append(parts, "slowest: "+s)
	}
	return " " + strings.Join(parts, " · ")
}

// slowest names the hosts that have been running longest, with how long.
func (pp *phaseProgress) slowest(now time.Time) string {
	var names []string
	for el := pp.running.Front(); el != nil && len(names) < slowestShown; el = el.Next() {
		h := el.Value.(runningHost)
		names = append(names, fmt.Sprintf("%s %s", h.name, clock(now.Sub(h.since))))
	}
	return strings.Join(names, ", ")
}

// clock rounds d to whole seconds for a display that changes every few
// hundred milliseconds.
func clock(d time.Duration) string {
	return max(d, 0).Round(time.Second).String()
}
