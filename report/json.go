package report

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/rotplay/rotplay/engine"
	"github.com/rotplay/rotplay/secret"
)

// Report is the JSON report of one run; docs/report.schema.json describes it.
type Report struct {
	Playbook    Playbook  `json:"playbook"`
	Started     time.Time `json:"started"`
	Finished    time.Time `json:"finished"`
	DurationMS  int64     `json:"duration_ms"`
	Outcome     string    `json:"outcome"`
	StoppedAt   *PhaseRef `json:"stopped_at,omitempty"`
	Fingerprint string    `json:"rotation_fingerprint,omitempty"`
	Hosts       []HostRun `json:"hosts"`
}

// Playbook names the playbook that ran.
type Playbook struct {
	File string `json:"file"`
	Name string `json:"name"`
}

// PhaseRef names a phase.
type PhaseRef struct {
	Index int    `json:"index"`
	Name  string `json:"name"`
}

// HostRun is one host's part in the run.
type HostRun struct {
	Name        string      `json:"name"`
	Result      string      `json:"result"` // engine.Status, "" if it never ran
	Reason      string      `json:"reason,omitempty"`
	FailedPhase string      `json:"failed_phase,omitempty"`
	Phases      []HostPhase `json:"phases"`
}

// HostPhase is what a host did in one phase.
type HostPhase struct {
	PhaseRef
	Dropped string    `json:"dropped,omitempty"` // why the host did not run this phase
	Tasks   []TaskRun `json:"tasks"`
}

// TaskRun is one task on one host. A failure outside any task (the
// connection, a crash) is a TaskRun named "(host)" with index 0.
type TaskRun struct {
	Index      int    `json:"index"`
	Name       string `json:"name"`
	Module     string `json:"module,omitempty"`
	Status     string `json:"status"`
	Changed    bool   `json:"changed"`
	DurationMS int64  `json:"duration_ms"`
	Msg        string `json:"msg,omitempty"`
}

// JSON writes the JSON report of a run to a file when the run finishes.
type JSON struct{ fileReport }

var _ engine.Observer = (*JSON)(nil)

// NewJSON returns an observer that writes the report of a run of plan to
// file, atomically and with mode 0600, on the run's last event. secrets
// (may be nil) redacts every text once more at write time.
func NewJSON(file string, plan *engine.Plan, secrets *secret.Redactor) *JSON {
	j := &JSON{fileReport{file: file, plan: plan, secrets: secrets}}
	j.encode = j.encodeJSON
	return j
}

func (j *JSON) encodeJSON() ([]byte, error) {
	b, err := json.MarshalIndent(j.Report(), "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode the JSON report: %w", err)
	}
	return append(b, '\n'), nil
}

// Report builds the report from the events seen so far.
func (j *JSON) Report() *Report {
	r := &j.rec
	rep := &Report{Started: r.started, Finished: r.finished, Outcome: Outcome(r.recap),
		Fingerprint: r.fingerprint, Hosts: []HostRun{}}
	if j.plan != nil {
		rep.Playbook = Playbook{File: j.plan.File, Name: j.plan.Name}
	}
	if r.recap == nil {
		return rep
	}
	rep.DurationMS = ms(r.recap.Duration)
	if p := r.recap.StoppedAt; p != nil {
		rep.StoppedAt = &PhaseRef{Index: p.Index, Name: p.Name}
	}
	for _, h := range r.recap.Hosts {
		rep.Hosts = append(rep.Hosts, HostRun{Name: h.Name, Result: string(h.Result),
			Reason: j.secrets.Redact(h.Reason), FailedPhase: h.Phase, Phases: j.hostPhases(h.Name)})
	}
	return rep
}

func (j *JSON) hostPhases(host string) []HostPhase {
	out := []HostPhase{}
	for _, p := range j.rec.phases {
		res, ran := p.results[host]
		why, dropped := p.dropped[host]
		if !ran && !dropped {
			continue
		}
		hp := HostPhase{PhaseRef: PhaseRef{Index: p.phase.Index, Name: p.phase.Name},
			Dropped: j.secrets.Redact(why), Tasks: []TaskRun{}}
		for _, t := range res {
			tr := TaskRun{Name: t.title(), Status: string(t.status), Changed: t.status == engine.StatusChanged,
				DurationMS: ms(t.duration), Msg: j.secrets.Redact(t.msg)}
			if t.task != nil {
				tr.Index, tr.Module = t.task.Index, t.task.ModuleName
			}
			hp.Tasks = append(hp.Tasks, tr)
		}
		out = append(out, hp)
	}
	return out
}

// writeFileAtomic writes data to file with mode 0600 through a temporary
// file in the same directory, so that a reader never sees half a report.
func writeFileAtomic(file string, data []byte) (err error) {
	f, err := os.CreateTemp(filepath.Dir(file), "."+filepath.Base(file)+".*.tmp")
	if err != nil {
		return fmt.Errorf("write report %s: %w", file, err)
	}
	defer func() {
		if err != nil {
			os.Remove(f.Name())
		}
	}()
	if err = f.Chmod(0o600); err == nil {
		if _, err = f.Write(data); err == nil {
			err = f.Sync()
		}
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), file)
	}
	if err != nil {
		return fmt.Errorf("write report %s: %w", file, err)
	}
	return nil
}
