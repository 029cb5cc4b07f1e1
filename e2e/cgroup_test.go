package e2e

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// cpuGroup is a control group that only counts CPU time: the benchmark
// puts the fleet's sshd processes in one and each contender's run in
// another, so that processes which are never waited for (ssh
// ControlPersist masters, the sessions sshd forks) are counted too. It
// works with cgroup v2 (cpu.stat) and v1's cpuacct controller.
type cpuGroup struct {
	dir string
	v2  bool
}

// cgroupRoot is where this machine mounts its control groups.
const cgroupRoot = "/sys/fs/cgroup"

// newCPUGroup creates the group name, or says why this machine has none.
func newCPUGroup(name string) (*cpuGroup, error) {
	g := &cpuGroup{}
	switch {
	case exists(filepath.Join(cgroupRoot, "cgroup.controllers")):
		g.dir, g.v2 = filepath.Join(cgroupRoot, name), true
	case exists(filepath.Join(cgroupRoot, "cpuacct", "cpuacct.usage")):
		g.dir = filepath.Join(cgroupRoot, "cpuacct", name)
	default:
		return nil, errors.New("no cgroup v2 and no cgroup v1 cpuacct controller under " + cgroupRoot)
	}
	if err := os.Mkdir(g.dir, 0o755); err != nil {
		return nil, fmt.Errorf("create control group: %w", err)
	}
	return g, nil
}

func exists(name string) bool {
	_, err := os.Stat(name)
	return err == nil
}

// usage is the CPU time (user and system) the group's processes have
// used so far, those that exited included.
func (g *cpuGroup) usage() (time.Duration, error) {
	if !g.v2 {
		b, err := os.ReadFile(filepath.Join(g.dir, "cpuacct.usage"))
		if err != nil {
			return 0, err
		}
		ns, err := strconv.ParseInt(string(bytes.TrimSpace(b)), 10, 64)
		return time.Duration(ns), err
	}
	b, err := os.ReadFile(filepath.Join(g.dir, "cpu.stat"))
	if err != nil {
		return 0, err
	}
	for line := range strings.Lines(string(b)) {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "usage_usec "); ok {
			us, err := strconv.ParseInt(v, 10, 64)
			return time.Duration(us) * time.Microsecond, err
		}
	}
	return 0, errors.New("cpu.stat has no usage_usec")
}

// wrap returns argv prefixed so that the process moves itself into the
// group before it becomes argv: everything it starts is counted.
func (g *cpuGroup) wrap(argv ...string) []string {
	return append([]string{"sh", "-c", `echo $$ > "$0/cgroup.procs" && exec "$@"`, g.dir}, argv...)
}

// enterSelf moves this process into the group and returns the function
// that moves it back: what it starts in between is counted in the group.
func (g *cpuGroup) enterSelf() (leave func() error, err error) {
	home, err := g.current()
	if err != nil {
		return nil, err
	}
	pid := []byte(strconv.Itoa(os.Getpid()))
	if err := os.WriteFile(filepath.Join(g.dir, "cgroup.procs"), pid, 0o644); err != nil {
		return nil, fmt.Errorf("enter control group: %w", err)
	}
	return func() error { return os.WriteFile(filepath.Join(home, "cgroup.procs"), pid, 0o644) }, nil
}

// current is the directory of the group of the same hierarchy that this
// process is in now.
func (g *cpuGroup) current() (string, error) {
	b, err := os.ReadFile("/proc/self/cgroup")
	if err != nil {
		return "", err
	}
	for line := range strings.Lines(string(b)) {
		fields := strings.SplitN(strings.TrimSpace(line), ":", 3)
		if len(fields) != 3 {
			continue
		}
		if g.v2 && fields[0] == "0" && fields[1] == "" {
			return filepath.Join(cgroupRoot, fields[2]), nil
		}
		if !g.v2 && slices.Contains(strings.Split(fields[1], ","), "cpuacct") {
			return filepath.Join(filepath.Dir(g.dir), fields[2]), nil
		}
	}
	return "", errors.New("/proc/self/cgroup does not say which control group this process is in")
}

// killAll kills every process left in the group.
func (g *cpuGroup) killAll() {
	b, _ := os.ReadFile(filepath.Join(g.dir, "cgroup.procs"))
	for _, f := range strings.Fields(string(b)) {
		if pid, err := strconv.Atoi(f); err == nil {
			syscall.Kill(pid, syscall.SIGKILL)
		}
	}
}

// remove deletes the group once its processes are gone; it waits a little
// for the kernel to notice that they exited.
func (g *cpuGroup) remove() error {
	var err error
	for range 50 {
		if err = os.Remove(g.dir); err == nil {
			return nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	return err
}
