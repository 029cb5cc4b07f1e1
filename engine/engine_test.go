package engine_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rotplay/rotplay/engine"
	"github.com/rotplay/rotplay/inventory"
	"github.com/rotplay/rotplay/modules"
	"github.com/rotplay/rotplay/playbook"
	"github.com/rotplay/rotplay/secret"
	"github.com/rotplay/rotplay/transport"
	"github.com/rotplay/rotplay/transport/fake"
)

// events collects events for assertions.
type events struct {
	mu  sync.Mutex
	all []engine.Event
}

func (e *events) Event(ev engine.Event) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.all = append(e.all, ev)
}

func (e *events) finished(host, task string) (engine.Event, bool) {
	for _, ev := range e.all {
		if ev.Kind == engine.TaskFinished && ev.Host == host && ev.Task != nil && ev.Task.Title() == task {
			return ev, true
		}
	}
	return engine.Event{}, false
}

func (e *events) count(kind engine.EventKind) int {
	n := 0
	for _, ev := range e.all {
		if ev.Kind == kind {
			n++
		}
	}
	return n
}

const testInventory = `
all:
  vars: {region: eu}
  children:
    activegates:
      hosts:
        ag1: {ansible_connection: fake}
        ag2: {ansible_connection: fake}
        ag3: {ansible_connection: fake}
    oneagents:
      hosts:
        oa1: {ansible_connection: fake}
        oa2: {ansible_connection: fake}
`

type setup struct {
	t      *testing.T
	rec    *recorder
	net    *fake.Network
	events *events
	runner *engine.Runner
}

func newSetup(t *testing.T) *setup {
	s := &setup{t: t, rec: newRecorder(), net: fake.NewNetwork(), events: &events{}}
	for _, n := range []string{"ag1", "ag2", "ag3", "oa1", "oa2", engine.ControllerHost} {
		s.net.Add(&fake.Host{Name: n})
	}
	s.runner = &engine.Runner{
		Dialers:  map[string]transport.Dialer{"fake": s.net, "local": s.net},
		Observer: s.events,
		Secrets:  &secret.Redactor{},
	}
	return s
}

func (s *setup) compile(pbYAML, invYAML string, extra map[string]any) (*engine.Plan, error) {
	s.t.Helper()
	pb, err := playbook.Parse("play.yaml", []byte(pbYAML))
	if err != nil {
		return nil, err
	}
	var inv *inventory.Inventory
	if invYAML != "" {
		if inv, err = inventory.Parse("inv.yaml", []byte(invYAML)); err != nil {
			s.t.Fatalf("inventory: %v", err)
		}
	}
	return engine.Compile(pb, inv, engine.CompileOptions{
		Modules:     modules.NewRegistry(probe{rec: s.rec}),
		Connections: []string{"fake", "local"},
		ExtraVars:   extra,
	})
}

func (s *setup) run(ctx context.Context, pbYAML string) (*engine.Recap, error) {
	s.t.Helper()
	plan, err := s.compile(pbYAML, testInventory, nil)
	if err != nil {
		s.t.Fatalf("compile: %v", err)
	}
	return s.runner.Run(ctx, plan)
}

func TestBarrierBetweenPhases(t *testing.T) {
	t.Parallel()
	s := newSetup(t)
	_, err := s.run(context.Background(), `
phases:
  - name: gates
    hosts: activegates
    tasks:
      - probe: {label: p1, sleep: "{{ host.name == 'ag2' ? '300ms' : '10ms' }}"}
  - name: agents
    hosts: oneagents
    tasks:
      - probe: {label: p2}
`)
	if err != nil {
		t.Fatal(err)
	}
	var lastP1 time.Time
	var firstP2 time.Time
	for _, sp := range s.rec.all() {
		if sp.label == "p1" && sp.end.After(lastP1) {
			lastP1 = sp.end
		}
		if sp.label == "p2" && (firstP2.IsZero() || sp.start.Before(firstP2)) {
			firstP2 = sp.start
		}
	}
	if firstP2.Before(lastP1) {
		t.Fatalf("phase 2 started at %v, before the slowest phase 1 host ended at %v", firstP2, lastP1)
	}
}

