package dynatrace

import (
	"context"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// RetryPolicy says how often and how long to wait before repeating a failed
// request. Which failures may be repeated at all is not configurable: see
// the package's call rules in call.go.
type RetryPolicy struct {
	// Attempts is the total number of tries, the first included (default 5;
	// 1 disables retries).
	Attempts int
	// Base is the ceiling of the first backoff; it doubles per retry up to
	// Cap (defaults 500ms and 10s). The wait is drawn uniformly from
	// [0, ceiling] ("full jitter") so that many clients do not retry in step.
	Base, Cap time.Duration
	// MaxServerWait caps a wait the server asks for with Retry-After or
	// X-RateLimit-Reset (default 60s), so a wrong header cannot stall a run.
	MaxServerWait time.Duration
	// Sleep waits d or until ctx is done, returning ctx.Err() then. Tests
	// inject it; the default uses a timer.
	Sleep func(ctx context.Context, d time.Duration) error
	// Now is the clock X-RateLimit-Reset and HTTP-date Retry-After are
	// measured against (default time.Now).
	Now func() time.Time
	// Jitter returns a duration in [0, ceiling] (default uniform random).
	// Results outside that range are clamped.
	Jitter func(ceiling time.Duration) time.Duration
}

// withDefaults fills zero fields.
func (p RetryPolicy) withDefaults() RetryPolicy {
	if p.Attempts <= 0 {
		p.Attempts = 5
	}
	if p.Base <= 0 {
		p.Base = 500 * time.Millisecond
	}
	if p.Cap <= 0 {
		p.Cap = 10 * time.Second
	}
	if p.MaxServerWait <= 0 {
		p.MaxServerWait = time.Minute
	}
	if p.Sleep == nil {
		p.Sleep = sleep
	}
	if p.Now == nil {
		p.Now = time.Now
	}
	if p.Jitter == nil {
		p.Jitter = fullJitter
	}
	return p
}

// backoff is the wait before retry number n (1 for the first retry):
// uniform in [0, min(Cap, Base·2^(n-1))].
func (p RetryPolicy) backoff(n int) time.Duration {
	ceiling := p.Base
	for i := 1; i < n && ceiling < p.Cap; i++ {
		ceiling *= 2 // stops at Cap, so it cannot overflow
	}
	ceiling = min(ceiling, p.Cap)
	return min(max(p.Jitter(ceiling), 0), ceiling)
}

// serverWait reads how long the server asked us to wait: Retry-After in
// seconds or as an HTTP date, else X-RateLimit-Reset in microseconds since
// the epoch (dynatrace.md §6: the unit is microseconds). A hint that is
// absent, unparsable or already past yields ok == false.
func (p RetryPolicy) serverWait(h http.Header) (d time.Duration, ok bool) {
	if v := strings.TrimSpace(h.Get("Retry-After")); v != "" {
		if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
			return p.capServer(secs, time.Second)
		}
		if t, err := http.ParseTime(v); err == nil {
			return p.capServer(int64(t.Sub(p.Now())), 1)
		}
	}
	if v := strings.TrimSpace(h.Get("X-RateLimit-Reset")); v != "" {
		if us, err := strconv.ParseInt(v, 10, 64); err == nil {
			return p.capServer(int64(time.UnixMicro(us).Sub(p.Now())), 1)
		}
	}
	return 0, false
}

// capServer returns n·unit limited to MaxServerWait, guarding against
// overflow; non-positive waits are not a usable hint.
func (p RetryPolicy) capServer(n int64, unit time.Duration) (time.Duration, bool) {
	if n <= 0 {
		return 0, false
	}
	if n > int64(p.MaxServerWait/unit) {
		return p.MaxServerWait, true
	}
	return time.Duration(n) * unit, true
}

func fullJitter(ceiling time.Duration) time.Duration {
	if ceiling <= 0 {
		return 0
	}
	return rand.N(ceiling + 1)
}

func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
