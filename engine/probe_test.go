package engine_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/rotplay/rotplay/modules"
	"github.com/rotplay/rotplay/modules/args"
)

// probe is a test module: it sleeps, fails, panics or reports on demand and
// records when each host ran it, so tests can check scheduling.
type probe struct{ rec *recorder }

type probeArgs struct {
	Sleep     string         `yaml:"sleep"`
	Fail      bool           `yaml:"fail"`
	FailTimes int            `yaml:"fail_times"` // fail the first N attempts
	Changed   bool           `yaml:"changed"`
	Skipped   bool           `yaml:"skipped"`
	Panic     bool           `yaml:"panic"`
	Msg       string         `yaml:"msg"`
	Secret    string         `yaml:"secret"` // reported as a run-time secret
	Values    map[string]any `yaml:"values"`
	Label     string         `yaml:"label"`
}

type span struct {
	host, label string
	start, end  time.Time
	check       bool
}

type recorder struct {
	mu       sync.Mutex
	spans    []span
	attempts map[string]int
	running  atomic.Int32
	peak     atomic.Int32
	onFleet  func(*modules.Fleet) // told the fleet a controller task sees
}

func newRecorder() *recorder { return &recorder{attempts: map[string]int{}} }

func (r *recorder) all() []span {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]span(nil), r.spans...)
}

func (p probe) Info() modules.Info { return modules.Info{Name: "probe", Summary: "test module"} }

func (p probe) Decode(file string, n *yaml.Node) (modules.Action, error) {
	var a probeArgs
	if err := args.Decode(file, "probe", n, &a); err != nil {
		return nil, err
	}
	return &probeAction{rec: p.rec, a: a}, nil
}

type probeAction struct {
	rec *recorder
	a   probeArgs
}

func (pa *probeAction) Check(ctx context.Context, h modules.Host) (modules.Result, error) {
	return pa.do(ctx, h, true)
}

func (pa *probeAction) Apply(ctx context.Context, h modules.Host) (modules.Result, error) {
	return pa.do(ctx, h, false)
}

func (pa *probeAction) do(ctx context.Context, h modules.Host, check bool) (modules.Result, error) {
	r := pa.rec
	if n := r.running.Add(1); n > r.peak.Load() {
		r.peak.Store(n)
	}
	defer r.running.Add(-1)
	s := span{host: h.Name, label: pa.a.Label, start: time.Now(), check: check}
	defer func() {
		s.end = time.Now()
		r.mu.Lock()
		r.spans = append(r.spans, s)
		r.mu.Unlock()
	}()
	key := h.Name + "/" + pa.a.Label
	r.mu.Lock()
	r.attempts[key]++
	attempt := r.attempts[key]
	r.mu.Unlock()
	if h.Fleet != nil && r.onFleet != nil {
		r.onFleet(h.Fleet)
	}
	if pa.a.Panic {
		panic("probe panicked")
	}
	if pa.a.Sleep != "" {
		d, _ := time.ParseDuration(pa.a.Sleep)
		select {
		case <-time.After(d):
		case <-ctx.Done():
			return modules.Result{}, ctx.Err()
		}
	}
	res := modules.Result{Changed: pa.a.Changed, Skipped: pa.a.Skipped, Msg: pa.a.Msg, Values: pa.a.Values}
	if pa.a.Secret != "" {
		res.Secrets = []string{pa.a.Secret}
	}
	if pa.a.Fail || attempt <= pa.a.FailTimes {
		return res, fmt.Errorf("probe failed on attempt %d: %s", attempt, pa.a.Msg)
	}
	return res, nil
}
