package vhost

import (
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"
)

// TestManyHosts checks that one process holds thousands of hosts: 2000
// hosts created and each running one command in a few seconds, with a
// small memory cost per host.
func TestManyHosts(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	const n = 2000
	dir := t.TempDir()
	var before runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()

	hosts := make([]*Host, n)
	for i := range hosts {
		h, err := New(fmt.Sprintf("h%04d", i), fmt.Sprintf("%s/h%04d", dir, i), Options{User: "ops"})
		if err != nil {
			t.Fatal(err)
		}
		hosts[i] = h
	}
	var wg sync.WaitGroup
	sem := make(chan struct{}, 64)
	for _, h := range hosts {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			th := &testHost{t, h}
			if r := th.run("hostname; id -u"); r.code != 0 || r.stdout != h.Name()+"\n1000\n" {
				t.Errorf("%s: %+v", h.Name(), r)
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)

	runtime.GC()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	perHost := (int64(after.HeapAlloc) - int64(before.HeapAlloc)) / n
	t.Logf("%d hosts in %v, %d bytes of heap per host", n, elapsed, perHost)
	if elapsed > 20*time.Second {
		t.Errorf("%d hosts took %v", n, elapsed)
	}
	if perHost > 4096 {
		t.Errorf("a host costs %d bytes of heap", perHost)
	}
	runtime.KeepAlive(hosts)
}
