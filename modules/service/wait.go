package service

import (
	"context"
	"fmt"
	"time"
)

// wait asks the state every a.poll until the service is in the state
// asked for, or a.timeout has passed since the call: then it fails with
// the manager's status output. A service systemd reports failed while it
// should come up fails at once: systemd shows a unit it will restart as
// activating, so failed is final. wait returns early with ctx's error
// when ctx ends.
func (a *action) wait(ctx context.Context, m manager) (svcState, error) {
	deadline := time.Now().Add(a.timeout)
	for {
		st, err := m.state(ctx)
		if err != nil || a.reached(st) {
			return st, err
		}
		if a.args.State != stopped && st.word == "failed" {
			return st, &failure{status: m.status(ctx),
				msg: fmt.Sprintf("%s did not become active (it is failed)", a.args.Name)}
		}
		left := time.Until(deadline)
		if left <= 0 {
			return st, &failure{status: m.status(ctx),
				msg: fmt.Sprintf("timed out after %s waiting for %s to become %s (it is %s)", a.timeout, a.args.Name, a.goal(), st)}
		}
		if err := sleep(ctx, min(a.poll, left)); err != nil {
			return st, fmt.Errorf("wait for %s to become %s: %w", a.args.Name, a.goal(), err)
		}
	}
}

// sleep waits d or until ctx ends, and then returns ctx's error.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
