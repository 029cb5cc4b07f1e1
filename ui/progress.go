package ui

import (
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"

	"github.com/rotplay/rotplay/engine"
)

// Progress shows a run live on a terminal: one bar per phase with how many
// hosts are done, changed, failed and running out of the phase's total, the
// elapsed time and the slowest running hosts. Failures (and, with -v,
// everything Text prints) are printed as lines above the bars, so nothing
// scrolls away unseen; the recap follows when the run ends. It implements
// engine.Observer.
type Progress struct {
	out     io.Writer
	colour  bool
	verbose int
	opts    []mpb.ContainerOption
	now     func() time.Time

	container *mpb.Progress // created at the first event
	lines     *Text         // writes above the bars, through container
	cur       *phaseProgress

	// mu guards the phases' counters: the container's render goroutine
	// reads them while Event updates them. No mpb call is made holding
	// it, since those wait on the render goroutine.
	mu sync.Mutex
}

var _ engine.Observer = (*Progress)(nil)

// NewProgress returns a Progress drawing on w, which should be a terminal
// (see IsTerminal). verbose and colour are as for Text. opts are extra
// container options; tests use mpb.WithOutput and mpb.WithManualRefresh.
func NewProgress(w io.Writer, verbose int, colour bool, opts ...mpb.ContainerOption) *Progress {
	return &Progress{out: w, colour: colour, verbose: verbose, opts: opts, now: time.Now}
}

// Event implements engine.Observer.
func (p *Progress) Event(e engine.Event) {
	if p.container == nil {
		opts := append([]mpb.ContainerOption{mpb.WithOutput(p.out),
			mpb.WithRefreshRate(150 * time.Millisecond)}, p.opts...)
		p.container = mpb.New(opts...)
		p.lines = &Text{W: p.container, Verbose: p.verbose}
	}
	if e.Phase != nil && (p.cur == nil || p.cur.phase != e.Phase) {
		p.startPhase(e.Phase, e.Time)
	}
	if p.printed(e) {
		p.lines.Event(e)
	}
	switch e.Kind {
	case engine.TaskStarted:
		p.locked(func() { p.cur.started(e.Host, e.Time) })
	case engine.TaskFinished, engine.HostUnreachable:
		p.taskFinished(e)
	case engine.HostDropped:
		p.hostDone(e.Host, outcomeDropped)
	case engine.PhaseFinished:
		var done int
		p.locked(func() { p.cur.finish(e.Duration, e.Summary); done = p.cur.done })
		p.cur.bar.SetCurrent(int64(done))
		p.cur.bar.SetTotal(int64(len(e.Phase.Hosts)), true)
	case engine.RunFinished:
		p.container.Wait()
		WriteRecapColour(p.out, e.Recap, p.colour)
	}
}

// printed says whether e is printed as a line above the bars: phase
// headers, retries, failures, host notes and barriers; everything but the
// recap with -v.
func (p *Progress) printed(e engine.Event) bool {
	switch e.Kind {
	case engine.RunFinished:
		return false
	case engine.PhaseStarted, engine.PhaseFinished, engine.TaskRetrying, engine.HostUnreachable, engine.HostNote:
		return true
	case engine.TaskFinished:
		return p.verbose > 0 || e.Status == engine.StatusFailed || e.Status == engine.StatusIgnored ||
			e.Status == engine.StatusUnreachable || e.Diff != ""
	}
	return p.verbose > 0
}

// startPhase adds a bar for ph, whose clock starts at its first event.
func (p *Progress) startPhase(ph *engine.Phase, at time.Time) {
	if p.cur != nil && !p.cur.bar.Completed() {
		p.cur.bar.SetTotal(-1, true)
	}
	if at.IsZero() {
		at = p.now()
	}
	pp := newPhaseProgress(ph, at)
	name := fmt.Sprintf("phase %d %s ", ph.Index, ph.Name)
	// Built with total 0, the bar completes (and stops being redrawn) only
	// at the barrier, not as soon as the last host is done.
	pp.bar = p.container.AddBar(0, mpb.BarWidth(30),
		mpb.PrependDecorators(decor.Name(name)),
		mpb.AppendDecorators(decor.Any(func(decor.Statistics) string {
			p.mu.Lock()
			defer p.mu.Unlock()
			return pp.status(p.now())
		})))
	pp.bar.SetTotal(int64(len(ph.Hosts)), false)
	p.cur = pp
}

func (p *Progress) taskFinished(e engine.Event) {
	switch {
	case e.Status == engine.StatusFailed || e.Status == engine.StatusUnreachable:
		p.hostDone(e.Host, outcomeFailed)
	case e.Status == engine.StatusChanged:
		p.locked(func() { p.cur.changedHosts[e.Host] = true })
	}
	if tasks := e.Phase.Tasks; e.Task != nil && len(tasks) > 0 && e.Task == tasks[len(tasks)-1] {
		p.hostDone(e.Host, outcomeOK)
	}
}

func (p *Progress) hostDone(host string, o outcome) {
	var done int
	p.locked(func() { done = p.cur.hostDone(host, o) })
	p.cur.bar.SetCurrent(int64(done))
}

func (p *Progress) locked(f func()) {
	p.mu.Lock()
	defer p.mu.Unlock()
	f()
}
