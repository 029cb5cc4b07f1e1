package dynatrace

import (
	"net/http"
	"slices"
	"strconv"
	"testing"
	"time"
)

func TestBackoffCappedAndJittered(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		jitter func(time.Duration) time.Duration
		want   []time.Duration // for retries 1..8
	}{
		{"ceiling", func(d time.Duration) time.Duration { return d },
			[]time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 10 * time.Second, 10 * time.Second, 10 * time.Second}},
		{"half", func(d time.Duration) time.Duration { return d / 2 },
			[]time.Duration{250 * time.Millisecond, 500 * time.Millisecond, time.Second, 2 * time.Second, 4 * time.Second, 5 * time.Second, 5 * time.Second, 5 * time.Second}},
		{"clamped above", func(d time.Duration) time.Duration { return 3 * d },
			[]time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 10 * time.Second, 10 * time.Second, 10 * time.Second}},
		{"clamped below", func(time.Duration) time.Duration { return -time.Second }, make([]time.Duration, 8)},
	}
	for _, tt := range tests {
		p := RetryPolicy{Jitter: tt.jitter}.withDefaults()
		var got []time.Duration
		for n := 1; n <= 8; n++ {
			got = append(got, p.backoff(n))
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
	if d := (RetryPolicy{Jitter: func(d time.Duration) time.Duration { return d }}).withDefaults().backoff(1000); d != 10*time.Second {
		t.Errorf("retry 1000 waits %v, want the 10s cap", d)
	}
}

func TestDefaultJitterIsFullJitter(t *testing.T) {
	t.Parallel()
	p := RetryPolicy{}.withDefaults()
	seen := map[time.Duration]bool{}
	for range 200 {
		d := p.backoff(3) // ceiling 2s
		if d < 0 || d > 2*time.Second {
			t.Fatalf("wait %v outside [0, 2s]", d)
		}
		seen[d] = true
	}
	if len(seen) < 100 {
		t.Fatalf("only %d distinct waits in 200: not jittered", len(seen))
	}
}

func TestServerWait(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	p := RetryPolicy{Now: func() time.Time { return now }}.withDefaults()
	tests := []struct {
		name   string
		header map[string]string
		want   time.Duration
		ok     bool
	}{
		{"none", nil, 0, false},
		{"retry-after seconds", map[string]string{"Retry-After": "3"}, 3 * time.Second, true},
		{"retry-after zero", map[string]string{"Retry-After": "0"}, 0, false},
		{"retry-after garbage", map[string]string{"Retry-After": "soon"}, 0, false},
		{"retry-after huge is capped", map[string]string{"Retry-After": "99999999999999"}, time.Minute, true},
		{"retry-after date", map[string]string{"Retry-After": now.Add(5 * time.Second).Format(http.TimeFormat)}, 5 * time.Second, true},
		{"ratelimit reset in microseconds", map[string]string{"X-RateLimit-Reset": itoa64(now.Add(2500 * time.Millisecond).UnixMicro())}, 2500 * time.Millisecond, true},
		{"ratelimit reset past", map[string]string{"X-RateLimit-Reset": itoa64(now.Add(-time.Second).UnixMicro())}, 0, false},
		{"ratelimit reset far is capped", map[string]string{"X-RateLimit-Reset": itoa64(now.Add(time.Hour).UnixMicro())}, time.Minute, true},
		{"retry-after wins", map[string]string{"Retry-After": "1", "X-RateLimit-Reset": itoa64(now.Add(9 * time.Second).UnixMicro())}, time.Second, true},
	}
	for _, tt := range tests {
		h := http.Header{}
		for k, v := range tt.header {
			h.Set(k, v)
		}
		if d, ok := p.serverWait(h); d != tt.want || ok != tt.ok {
			t.Errorf("%s: %v %v, want %v %v", tt.name, d, ok, tt.want, tt.ok)
		}
	}
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

func TestClientWaits(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		steps []step
		want  []time.Duration
	}{
		{"backoff doubles", []step{{status: 503}}, []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second, 4 * time.Second}},
		{"retry-after honoured", []step{{status: 429, header: map[string]string{"Retry-After": "7"}}, {status: 200, body: okInfo}}, []time.Duration{7 * time.Second}},
		{"retry-after capped", []step{{status: 503, header: map[string]string{"Retry-After": "3600"}}, {status: 200, body: okInfo}}, []time.Duration{time.Minute}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, url := script(t, tt.steps...)
			c, sl := testClient(t, url, testToken)
			_, _ = c.ConnectionInfo(t.Context())
			if got := sl.got(); !slices.Equal(got, tt.want) {
				t.Fatalf("waits %v, want %v", got, tt.want)
			}
		})
	}
}
