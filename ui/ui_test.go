package ui

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/rotplay/rotplay/internal/golden"

	"github.com/rotplay/rotplay/engine"
)

// TestTextRun feeds a scripted run's events to the text observer and
// compares the output, recap included, with a golden file.
func TestTextRun(t *testing.T) {
	t.Parallel()
	p1 := &engine.Phase{Index: 1, Name: "gates", Pattern: "activegates", Hosts: make([]*engine.Host, 3)}
	t1 := &engine.Task{Index: 1, Name: "set token", ModuleName: "file_replace"}
	t2 := &engine.Task{Index: 2, ModuleName: "command"}
	recap := &engine.Recap{Duration: 1500 * time.Millisecond, StoppedAt: p1, Hosts: []*engine.HostRecap{
		{Name: "ag-1", Result: engine.StatusChanged, Counts: map[engine.Status]int{engine.StatusChanged: 1, engine.StatusOK: 1}},
		{Name: "ag-2", Result: engine.StatusFailed, Reason: "exit 1: no such file\nmore", Phase: "gates",
			Counts: map[engine.Status]int{engine.StatusFailed: 1}},
		{Name: "ag-3", Result: engine.StatusUnreachable, Reason: "connect: refused", Phase: "gates",
			Counts: map[engine.Status]int{engine.StatusUnreachable: 1}},
	}}
	evs := []engine.Event{
		{Kind: engine.PhaseStarted, Phase: p1},
		{Kind: engine.HostNote, Host: "ag-2", Msg: "pipelining off (no answer): slower"},
		{Kind: engine.TaskStarted, Phase: p1, Host: "ag-1", Task: t1},
		{Kind: engine.TaskFinished, Phase: p1, Host: "ag-1", Task: t1, Status: engine.StatusChanged,
			Msg: "1 line changed", Diff: "--- a\n+++ b\n@@ -1 +1 @@\n-x\n+y\n"},
		{Kind: engine.TaskFinished, Phase: p1, Host: "ag-1", Task: t2, Status: engine.StatusOK, Msg: "quiet"},
		{Kind: engine.TaskRetrying, Phase: p1, Host: "ag-2", Task: t1, Msg: "attempt 1 of 2 failed"},
		{Kind: engine.TaskFinished, Phase: p1, Host: "ag-2", Task: t1, Status: engine.StatusFailed, Msg: "exit 1: no such file\nmore"},
		{Kind: engine.HostUnreachable, Phase: p1, Host: "ag-3", Status: engine.StatusUnreachable, Msg: "connect: refused"},
		{Kind: engine.PhaseFinished, Phase: p1, Duration: 1200 * time.Millisecond, Summary: &engine.PhaseSummary{
			Hosts: 3, Failed: []string{"ag-2"}, Unreachable: []string{"ag-3"}, Stopped: true, Reason: "2 of 3 hosts failed"}},
		{Kind: engine.RunFinished, Recap: recap},
	}
	var buf bytes.Buffer
	obs := &Text{W: &buf}
	for _, e := range evs {
		obs.Event(e)
	}
	golden.Check(t, "testdata/run.txt", buf.String())
	if strings.Contains(buf.String(), "quiet") {
		t.Fatal("messages of ok tasks are for -v only")
	}
}

func TestGraphUnknownFormat(t *testing.T) {
	t.Parallel()
	if err := WriteGraph(&bytes.Buffer{}, &engine.Plan{}, "svg", 0); err == nil || !strings.Contains(err.Error(), "text, dot, mermaid") {
		t.Fatalf("got %v", err)
	}
}

func TestVerdictOK(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	WriteRecap(&buf, &engine.Recap{Duration: time.Second, Hosts: []*engine.HostRecap{
		{Name: "a", Result: engine.StatusOK, Counts: map[engine.Status]int{engine.StatusOK: 2}}}})
	if !strings.Contains(buf.String(), "OK: 1 hosts, no failures (1s)") {
		t.Fatalf("got:\n%s", buf.String())
	}
}