// TestForksLimit checks the cap on hosts running at once: --forks, and a
// phase's forks, which can only lower it.
func TestForksLimit(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name             string
		runnerForks      int
		phaseForks, want int
	}{
		{"--forks caps", 2, 0, 2},
		{"phase lowers", 3, 1, 1},
		{"phase cannot raise", 2, 4, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := newSetup(t)
			s.runner.Forks = tc.runnerForks
			forks := ""
			if tc.phaseForks > 0 {
				forks = fmt.Sprintf("forks: %d", tc.phaseForks)
			}
			if _, err := s.run(context.Background(), `
phases:
  - name: all
    hosts: all
    `+forks+`
    tasks:
      - probe: {sleep: 40ms}
`); err != nil {
				t.Fatal(err)
			}
			if peak := s.rec.peak.Load(); int(peak) != tc.want {
				t.Fatalf("peak concurrency %d, want exactly %d", peak, tc.want)
			}
		})
	}
}

func TestHostsIndependentInsidePhase(t *testing.T) {
	t.Parallel()
	s := newSetup(t)
	_, err := s.run(context.Background(), `
phases:
  - name: gates
    hosts: ag1,ag2
    tasks:
      - probe: {label: first, sleep: "{{ host.name == 'ag1' ? '300ms' : '1ms' }}"}
      - probe: {label: second}
`)
	if err != nil {
		t.Fatal(err)
	}
	var slowFirstEnd, fastSecondEnd time.Time
	for _, sp := range s.rec.all() {
		if sp.host == "ag1" && sp.label == "first" {
			slowFirstEnd = sp.end
		}
		if sp.host == "ag2" && sp.label == "second" {
			fastSecondEnd = sp.end
		}
	}
	if !fastSecondEnd.Before(slowFirstEnd) {
		t.Fatalf("ag2 finished its second task at %v, not before slow ag1 finished its first at %v (lock-step?)",
			fastSecondEnd, slowFirstEnd)
	}
}

func TestFailureStopsAtBarrier(t *testing.T) {
	t.Parallel()
	s := newSetup(t)
	recap, err := s.run(context.Background(), `
phases:
  - name: gates
    hosts: activegates
    tasks:
      - probe: {label: a, fail: "{{ host.name == 'ag2' }}", msg: boom}
      - probe: {label: b}
  - name: agents
    hosts: oneagents
    tasks:
      - probe: {label: never}
`)
	var re *engine.RunError
	if !errors.As(err, &re) {
		t.Fatalf("got %v, want *RunError", err)
	}
	if got := recap.Failed(); len(got) != 1 || got[0] != "ag2" {
		t.Fatalf("failed hosts %v, want [ag2]", got)
	}
	if recap.StoppedAt == nil || recap.StoppedAt.Name != "gates" {
		t.Fatalf("StoppedAt = %v, want gates", recap.StoppedAt)
	}
	for _, sp := range s.rec.all() {
		if sp.label == "never" {
			t.Fatalf("phase 2 ran on %s after a failure in phase 1", sp.host)
		}
		if sp.host == "ag2" && sp.label == "b" {
			t.Fatal("ag2 ran its next task after failing")
		}
	}
	// The other hosts of the failing phase still finished their tasks.
	if _, ok := s.events.finished("ag3", "probe"); !ok {
		t.Fatal("ag3 did not finish phase 1")
	}
}

func TestMaxFailPercentage(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		pct       string
		continue_ bool
	}{{"40", true}, {"33", false}, {"0", false}} {
		t.Run(tc.pct, func(t *testing.T) {
			t.Parallel()
			s := newSetup(t)
			_, err := s.run(context.Background(), `
phases:
  - name: gates
    hosts: activegates
    max_fail_percentage: `+tc.pct+`
    tasks:
      - probe: {label: a, fail: "{{ host.name == 'ag2' }}"}
  - name: all again
    hosts: activegates
    tasks:
      - probe: {label: later}
`)
			if err == nil {
				t.Fatal("a run with a failed host must return an error")
			}
			var later []string
			for _, sp := range s.rec.all() {
				if sp.label == "later" {
					later = append(later, sp.host)
				}
			}
			if tc.continue_ && len(later) != 2 {
				t.Fatalf("phase 2 ran on %v, want ag1 and ag3 (ag2 dropped)", later)
			}
			if !tc.continue_ && len(later) != 0 {
				t.Fatalf("phase 2 ran on %v though 1/3 failed over max %s%%", later, tc.pct)
			}
			if tc.continue_ && s.events.count(engine.HostDropped) != 1 {
				t.Fatalf("want one host_dropped event for ag2")
			}
		})
	}
}

