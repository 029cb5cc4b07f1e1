package engine

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/sourcegraph/conc/panics"
	"github.com/sourcegraph/conc/pool"

	"github.com/rotplay/rotplay/secret"
	"github.com/rotplay/rotplay/transport"
)

// DefaultForks is how many hosts a phase runs at once unless told
// otherwise. Hosts mostly wait on restarts, so it is set for I/O-bound
// work: a fleet of up to this many hosts restarts all at once, and the
// phase takes about one restart. Connecting, which costs CPU on both
// sides, has its own smaller limit (DefaultConnectLimit).
const DefaultForks = 1000

// DefaultConnectLimit is how many hosts may be connecting at once (TCP,
// SSH or TLS handshake, login, facts) unless told otherwise, so that a big
// fleet does not stampede the controller's CPU, the hosts' sshd or a
// bastion with handshakes.
const DefaultConnectLimit = 50

// DefaultDelay is the wait between attempts of a task with retries.
const DefaultDelay = 5 * time.Second

// ErrInterrupted reports a run stopped by its context (Ctrl-C).
var ErrInterrupted = errors.New("interrupted")

// Runner runs plans. Its fields are set before Run and not changed after.
type Runner struct {
	Dialers  map[string]transport.Dialer // by connection type
	Observer Observer                    // may be nil
	Check    bool                        // run modules' Check, change nothing
	Diff     bool                        // render diffs into events
	Forks    int                         // cap on hosts at once; 0: DefaultForks
	// ConnectLimit caps the hosts connecting at once; 0:
	// DefaultConnectLimit.
	ConnectLimit int
	Secrets      *secret.Redactor // may be nil: a new one is used
	// ConnectTimeout bounds each dial; 0: the transport's own.
	ConnectTimeout time.Duration
	// TraceCommands emits a CommandRan event for every operation on a
	// host (rotplay run -vv).
	TraceCommands bool
	// FinishAnyway names hosts the operator accepts to cut off when a
	// rotation is finished (see modules.Fleet).
	FinishAnyway []string
	// PreviouslyDone is, by host, the phases (by name) that an earlier run
	// of the same open rotation verified (from the state journal). A host
	// that --limit leaves out of this run counts as done for the finish
	// gate when it is here for every earlier phase it is in; a host this
	// run touched is judged by this run alone. May be nil.
	PreviouslyDone map[string]map[string]bool
	// PreviouslyDoneAt is when each host of PreviouslyDone was last
	// verified, for the operator; may be nil.
	PreviouslyDoneAt map[string]time.Time
}

// Run runs plan. It returns the recap and, when any host failed or was
// unreachable or ctx was cancelled, a *RunError. Hosts of a phase run
// concurrently; no host starts a phase before every host of the previous
// phase has finished it (the barrier).
func (r *Runner) Run(ctx context.Context, plan *Plan) (*Recap, error) {
	rn := r.newRun(plan)
	start := time.Now()
	rn.emit(Event{Kind: RunStarted})
	stopAhead := func() {}
	for i, p := range plan.Phases {
		if ctx.Err() != nil {
			rn.recap.Interrupted = true
			break
		}
		if i == 1 {
			stopAhead = rn.preconnect(ctx)
		}
		if sum := rn.phase(ctx, p); sum.Stopped {
			rn.recap.StoppedAt = p
			break
		}
	}
	if ctx.Err() != nil {
		rn.recap.Interrupted = true
	}
	stopAhead()
	rn.closeAll()
	rn.recap.Duration = time.Since(start)
	rn.fillRecap()
	rn.emit(Event{Kind: RunFinished, Recap: rn.recap, Duration: rn.recap.Duration})
	if rn.recap.Interrupted || len(rn.recap.Failed()) > 0 || len(rn.recap.Unreachable()) > 0 {
		return rn.recap, &RunError{Recap: rn.recap}
	}
	return rn.recap, nil
}

// run is the state of one Run.
type run struct {
	*Runner
	plan    *Plan
	recap   *Recap
	hosts   map[string]*hostState
	globals map[string]any // registered on the controller; seen by all
	emitMu  sync.Mutex
	dials   chan struct{} // a slot per host connecting now (ConnectLimit)
}

func (r *Runner) newRun(plan *Plan) *run {
	if r.Secrets == nil {
		r.Secrets = &secret.Redactor{}
	}
	limit := r.ConnectLimit
	if limit <= 0 {
		limit = DefaultConnectLimit
	}
	rn := &run{Runner: r, plan: plan, recap: &Recap{}, hosts: map[string]*hostState{}, globals: map[string]any{},
		dials: make(chan struct{}, limit)}
	for _, h := range plan.Hosts {
		rn.hosts[h.Name] = &hostState{host: h, regs: map[string]any{}, recap: &HostRecap{Name: h.Name, Counts: map[Status]int{}}}
	}
	for _, p := range plan.Phases {
		for _, h := range p.Hosts {
			rn.hosts[h.Name].lastPhase = p.Index
		}
	}
	return rn
}

