package state

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// lockFile is the run lock's file in the state directory.
const lockFile = "run.lock"

// Holder describes the process holding the run lock.
type Holder struct {
	PID       int       `json:"pid"`
	Host      string    `json:"host"`
	StartedAt time.Time `json:"started_at"`
}

// LockedError is returned by Lock when another run holds the lock.
type LockedError struct {
	Dir    string
	Holder Holder // zero when the holder wrote nothing yet
}

func (e *LockedError) Error() string {
	h := e.Holder
	if h.PID == 0 {
		return fmt.Sprintf("another rotplay run holds the lock on state directory %s", e.Dir)
	}
	return fmt.Sprintf("another rotplay run holds the lock on state directory %s: pid %d on %s, started %s",
		e.Dir, h.PID, h.Host, h.StartedAt.Format(time.RFC3339))
}

// Lock is a held run lock; Unlock releases it.
type Lock struct{ f *os.File }

// Lock takes the run lock of the directory, so that two runs sharing it
// (cron firing twice, a person and cron) never overlap. It is an OS file
// lock (flock): the kernel releases it when the process ends, even by
// SIGKILL, so a crash never leaves a stale lock to clean by hand. It does
// not wait: a lock held by another process is a *LockedError naming it.
func (d *Dir) Lock() (*Lock, error) {
	path := filepath.Join(d.path, lockFile)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("run lock: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, &LockedError{Dir: d.path, Holder: readHolder(path)}
		}
		return nil, fmt.Errorf("run lock %s: %w", path, err)
	}
	host, _ := os.Hostname()
	b, _ := json.Marshal(Holder{PID: os.Getpid(), Host: host, StartedAt: d.now().UTC()})
	if err := f.Truncate(0); err == nil {
		f.WriteAt(append(b, '\n'), 0)
	}
	return &Lock{f: f}, nil
}

// Unlock releases the lock. Idempotent.
func (l *Lock) Unlock() error {
	if l == nil || l.f == nil {
		return nil
	}
	err := l.f.Close() // closing the descriptor releases the flock
	l.f = nil
	return err
}

func readHolder(path string) Holder {
	var h Holder
	if b, err := os.ReadFile(path); err == nil {
		json.Unmarshal(b, &h)
	}
	return h
}