func TestRetries(t *testing.T) {
	t.Parallel()
	s := newSetup(t)
	recap, err := s.run(context.Background(), `
phases:
  - name: gates
    hosts: ag1
    tasks:
      - name: flaky
        probe: {label: flaky, fail_times: 2}
        retries: 2
        delay: 1ms
      - name: hopeless
        probe: {label: hopeless, fail_times: 5}
        retries: 1
        delay: 0
`)
	if err == nil {
		t.Fatal("hopeless task should fail the host")
	}
	if ev, _ := s.events.finished("ag1", "flaky"); ev.Status != engine.StatusOK {
		t.Fatalf("flaky: %s, want ok after 2 retries", ev.Status)
	}
	if got := s.rec.attempts["ag1/hopeless"]; got != 2 {
		t.Fatalf("hopeless ran %d times, want 2 (1 + 1 retry)", got)
	}
	if n := s.events.count(engine.TaskRetrying); n != 3 {
		t.Fatalf("%d retry events, want 3", n)
	}
	if recap.Hosts[0].Result != engine.StatusFailed {
		t.Fatalf("ag1 result %s", recap.Hosts[0].Result)
	}
}

func TestIgnoreErrors(t *testing.T) {
	t.Parallel()
	s := newSetup(t)
	recap, err := s.run(context.Background(), `
phases:
  - name: gates
    hosts: ag1
    tasks:
      - probe: {label: bad, fail: true}
        ignore_errors: true
        register: bad
      - probe: {label: after, values: {saw: "{{ bad.failed }}"}}
        register: after
        failed_when: "!after.saw"
`)
	if err != nil {
		t.Fatal(err)
	}
	if c := recap.Hosts[0].Counts; c[engine.StatusIgnored] != 1 || c[engine.StatusOK] != 1 {
		t.Fatalf("counts %v, want 1 ignored, 1 ok", c)
	}
}

func TestUnreachableHost(t *testing.T) {
	t.Parallel()
	s := newSetup(t)
	s.net.Host("ag3").DialErr = errors.New("connection refused")
	recap, err := s.run(context.Background(), `
phases:
  - name: gates
    hosts: activegates
    tasks:
      - probe: {}
`)
	if err == nil {
		t.Fatal("want error")
	}
	if u := recap.Unreachable(); len(u) != 1 || u[0] != "ag3" {
		t.Fatalf("unreachable %v", u)
	}
	if f := recap.Failed(); len(f) != 0 {
		t.Fatalf("failed %v, want none", f)
	}
}

// TestHostNotes: what a transport notes about a connection reaches the
// observer once per host, redacted, and changes nothing else.
func TestHostNotes(t *testing.T) {
	t.Parallel()
	s := newSetup(t)
	s.runner.Secrets.Add("s3cr3t-token")
	s.net.Host("ag2").Facts.Notes = []string{"pipelining off (s3cr3t-token): slower"}
	if _, err := s.run(context.Background(), `
phases:
  - name: gates
    hosts: activegates
    tasks:
      - probe: {}
      - probe: {}
`); err != nil {
		t.Fatal(err)
	}
	var notes []engine.Event
	for _, ev := range s.events.all {
		if ev.Kind == engine.HostNote {
			notes = append(notes, ev)
		}
	}
	if len(notes) != 1 || notes[0].Host != "ag2" || notes[0].Msg != "pipelining off ("+secret.Mask("s3cr3t-token")+"): slower" {
		t.Errorf("notes %+v, want one for ag2, redacted", notes)
	}
}

func TestTaskTimeout(t *testing.T) {
	t.Parallel()
	s := newSetup(t)
	_, err := s.run(context.Background(), `
phases:
  - name: gates
    hosts: ag1
    tasks:
      - probe: {sleep: 10s}
        timeout: 50ms
`)
	if err == nil {
		t.Fatal("want error")
	}
	ev, _ := s.events.finished("ag1", "probe")
	if ev.Status != engine.StatusFailed || !strings.Contains(ev.Msg, "timed out after 50ms") {
		t.Fatalf("got %s %q", ev.Status, ev.Msg)
	}
}