// emit redacts and delivers an event, one at a time.
func (rn *run) emit(e Event) {
	if rn.Observer == nil {
		return
	}
	e.Time = time.Now()
	e.Msg = rn.Secrets.Redact(e.Msg)
	e.Diff = rn.Secrets.Redact(e.Diff)
	rn.emitMu.Lock()
	defer rn.emitMu.Unlock()
	rn.Observer.Event(e)
}

// phase runs p on its hosts and applies the failure policy at the barrier.
func (rn *run) phase(ctx context.Context, p *Phase) *PhaseSummary {
	start := time.Now()
	var hosts []*hostState
	for _, h := range p.Hosts {
		hs := rn.hosts[h.Name]
		if hs.dead {
			rn.emit(Event{Kind: HostDropped, Phase: p, Host: h.Name,
				Msg: fmt.Sprintf("not run: %s in phase %q", hs.recap.Result, hs.recap.Phase)})
			continue
		}
		hosts = append(hosts, hs)
	}
	rn.emit(Event{Kind: PhaseStarted, Phase: p})
	wp := pool.New().WithMaxGoroutines(rn.forks(p))
	for _, hs := range hosts {
		wp.Go(func() {
			rn.guardedHost(ctx, p, hs)
			rn.releaseConn(p, hs)
		})
	}
	wp.Wait() // the barrier
	sum := rn.summarize(p, hosts)
	rn.emit(Event{Kind: PhaseFinished, Phase: p, Summary: sum, Duration: time.Since(start)})
	return sum
}

func (rn *run) forks(p *Phase) int {
	n := rn.Forks
	if n <= 0 {
		n = DefaultForks
	}
	if p.Forks > 0 && p.Forks < n {
		n = p.Forks
	}
	return n
}

// guardedHost runs a host's tasks; a panic becomes that host's failure
// instead of taking the run down.
func (rn *run) guardedHost(ctx context.Context, p *Phase, hs *hostState) {
	if ctx.Err() != nil {
		hs.notRun = true
		return
	}
	hs.notRun = false
	if rec := panics.Try(func() { rn.runHost(ctx, p, hs) }); rec != nil {
		rn.fail(p, hs, nil, StatusFailed, fmt.Sprintf("internal error (please report): %v", rec.Value))
	}
}

// summarize applies the failure policy: by default any failed or
// unreachable host stops the run; max_fail_percentage tolerates failures up
// to that share of the phase's hosts (stopping when it is exceeded).
func (rn *run) summarize(p *Phase, hosts []*hostState) *PhaseSummary {
	sum := &PhaseSummary{Hosts: len(hosts)}
	for _, hs := range hosts {
		switch {
		case hs.completed[p.Index] && !hs.dead:
			sum.Completed = append(sum.Completed, hs.host.Name)
		case hs.notRun:
			sum.NotRun = append(sum.NotRun, hs.host.Name)
		case hs.dead && hs.recap.Phase == p.Name && hs.recap.Result == StatusUnreachable:
			sum.Unreachable = append(sum.Unreachable, hs.host.Name)
		case hs.dead && hs.recap.Phase == p.Name:
			sum.Failed = append(sum.Failed, hs.host.Name)
		}
	}
	bad := len(sum.Failed) + len(sum.Unreachable)
	if bad == 0 {
		return sum
	}
	pct := 100 * float64(bad) / float64(max(len(hosts), 1))
	if p.MaxFailPercentage == nil {
		sum.Stopped = true
		sum.Reason = fmt.Sprintf("%d of %d hosts failed or were unreachable; later phases do not start", bad, len(hosts))
	} else if pct > *p.MaxFailPercentage {
		sum.Stopped = true
		sum.Reason = fmt.Sprintf("%.4g%% of hosts failed or were unreachable, over max_fail_percentage %.4g%%",
			pct, *p.MaxFailPercentage)
	}
	return sum
}

// releaseConn closes the host's connection once no later phase needs it:
// after its last phase, or when it was dropped from the run. Otherwise a
// large fleet holds a connection (and its file descriptor and goroutines)
// per host until the run ends.
func (rn *run) releaseConn(p *Phase, hs *hostState) {
	if hs.conn != nil && (hs.dead || p.Index >= hs.lastPhase) {
		hs.conn.Close()
		hs.conn = nil
	}
}

func (rn *run) closeAll() {
	for _, hs := range rn.hosts {
		if hs.conn != nil {
			hs.conn.Close()
			hs.conn = nil
		}
	}
}

func (rn *run) fillRecap() {
	for _, h := range rn.plan.Hosts {
		hs := rn.hosts[h.Name]
		if hs.recap.Result == "" && len(hs.recap.Counts) == 0 {
			continue
		}
		if hs.recap.Result == "" {
			hs.recap.Result = StatusOK
			if hs.recap.Counts[StatusChanged] > 0 {
				hs.recap.Result = StatusChanged
			}
		}
		rn.recap.Hosts = append(rn.recap.Hosts, hs.recap)
	}
}
