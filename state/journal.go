package state

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// journalFile is the journal's file in the state directory.
const journalFile = "journal.jsonl"

// Kinds of journal records, in the order a run writes them.
const (
	KindRunStarted    = "run_started"
	KindTask          = "task"            // a task finished on a host
	KindHostPhaseDone = "host_phase_done" // a host finished every task of a phase
	KindHostFailed    = "host_failed"     // a host failed or was unreachable
	KindRunFinished   = "run_finished"
)

// ModeRollback marks the records of a run that moves hosts back to the
// old token: a host such a run touched is no longer done for the
// rotation, whatever it completed.
const ModeRollback = "rollback"

// Record is one line of the journal. It never holds a token: Rotation is
// the fingerprint of the rotation's active token, and Msg has been through
// the run's redaction.
type Record struct {
	Time        time.Time `json:"time"` // UTC
	RunID       string    `json:"run_id"`
	Environment string    `json:"environment,omitempty"`
	Rotation    string    `json:"rotation"` // secret.Fingerprint of the active token; "" if unknown
	Kind        string    `json:"kind"`
	Mode        string    `json:"mode,omitempty"` // ModeRollback, or "" for a forward run
	Phase       string    `json:"phase,omitempty"`
	Host        string    `json:"host,omitempty"`
	Task        string    `json:"task,omitempty"`
	Status      string    `json:"status,omitempty"`
	Msg         string    `json:"msg,omitempty"`
}

// Journal is the state directory's append-only record of what runs did,
// so that a later run (and rotplay status) knows which hosts an earlier
// run of the same rotation already verified. It is safe for concurrent
// use by one process; runs of several processes are kept apart by the
// run lock (see Lock).
type Journal struct {
	mu  sync.Mutex
	f   *os.File
	now func() time.Time
}

// Journal opens the directory's journal for appending, creating it with
// mode 0600. A torn last line left by a crash is cut off first, so that
// the next record starts on a line of its own.
func (d *Dir) Journal() (*Journal, error) {
	path := filepath.Join(d.path, journalFile)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open journal: %w", err)
	}
	if err := errors.Join(f.Chmod(0o600), cutTornTail(f), syncDir(d.path)); err != nil {
		f.Close()
		return nil, fmt.Errorf("open journal %s: %w", path, err)
	}
	return &Journal{f: f, now: d.now}, nil
}

// cutTornTail truncates f after its last newline. A record without one
// was never acknowledged (Append syncs after the newline).
func cutTornTail(f *os.File) error {
	fi, err := f.Stat()
	if err != nil || fi.Size() == 0 {
		return err
	}
	last := make([]byte, 1)
	if _, err := f.ReadAt(last, fi.Size()-1); err != nil || last[0] == '\n' {
		return err
	}
	data := make([]byte, fi.Size())
	if _, err := f.ReadAt(data, 0); err != nil {
		return err
	}
	if err := f.Truncate(int64(bytes.LastIndexByte(data, '\n') + 1)); err != nil {
		return err
	}
	return f.Sync()
}

// Append writes each record as one line and fsyncs them before returning,
// so that records Append acknowledged survive a crash; records given
// together share one write and one fsync. A zero Time is now; Time is
// stored in UTC and an environment URL without any password. Safe for
// concurrent use: lines never interleave.
func (j *Journal) Append(rs ...Record) error {
	var buf []byte
	for _, r := range rs {
		if r.Time.IsZero() {
			r.Time = j.now()
		}
		r.Time = r.Time.UTC()
		r.Environment = displayEnv(r.Environment)
		line, err := json.Marshal(r)
		if err != nil {
			return fmt.Errorf("append to journal: %w", err)
		}
		buf = append(append(buf, line...), '\n')
	}
	if len(buf) == 0 {
		return nil
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.f == nil {
		return errors.New("append to journal: it is closed")
	}
	if _, err := j.f.Write(buf); err != nil {
		return fmt.Errorf("append to journal: %w", err)
	}
	if err := j.f.Sync(); err != nil {
		return fmt.Errorf("append to journal: %w", err)
	}
	return nil
}

// Close closes the journal. Idempotent.
func (j *Journal) Close() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.f == nil {
		return nil
	}
	err := j.f.Close()
	j.f = nil
	return err
}

// ReadJournal returns every record of the journal, oldest first; none when
// there is no journal yet. A damaged last line (a crash in the middle of
// an append) is skipped; a damaged line before it is an error naming it.
func (d *Dir) ReadJournal() ([]Record, error) {
	data, err := os.ReadFile(filepath.Join(d.path, journalFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read journal: %w", err)
	}
	lines := bytes.Split(data, []byte("\n"))
	var out []Record
	for i, line := range lines {
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		var r Record
		if err := json.Unmarshal(line, &r); err != nil {
			if lastLine(lines, i) {
				break // torn by a crash
			}
			return out, fmt.Errorf("read journal %s: line %d is damaged: %w", filepath.Join(d.path, journalFile), i+1, err)
		}
		out = append(out, r)
	}
	return out, nil
}

// lastLine reports whether only blank lines follow lines[i].
func lastLine(lines [][]byte, i int) bool {
	for _, l := range lines[i+1:] {
		if len(bytes.TrimSpace(l)) > 0 {
			return false
		}
	}
	return true
}
