package report

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/rotplay/rotplay/engine"
	"github.com/rotplay/rotplay/internal/golden"
)

var t0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

// scriptedRun is a run with every kind of event: a controller phase that
// starts a rotation, a phase where one host changes, one retries and
// fails, one is unreachable, and a third phase they are dropped from.
func scriptedRun() (*engine.Plan, []engine.Event) {
	ctl := &engine.Phase{Index: 1, Name: "start", Pattern: "controller", Hosts: make([]*engine.Host, 1)}
	start := &engine.Task{Index: 1, Name: "start the rotation", ModuleName: "api_rotate"}
	ctl.Tasks = []*engine.Task{start}
	gates := &engine.Phase{Index: 2, Name: "gates", Pattern: "activegates", Hosts: make([]*engine.Host, 3)}
	t1 := &engine.Task{Index: 1, Name: "set token", ModuleName: "file_replace"}
	t2 := &engine.Task{Index: 2, ModuleName: "command"}
	gates.Tasks = []*engine.Task{t1, t2}
	agents := &engine.Phase{Index: 3, Name: "agents", Pattern: "oneagents", Hosts: make([]*engine.Host, 2)}
	t3 := &engine.Task{Index: 1, Name: "restart", ModuleName: "service"}
	agents.Tasks = []*engine.Task{t3}
	plan := &engine.Plan{Name: "rotate", File: "rotation.yaml", Phases: []*engine.Phase{ctl, gates, agents}}
	recap := &engine.Recap{Duration: 4200 * time.Millisecond, Hosts: []*engine.HostRecap{
		{Name: "controller", Result: engine.StatusChanged, Counts: map[engine.Status]int{engine.StatusChanged: 1}},
		{Name: "ag-1", Result: engine.StatusChanged, Counts: map[engine.Status]int{engine.StatusChanged: 1, engine.StatusSkipped: 1}},
		{Name: "ag-2", Result: engine.StatusFailed, Reason: "exit 1: no such file\nmore", Phase: "gates",
			Counts: map[engine.Status]int{engine.StatusFailed: 1}},
		{Name: "ag-3", Result: engine.StatusUnreachable, Reason: "connect: refused", Phase: "gates",
			Counts: map[engine.Status]int{engine.StatusUnreachable: 1}},
	}}
	at := func(s int) time.Time { return t0.Add(time.Duration(s) * 100 * time.Millisecond) }
	evs := []engine.Event{
		{Kind: engine.RunStarted, Time: at(0)},
		{Kind: engine.PhaseStarted, Time: at(0), Phase: ctl},
		{Kind: engine.TaskStarted, Time: at(0), Phase: ctl, Host: "controller", Task: start},
		{Kind: engine.TaskFinished, Time: at(5), Phase: ctl, Host: "controller", Task: start, Status: engine.StatusChanged,
			Duration: 500 * time.Millisecond, Msg: "rotation started on https://abc.live.dynatrace.com; new token ***1a2b3c4d saved in /state"},
		{Kind: engine.PhaseFinished, Time: at(5), Phase: ctl, Duration: 500 * time.Millisecond,
			Summary: &engine.PhaseSummary{Hosts: 1, Completed: []string{"controller"}}},
		{Kind: engine.PhaseStarted, Time: at(6), Phase: gates},
		{Kind: engine.TaskFinished, Time: at(8), Phase: gates, Host: "ag-1", Task: t1, Status: engine.StatusChanged,
			Duration: 200 * time.Millisecond, Msg: "1 line changed", Diff: "--- a\n+++ b\n@@ -1 +1 @@\n-x\n+y\n"},
		{Kind: engine.TaskFinished, Time: at(9), Phase: gates, Host: "ag-1", Task: t2, Status: engine.StatusSkipped,
			Duration: 0, Msg: "when: false"},
		{Kind: engine.TaskRetrying, Time: at(9), Phase: gates, Host: "ag-2", Task: t1, Attempt: 1, Msg: "attempt 1 of 2 failed"},
		{Kind: engine.TaskFinished, Time: at(20), Phase: gates, Host: "ag-2", Task: t1, Status: engine.StatusFailed,
			Duration: 1400 * time.Millisecond, Msg: "exit 1: no such file\nmore"},
		{Kind: engine.HostUnreachable, Time: at(30), Phase: gates, Host: "ag-3", Status: engine.StatusUnreachable, Msg: "connect: refused"},
		{Kind: engine.PhaseFinished, Time: at(30), Phase: gates, Duration: 2400 * time.Millisecond, Summary: &engine.PhaseSummary{
			Hosts: 3, Completed: []string{"ag-1"}, Failed: []string{"ag-2"}, Unreachable: []string{"ag-3"}}},
		{Kind: engine.HostDropped, Time: at(31), Phase: agents, Host: "ag-2", Msg: `not run: failed in phase "gates"`},
		{Kind: engine.PhaseStarted, Time: at(31), Phase: agents},
		{Kind: engine.PhaseFinished, Time: at(42), Phase: agents, Duration: 1100 * time.Millisecond, Summary: &engine.PhaseSummary{Hosts: 0}},
		{Kind: engine.RunFinished, Time: at(42), Recap: recap, Duration: recap.Duration},
	}
	return plan, evs
}