func TestInterrupt(t *testing.T) {
	t.Parallel()
	s := newSetup(t)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	start := time.Now()
	recap, err := s.run(ctx, `
phases:
  - name: gates
    hosts: activegates
    tasks:
      - probe: {sleep: 30s}
  - name: agents
    hosts: oneagents
    tasks:
      - probe: {label: never}
`)
	if !errors.Is(err, engine.ErrInterrupted) {
		t.Fatalf("got %v, want ErrInterrupted", err)
	}
	if time.Since(start) > 5*time.Second {
		t.Fatal("running tasks were not told to stop")
	}
	if !recap.Interrupted || s.events.count(engine.RunFinished) != 1 {
		t.Fatal("recap must be delivered and marked interrupted")
	}
	for _, sp := range s.rec.all() {
		if sp.label == "never" {
			t.Fatal("a later phase started after the interrupt")
		}
	}
}

func TestRegisterOnControllerVisibleToHosts(t *testing.T) {
	t.Parallel()
	s := newSetup(t)
	_, err := s.run(context.Background(), `
phases:
  - name: start
    hosts: controller
    tasks:
      - probe: {values: {active: NEWTOKEN123}}
        register: rotation
  - name: gates
    hosts: activegates
    tasks:
      - probe: {label: use, msg: "token {{ rotation.active }} in {{ region }}"}
        when: host.name != "ag3"
`)
	if err != nil {
		t.Fatal(err)
	}
	ev, _ := s.events.finished("ag1", "probe")
	if ev.Msg != "token NEWTOKEN123 in eu" {
		t.Fatalf("msg %q", ev.Msg)
	}
	if ev, _ := s.events.finished("ag3", "probe"); ev.Status != engine.StatusSkipped {
		t.Fatalf("ag3: %s, want skipped by when", ev.Status)
	}
}

func TestOneConnectionPerHost(t *testing.T) {
	t.Parallel()
	s := newSetup(t)
	_, err := s.run(context.Background(), `
phases:
  - {name: one, hosts: activegates, tasks: [{probe: {}}, {probe: {}}]}
  - {name: two, hosts: all, tasks: [{probe: {}}]}
`)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"ag1", "ag2", "ag3", "oa1"} {
		if d := s.net.Host(n).Dials(); d != 1 {
			t.Errorf("%s dialed %d times, want 1", n, d)
		}
	}
}

func TestCheckModeCallsCheck(t *testing.T) {
	t.Parallel()
	s := newSetup(t)
	s.runner.Check = true
	if _, err := s.run(context.Background(), `
phases: [{name: p, hosts: ag1, tasks: [{probe: {changed: true}}]}]
`); err != nil {
		t.Fatal(err)
	}
	for _, sp := range s.rec.all() {
		if !sp.check {
			t.Fatal("--check ran Apply")
		}
	}
}

func TestPanicBecomesHostFailure(t *testing.T) {
	t.Parallel()
	s := newSetup(t)
	recap, err := s.run(context.Background(), `
phases: [{name: p, hosts: "ag1,ag2", tasks: [{probe: {panic: "{{ host.name == 'ag1' }}"}}]}]
`)
	if err == nil {
		t.Fatal("want error")
	}
	if f := recap.Failed(); len(f) != 1 || f[0] != "ag1" {
		t.Fatalf("failed %v", f)
	}
	if !strings.Contains(recap.Hosts[0].Reason, "probe panicked") {
		t.Fatalf("reason %q", recap.Hosts[0].Reason)
	}
}

func TestSecretsRedactedInEvents(t *testing.T) {
	t.Parallel()
	s := newSetup(t)
	_, _ = s.run(context.Background(), `
phases:
  - name: p
    hosts: ag1
    tasks:
      - probe: {secret: TOPSECRETVALUE42, msg: "first"}
      - probe: {msg: "leak TOPSECRETVALUE42", fail: true}
`)
	for _, ev := range s.events.all {
		if strings.Contains(ev.Msg, "TOPSECRETVALUE42") {
			t.Fatalf("secret in event %s: %q", ev.Kind, ev.Msg)
		}
	}
	masked := func(e engine.Event) bool { return strings.Contains(e.Msg, secret.Mask("TOPSECRETVALUE42")) }
	if !slices.ContainsFunc(s.events.all, masked) {
		t.Fatal("the redacted form should appear where the secret was")
	}
}

