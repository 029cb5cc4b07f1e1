package ui

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vbauerster/mpb/v8"

	"github.com/rotplay/rotplay/engine"
)

// syncBuffer is a bytes.Buffer the container's goroutine may write while
// the test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// waitFor renders a frame and waits until the output contains want.
func waitFor(t *testing.T, refresh chan<- any, out *syncBuffer, want string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(out.String(), want) {
		if time.Now().After(deadline) {
			t.Fatalf("no %q in output:\n%s", want, out.String())
		}
		refresh <- struct{}{}
		time.Sleep(5 * time.Millisecond)
	}
}

func hosts(n int) []*engine.Host {
	hs := make([]*engine.Host, n)
	for i := range hs {
		hs[i] = &engine.Host{Name: fmt.Sprintf("h%04d", i)}
	}
	return hs
}

// TestProgressRun drives a scripted phase through the progress observer:
// the bar shows the phase's totals and names the slowest running hosts,
// failures are printed as lines, and the recap follows.
func TestProgressRun(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	t1 := &engine.Task{Index: 1, Name: "set token", ModuleName: "file_replace"}
	t2 := &engine.Task{Index: 2, ModuleName: "command"}
	p1 := &engine.Phase{Index: 1, Name: "gates", Pattern: "activegates", Hosts: hosts(5), Tasks: []*engine.Task{t1, t2}}
	out, refresh := &syncBuffer{}, make(chan any)
	obs := NewProgress(out, 0, false, mpb.WithOutput(out), mpb.WithWidth(200), mpb.WithManualRefresh(refresh))
	obs.now = func() time.Time { return t0.Add(40 * time.Second) }
	ev := func(kind engine.EventKind, host string, task *engine.Task, status engine.Status, msg string, at int) {
		obs.Event(engine.Event{Kind: kind, Phase: p1, Host: host, Task: task, Status: status, Msg: msg,
			Time: t0.Add(time.Duration(at) * time.Second)})
	}
	obs.Event(engine.Event{Kind: engine.RunStarted})
	ev(engine.PhaseStarted, "", nil, "", "", 0)
	for i, h := range []string{"h0000", "h0001", "h0002", "h0003", "h0004"} {
		ev(engine.TaskStarted, h, t1, "", "", i)
	}
	ev(engine.TaskFinished, "h0000", t1, engine.StatusChanged, "", 1)
	ev(engine.TaskStarted, "h0000", t2, "", "", 1)
	ev(engine.TaskFinished, "h0000", t2, engine.StatusOK, "", 2)
	ev(engine.TaskFinished, "h0001", t1, engine.StatusFailed, "exit 1: no such file\nmore", 3)
	ev(engine.HostUnreachable, "h0004", nil, engine.StatusUnreachable, "connect: refused", 4)
	obs.Event(engine.Event{Kind: engine.HostNote, Host: "h0002", Msg: "pipelining off (no answer): slower"})

	waitFor(t, refresh, out, "slowest: h0002 38s, h0003 37s")
	for _, want := range []string{"phase 1 gates", "3/5 done · 1 changed · 2 failed · 2 running · 40s",
		"FAILED       h0001 | set token: exit 1: no such file …", "UNREACHABLE  h0004 | connect: refused",
		"note         h0002 | pipelining off (no answer): slower"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("no %q in output:\n%s", want, out.String())
		}
	}

	for _, h := range []string{"h0002", "h0003"} {
		ev(engine.TaskFinished, h, t1, engine.StatusOK, "", 5)
		ev(engine.TaskFinished, h, t2, engine.StatusOK, "", 6)
	}
	obs.Event(engine.Event{Kind: engine.PhaseFinished, Phase: p1, Duration: 6 * time.Second,
		Summary: &engine.PhaseSummary{Hosts: 5, Failed: []string{"h0001"}, Unreachable: []string{"h0004"}}})
	obs.Event(engine.Event{Kind: engine.RunFinished, Recap: &engine.Recap{Duration: 7 * time.Second,
		Hosts: []*engine.HostRecap{{Name: "h0001", Result: engine.StatusFailed, Reason: "exit 1", Phase: "gates"}}}})
	got := out.String()
	for _, want := range []string{"5/5 done · 1 changed · 2 failed · 0 running · 6s",
		"BARRIER after phase 1: 3 ok, 1 failed, 1 unreachable (6s)", "RECAP", `h0001 failed in phase "gates": exit 1`} {
		if !strings.Contains(got, want) {
			t.Errorf("no %q in final output:\n%s", want, got)
		}
	}
	if strings.Contains(got, "\x1b[3") {
		t.Error("colour codes without colour")
	}
}

// TestProgressManyHosts runs a thousand hosts through one phase; every
// event is O(1), so this takes milliseconds (the bound is generous).
func TestProgressManyHosts(t *testing.T) {
	t.Parallel()
	const n = 1000
	tasks := []*engine.Task{{Index: 1, ModuleName: "command"}, {Index: 2, ModuleName: "command"}}
	p1 := &engine.Phase{Index: 1, Name: "all", Pattern: "all", Hosts: hosts(n), Tasks: tasks}
	out, refresh := &syncBuffer{}, make(chan any, 1)
	obs := NewProgress(out, 0, false, mpb.WithOutput(out), mpb.WithWidth(200), mpb.WithManualRefresh(refresh))
	start := time.Now()
	obs.Event(engine.Event{Kind: engine.PhaseStarted, Phase: p1})
	for _, h := range p1.Hosts {
		obs.Event(engine.Event{Kind: engine.TaskStarted, Phase: p1, Host: h.Name, Task: tasks[0], Time: time.Now()})
	}
	for i, h := range p1.Hosts {
		for _, tk := range tasks {
			obs.Event(engine.Event{Kind: engine.TaskFinished, Phase: p1, Host: h.Name, Task: tk, Status: engine.StatusChanged})
		}
		if i%100 == 0 {
			select {
			case refresh <- struct{}{}:
			default:
			}
		}
	}
	obs.Event(engine.Event{Kind: engine.PhaseFinished, Phase: p1, Duration: time.Second, Summary: &engine.PhaseSummary{Hosts: n}})
	obs.Event(engine.Event{Kind: engine.RunFinished, Recap: &engine.Recap{}})
	if d := time.Since(start); d > 10*time.Second {
		t.Fatalf("1000 hosts took %s", d)
	}
	if want := "1000/1000 done · 1000 changed · 0 failed · 0 running"; !strings.Contains(out.String(), want) {
		t.Fatalf("no %q in output:\n%s", want, out.String())
	}
}