func feed(o engine.Observer, evs []engine.Event) {
	for _, e := range evs {
		o.Event(e)
	}
}

// TestScriptedReports feeds a scripted run to every observer and compares
// what each writes with its golden file.
func TestScriptedReports(t *testing.T) {
	t.Parallel()
	plan, evs := scriptedRun()
	dir := t.TempDir()
	js := NewJSON(filepath.Join(dir, "report.json"), plan, nil)
	ju := NewJUnit(filepath.Join(dir, "junit.xml"), plan, nil)
	var lines bytes.Buffer
	jl := NewJSONLines(&lines)
	feed(engine.Observers{js, ju, jl}, evs)
	for _, err := range []error{js.Err(), ju.Err(), jl.Err()} {
		if err != nil {
			t.Fatal(err)
		}
	}
	golden.Check(t, "testdata/scripted/report.json", readFile(t, filepath.Join(dir, "report.json")))
	golden.Check(t, "testdata/scripted/junit.xml", readFile(t, filepath.Join(dir, "junit.xml")))
	golden.Check(t, "testdata/scripted/events.jsonl", lines.String())
	if fi, err := os.Stat(filepath.Join(dir, "report.json")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("report mode: %v %v", fi.Mode(), err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*.tmp")); len(left) > 0 {
		t.Fatalf("temporary files left: %v", left)
	}
	checkSchema(t, []byte(readFile(t, filepath.Join(dir, "report.json"))))
}

func TestJSONLinesFlushesPerLine(t *testing.T) {
	t.Parallel()
	_, evs := scriptedRun()
	w := &flushCounter{}
	feed(NewJSONLines(w), evs)
	if w.flushes != len(evs) || w.writes != len(evs) {
		t.Fatalf("%d events: %d writes, %d flushes", len(evs), w.writes, w.flushes)
	}
	var last map[string]any
	lines := bytes.Split(bytes.TrimSpace(w.buf.Bytes()), []byte("\n"))
	if err := json.Unmarshal(lines[len(lines)-1], &last); err != nil || last["recap"] == nil {
		t.Fatalf("the last line is not the recap: %s (%v)", lines[len(lines)-1], err)
	}
}

type flushCounter struct {
	buf             bytes.Buffer
	writes, flushes int
}

func (f *flushCounter) Write(p []byte) (int, error) { f.writes++; return f.buf.Write(p) }
func (f *flushCounter) Flush() error                { f.flushes++; return nil }

func TestOutcome(t *testing.T) {
	t.Parallel()
	p := &engine.Phase{Index: 2}
	failed := []*engine.HostRecap{{Name: "a", Result: engine.StatusFailed}}
	lost := []*engine.HostRecap{{Name: "a", Result: engine.StatusUnreachable}}
	for _, c := range []struct {
		r    *engine.Recap
		want string
	}{
		{&engine.Recap{}, OutcomeOK},
		{&engine.Recap{Hosts: failed}, OutcomeFailed},
		{&engine.Recap{Hosts: lost}, OutcomeUnreachable},
		{&engine.Recap{Hosts: failed, StoppedAt: p}, OutcomeStopped},
		{&engine.Recap{Hosts: failed, StoppedAt: p, Interrupted: true}, OutcomeInterrupted},
	} {
		if got := Outcome(c.r); got != c.want {
			t.Errorf("Outcome(%+v) = %s, want %s", c.r, got, c.want)
		}
	}
}

func TestJSONWriteError(t *testing.T) {
	t.Parallel()
	plan, evs := scriptedRun()
	js := NewJSON(filepath.Join(t.TempDir(), "missing", "report.json"), plan, nil)
	feed(js, evs)
	if js.Err() == nil {
		t.Fatal("writing into a missing directory should fail")
	}
}

func readFile(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

var (
	timesRe     = regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?`)
	durationsRe = regexp.MustCompile(`("duration_ms": ?|time=")\d+(\.\d+)?`)
	tempDirRe   = regexp.MustCompile(`/[^\s"]*/report-run[^\s"]*`)
)

// normalise removes what changes from run to run: times, durations and
// temporary paths.
func normalise(s string) string {
	s = timesRe.ReplaceAllString(s, "$$TIME")
	s = tempDirRe.ReplaceAllString(s, "$$TMP")
	return durationsRe.ReplaceAllString(s, "${1}$$DURATION")
}