func TestChangedWhenFailedWhen(t *testing.T) {
	t.Parallel()
	s := newSetup(t)
	recap, err := s.run(context.Background(), `
phases:
  - name: p
    hosts: ag1
    tasks:
      - name: quiet
        probe: {changed: true, values: {rc: 0}}
        changed_when: "false"
      - name: judged
        probe: {values: {rc: 2}}
        failed_when: result.rc == 2
`)
	if err == nil {
		t.Fatal("failed_when should fail the host")
	}
	if ev, _ := s.events.finished("ag1", "quiet"); ev.Status != engine.StatusOK {
		t.Fatalf("quiet: %s", ev.Status)
	}
	if recap.Hosts[0].Result != engine.StatusFailed {
		t.Fatal("judged should fail")
	}
}

func TestPhaseVarsSeeControllerResults(t *testing.T) {
	t.Parallel()
	s := newSetup(t)
	_, err := s.run(context.Background(), `
vars:
  top: "{{ region }}-top"
phases:
  - name: start
    hosts: controller
    tasks:
      - probe: {values: {stdout: /tmp/work}}
        register: workdir
  - name: gates
    hosts: ag1
    vars:
      dir: "{{ workdir.stdout }}/{{ host.name }}/{{ top }}"
    tasks:
      - probe: {msg: "{{ dir }}"}
`)
	if err != nil {
		t.Fatal(err)
	}
	if ev, _ := s.events.finished("ag1", "probe"); ev.Msg != "/tmp/work/ag1/eu-top" {
		t.Fatalf("msg %q", ev.Msg)
	}
}

// A module that skips (a command under --check) is not judged by
// failed_when: there is no result to judge.
func TestSkippedResultNotJudged(t *testing.T) {
	t.Parallel()
	s := newSetup(t)
	_, err := s.run(context.Background(), `
phases:
  - name: p
    hosts: ag1
    tasks:
      - probe: {skipped: true}
        register: out
        failed_when: out.stdout != "2"
        changed_when: "true"
`)
	if err != nil {
		t.Fatal(err)
	}
	if ev, _ := s.events.finished("ag1", "probe"); ev.Status != engine.StatusSkipped {
		t.Fatalf("status %s, want skipped", ev.Status)
	}
}

