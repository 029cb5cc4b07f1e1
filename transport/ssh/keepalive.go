package ssh

import (
	"fmt"
	"time"
)

// startKeepalive sends keepalive@openssh.com every interval until Close.
// A connection that leaves keepaliveMisses requests in a row unanswered
// (the network or the host is gone without a reset) is marked lost, which
// makes every later call fail fast instead of hanging. interval < 0
// disables it.
func (c *conn) startKeepalive(interval time.Duration) {
	if interval < 0 {
		return
	}
	c.wg.Go(func() { c.keepalive(interval) })
}

func (c *conn) keepalive(interval time.Duration) {
	ticker := time.NewTicker(interval)
	defer ticker.Stop()
	// One request at a time: SendRequest blocks until the reply, which on
	// a dead network never comes, so it runs apart and the ticks count
	// how long it has been waiting. The buffer lets it finish after we
	// return; closing the client unblocks it.
	replies := make(chan error, 1)
	pending, missed := false, 0
	for {
		select {
		case <-c.stop:
			return
		case <-c.lost:
			return
		case err := <-replies:
			pending, missed = false, 0
			if err != nil {
				c.markLost(fmt.Errorf("keepalive failed (%v)", err))
				return
			}
		case <-ticker.C:
			if pending {
				if missed++; missed >= keepaliveMisses {
					c.markLost(fmt.Errorf("no reply to %d keepalives sent %v apart", keepaliveMisses, interval))
					return
				}
				continue
			}
			pending = true
			go func() {
				_, _, err := c.client.SendRequest("keepalive@openssh.com", true, nil)
				replies <- err
			}()
		}
	}
}
