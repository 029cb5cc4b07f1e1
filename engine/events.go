package engine

import "time"

// Status is how a task (or a host, in the recap) ended.
type Status string

// Task statuses, as Ansible users know them, plus ignored.
const (
	StatusOK          Status = "ok"
	StatusChanged     Status = "changed"
	StatusFailed      Status = "failed"
	StatusSkipped     Status = "skipped"
	StatusUnreachable Status = "unreachable"
	StatusIgnored     Status = "ignored" // failed, with ignore_errors
)

// EventKind says what an Event reports.
type EventKind string

// Event kinds, in the order a run emits them.
const (
	RunStarted      EventKind = "run_started"
	PhaseStarted    EventKind = "phase_started"
	TaskStarted     EventKind = "task_started"
	TaskRetrying    EventKind = "task_retrying"
	TaskFinished    EventKind = "task_finished"
	HostDropped     EventKind = "host_dropped" // not run: failed in an earlier phase
	PhaseFinished   EventKind = "phase_finished"
	RunFinished     EventKind = "run_finished"
	HostUnreachable EventKind = "host_unreachable"
	// HostNote is something the transport noticed when connecting to a
	// host that the operator should know (Msg), e.g. that its commands
	// take a session each; it changes nothing. Its Phase is nil: a host
	// may be connected ahead of its phase.
	HostNote EventKind = "host_note"
	// CommandRan reports one operation on a host (a command line, a file
	// read or write) when Runner.TraceCommands is set; Msg says what ran,
	// Diff holds its output (both redacted).
	CommandRan EventKind = "command_ran"
)

// Event is one thing that happened in a run. Every text field has been
// through the run's secret redaction.
type Event struct {
	Kind  EventKind
	Time  time.Time
	Phase *Phase // nil for run events
	Host  string // "" for run and phase events
	Task  *Task  // nil unless a task event

	Status   Status        // TaskFinished
	Msg      string        // TaskFinished, TaskRetrying, HostDropped, HostUnreachable, HostNote
	Diff     string        // TaskFinished with --diff: unified diff
	Attempt  int           // TaskRetrying: the attempt that failed (1-based)
	Duration time.Duration // TaskFinished, PhaseFinished, RunFinished

	Summary *PhaseSummary // PhaseFinished
	Recap   *Recap        // RunFinished
}

// Observer receives a run's events. The engine calls Event from one
// goroutine at a time, in order, so implementations need no locking; Event
// must not block for long, since hosts wait on it.
type Observer interface {
	Event(Event)
}

// Observers fans events out to several observers, in order.
type Observers []Observer

// Event implements Observer.
func (os Observers) Event(e Event) {
	for _, o := range os {
		o.Event(e)
	}
}
