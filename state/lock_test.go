package state

import (
	"errors"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestLockExcludesOtherHolders(t *testing.T) {
	t.Parallel()
	d, err := Open(t.TempDir() + "/state")
	if err != nil {
		t.Fatal(err)
	}
	l, err := d.Lock()
	if err != nil {
		t.Fatal(err)
	}
	// flock locks belong to open file descriptions: a second Lock in this
	// process conflicts just as another process would.
	_, err = d.Lock()
	var le *LockedError
	if !errors.As(err, &le) || le.Holder.PID != os.Getpid() || !strings.Contains(err.Error(), "pid") {
		t.Fatalf("second lock: %v", err)
	}
	if err := l.Unlock(); err != nil {
		t.Fatal(err)
	}
	l2, err := d.Lock()
	if err != nil {
		t.Fatalf("after unlock: %v", err)
	}
	l2.Unlock()
}

// TestLockReleasedWhenHolderDies: a holder killed with SIGKILL leaves no
// stale lock.
func TestLockReleasedWhenHolderDies(t *testing.T) {
	t.Parallel()
	dir := t.TempDir() + "/state"
	d, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	// flock(1) from util-linux holds the lock in another process.
	if _, err := exec.LookPath("flock"); err != nil {
		t.Skip("flock(1) not installed")
	}
	cmd := exec.Command("flock", "-x", dir+"/"+lockFile, "sleep", "30")
	// flock's child (sleep) inherits the lock: kill the whole group.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	held := false
	for i := 0; i < 200 && !held; i++ { // wait until it holds the lock
		l, err := d.Lock()
		if err != nil {
			held = true
			break
		}
		l.Unlock()
		time.Sleep(10 * time.Millisecond)
	}
	if !held {
		t.Fatal("the other process never took the lock")
	}
	syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	cmd.Wait()
	// Wait reaps flock(1) only; its child sleep, which holds the lock too,
	// may take a moment to die. The kernel then releases the lock.
	var l *Lock
	for i := 0; i < 200; i++ {
		if l, err = d.Lock(); err == nil {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("lock 2s after the holder was killed: %v", err)
	}
	l.Unlock()
}