func TestDefaultsHaveLowestPrecedence(t *testing.T) {
	t.Parallel()
	s := newSetup(t)
	plan, err := s.compile(`
defaults:
  region: us           # the inventory's all vars say eu: the inventory wins
  service: gateway     # nobody else sets it: the default applies
  path: "/opt/{{ service }}/{{ region }}"
phases:
  - name: p
    hosts: ag1
    tasks:
      - probe: {msg: "{{ region }} {{ service }} {{ path }}"}
`, testInventory, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.runner.Run(context.Background(), plan); err != nil {
		t.Fatal(err)
	}
	if ev, _ := s.events.finished("ag1", "probe"); ev.Msg != "eu gateway /opt/gateway/eu" {
		t.Fatalf("msg %q", ev.Msg)
	}
}

func TestCheckModeKeyword(t *testing.T) {
	t.Parallel()
	for _, runCheck := range []bool{false, true} {
		s := newSetup(t)
		s.runner.Check = runCheck
		if _, err := s.run(context.Background(), `
phases:
  - name: p
    hosts: ag1
    tasks:
      - {probe: {label: always-check}, check_mode: true}
      - {probe: {label: always-apply}, check_mode: false}
      - {probe: {label: follows}}
`); err != nil {
			t.Fatal(err)
		}
		want := map[string]bool{"always-check": true, "always-apply": false, "follows": runCheck}
		for _, sp := range s.rec.all() {
			if sp.check != want[sp.label] {
				t.Errorf("--check=%v: %s ran check=%v", runCheck, sp.label, sp.check)
			}
		}
	}
}

// TestFleetForController: the controller's tasks see how every host of the
// earlier phases fared, and hosts left out by --limit.
func TestFleetForController(t *testing.T) {
	t.Parallel()
	s := newSetup(t)
	var seen *modules.Fleet
	s.rec.onFleet = func(f *modules.Fleet) { seen = f }
	s.runner.FinishAnyway = []string{"x"}
	pb, err := playbook.Parse("play.yaml", []byte(`
phases:
  - {name: gates, hosts: activegates, max_fail_percentage: 50, tasks: [{probe: {fail: "{{ host.name == 'ag2' }}"}}]}
  - {name: end, hosts: controller, tasks: [{probe: {label: gate}}]}
`))
	if err != nil {
		t.Fatal(err)
	}
	inv, _ := inventory.Parse("inv.yaml", []byte(testInventory))
	plan, err := engine.Compile(pb, inv, engine.CompileOptions{Modules: modules.NewRegistry(probe{rec: s.rec}),
		Connections: []string{"fake", "local"}, Limit: "ag1,ag2"})
	if err != nil {
		t.Fatal(err)
	}
	_, _ = s.runner.Run(context.Background(), plan)
	if seen == nil {
		t.Fatal("the controller task got no fleet")
	}
	got := map[string]string{}
	for _, h := range seen.Hosts {
		got[h.Name] = h.Status
	}
	want := map[string]string{"ag1": "done", "ag2": "failed", "ag3": "excluded"}
	if len(got) != len(want) || got["ag1"] != "done" || got["ag2"] != "failed" || got["ag3"] != "excluded" || seen.FinishAnyway[0] != "x" {
		t.Fatalf("fleet %v, want %v", got, want)
	}
}

// slowDialer counts the dials in progress and keeps each open a while.
type slowDialer struct {
	transport.Dialer
	now, peak atomic.Int32
}

func (d *slowDialer) Dial(ctx context.Context, t transport.Target) (transport.Conn, error) {
	n := d.now.Add(1)
	defer d.now.Add(-1)
	for p := d.peak.Load(); n > p && !d.peak.CompareAndSwap(p, n); p = d.peak.Load() {
	}
	time.Sleep(50 * time.Millisecond)
	return d.Dialer.Dial(ctx, t)
}

// TestConnectLimit: no more hosts connect at once than ConnectLimit, while
// hosts already connected run their tasks up to the forks limit.
func TestConnectLimit(t *testing.T) {
	t.Parallel()
	s := newSetup(t)
	d := &slowDialer{Dialer: s.net}
	s.runner.Dialers = map[string]transport.Dialer{"fake": d, "local": d}
	s.runner.Forks, s.runner.ConnectLimit = 10, 2
	if _, err := s.run(context.Background(), `
phases:
  - name: all
    hosts: all
    tasks:
      - probe: {sleep: 120ms}
`); err != nil {
		t.Fatal(err)
	}
	if peak := d.peak.Load(); peak != 2 {
		t.Errorf("peak dials at once %d, want exactly the limit, 2", peak)
	}
	if peak := s.rec.peak.Load(); peak <= 2 {
		t.Errorf("peak tasks at once %d: connected hosts must not wait for the connect limit", peak)
	}
}

// TestExtraVarsReachConnections: -e wins over the inventory for the
// connection too, as in Ansible (-e ansible_user=deploy), and for the
// transport's own variables; a bad value from -e is an error at compile.
func TestExtraVarsReachConnections(t *testing.T) {
	t.Parallel()
	s := newSetup(t)
	const inv = `
all:
  children:
    activegates:
      hosts:
        ag1: {ansible_connection: fake, ansible_user: ops, ansible_port: 22, rotplay_ssh_pipelining: true}
        ag2: {ansible_connection: fake}
`
	const pb = "phases:\n  - name: gates\n    hosts: activegates\n    tasks:\n      - probe: {}\n"
	plan, err := s.compile(pb, inv, map[string]any{"ansible_user": "deploy", "ansible_port": "2222",
		"ansible_become": true, "ansible_host": "10.0.0.9", "rotplay_ssh_pipelining": false})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range plan.Hosts {
		tg := h.Target
		if tg.User != "deploy" || tg.Port != 2222 || !tg.Become || tg.Address != "10.0.0.9" || tg.Vars["rotplay_ssh_pipelining"] != false {
			t.Errorf("%s: target %+v, want -e's user, port, become, address and vars", h.Name, tg)
		}
		if h.Vars["ansible_user"] == "deploy" {
			t.Errorf("%s: the host's inventory vars were changed", h.Name)
		}
	}
	if _, err := s.compile(pb, inv, map[string]any{"ansible_port": "many"}); err == nil || !strings.Contains(err.Error(), "ansible_port must be a port number") {
		t.Errorf("-e ansible_port=many: %v", err)
	}
}
