package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"sync/atomic"
	"time"
)

// profileEnv names a directory: rotplay then writes cpu.pprof, heap.pprof
// and peaks.txt (goroutines, open file descriptors, heap) there, for
// finding what a big fleet costs (docs/performance.md).
const profileEnv = "ROTPLAY_PROFILE"

// startProfile starts profiling when profileEnv is set; the returned
// function stops it and writes the files. Failures are reported on
// stderr and never stop rotplay.
func startProfile() (stop func()) {
	dir := os.Getenv(profileEnv)
	if dir == "" {
		return func() {}
	}
	fail := func(err error) { fmt.Fprintf(os.Stderr, "rotplay: %s: %v\n", profileEnv, err) }
	if err := os.MkdirAll(dir, 0o755); err != nil {
		fail(err)
		return func() {}
	}
	cpu, err := os.Create(filepath.Join(dir, "cpu.pprof"))
	if err == nil {
		err = pprof.StartCPUProfile(cpu)
	}
	if err != nil {
		fail(err)
	}
	var p peaks
	done := make(chan struct{})
	go p.sample(done)
	return func() {
		close(done)
		p.take()
		pprof.StopCPUProfile()
		if cpu != nil {
			cpu.Close()
		}
		if err := writeHeap(filepath.Join(dir, "heap.pprof")); err != nil {
			fail(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "peaks.txt"), []byte(p.String()), 0o644); err != nil {
			fail(err)
		}
	}
}

// peaks are the highest values sampled while rotplay ran.
type peaks struct{ goroutines, fds, heap atomic.Int64 }

func (p *peaks) sample(done <-chan struct{}) {
	t := time.NewTicker(100 * time.Millisecond)
	defer t.Stop()
	for {
		p.take()
		select {
		case <-done:
			return
		case <-t.C:
		}
	}
}

func (p *peaks) take() {
	raise(&p.goroutines, int64(runtime.NumGoroutine()))
	if fds, err := os.ReadDir("/proc/self/fd"); err == nil {
		raise(&p.fds, int64(len(fds)))
	}
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	raise(&p.heap, int64(m.HeapAlloc))
}

func raise(v *atomic.Int64, n int64) {
	for old := v.Load(); n > old && !v.CompareAndSwap(old, n); old = v.Load() {
	}
}

func (p *peaks) String() string {
	return fmt.Sprintf("peak goroutines %d\npeak open file descriptors %d\npeak heap %d MB\n",
		p.goroutines.Load(), p.fds.Load(), p.heap.Load()>>20)
}

func writeHeap(name string) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	return errors.Join(pprof.Lookup("heap").WriteTo(f, 0), f.Close())
}
