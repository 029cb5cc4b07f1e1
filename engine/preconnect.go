package engine

import (
	"context"
	"sync"

	"github.com/rotplay/rotplay/transport"
)

// dialResult is a connection opened ahead, or why it failed.
type dialResult struct {
	conn transport.Conn
	err  error
}

// preconnect opens, in the background, the connections of the hosts
// that have none yet (every host but those of the first phase: it starts
// with the second), in phase order, within the connect limit: the next
// phase's hosts connect first, and while the ActiveGates restart, the
// OneAgents' handshakes are done, so that their phase starts with work.
// Connecting changes nothing on a host (the transports only learn facts),
// so it does not cross the barrier. A host takes its connection when its
// phase starts (connect); one that failed ahead is dialed again then. The
// returned stop cancels what is still pending, waits, and closes the
// connections no host took. Called between phases, when no host runs.
func (rn *run) preconnect(ctx context.Context) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	var queue []*hostState
	seen := map[string]bool{}
	for _, p := range rn.plan.Phases {
		for _, h := range p.Hosts {
			hs := rn.hosts[h.Name]
			if seen[h.Name] || hs.conn != nil || hs.dead {
				continue
			}
			seen[h.Name] = true
			hs.ahead = make(chan dialResult, 1)
			queue = append(queue, hs)
		}
	}
	chans := make([]chan dialResult, len(queue))
	for i, hs := range queue {
		chans[i] = hs.ahead // the walker never reads hostState
	}
	// Connecting ahead is background work: it takes a quarter of the
	// connect limit at most, so that the hosts running now (ActiveGates
	// between their commands) keep most of the CPU on both sides.
	background := make(chan struct{}, max(1, cap(rn.dials)/4))
	var wg sync.WaitGroup
	wg.Go(func() {
		// Slots are taken here, in phase order, so that hosts of the next
		// phase connect first.
		for i, hs := range queue {
			select {
			case background <- struct{}{}:
			case <-ctx.Done():
				return
			}
			if rn.dialSlot(ctx) != nil {
				return
			}
			h, ch := hs.host, chans[i]
			wg.Go(func() {
				defer func() { <-rn.dials; <-background }()
				conn, err := rn.dialTaken(ctx, h)
				ch <- dialResult{conn, err}
			})
		}
	})
	return func() {
		cancel()
		wg.Wait()
		for _, ch := range chans {
			select {
			case r := <-ch:
				if r.conn != nil {
					r.conn.Close()
				}
			default:
			}
		}
	}
}
