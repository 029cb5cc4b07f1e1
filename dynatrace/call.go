package dynatrace

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"sync/atomic"
	"time"
)

// maxBody bounds what is read of any response; the API's payloads are far
// smaller (dynatrace.md §6: 1 MB limit).
const maxBody = 1 << 20

// attempt is the result of sending one request.
type attempt struct {
	status int // 0 when no response arrived
	header http.Header
	body   []byte
	err    error // transport, timeout or body-read error
	// sent: a connection was obtained, so (part of) the request may have
	// reached the server. Dial, DNS and TLS handshake failures leave it false.
	sent bool
}

func (a attempt) ok() bool { return a.err == nil && a.status/100 == 2 }

// mayHaveActed reports whether the server may have carried out the request
// although the attempt failed.
func (a attempt) mayHaveActed() bool {
	switch {
	case a.status >= 500:
		return true
	case a.status == 0:
		return a.sent
	default:
		return a.status/100 == 2 && a.err != nil // answered, then lost the body
	}
}

// call performs o, retrying as o's rules allow, and returns the body of the
// first 2xx answer and how many attempts it took, or an *APIError.
func (c *Client) call(ctx context.Context, o operation) ([]byte, int, error) {
	maybeActed := false
	for n := 1; ; n++ {
		a := c.send(ctx, o)
		if a.status == 0 && ctx.Err() != nil {
			a.err = interrupted(ctx)
		}
		maybeActed = maybeActed || a.mayHaveActed()
		if a.ok() {
			return a.body, n, nil
		}
		wait, again := c.retryWait(ctx, o, a, n)
		if !again {
			return nil, n, c.failure(o, a, n, maybeActed)
		}
		if err := c.retry.Sleep(ctx, wait); err != nil {
			return nil, n, c.failure(o, attempt{err: interrupted(ctx)}, n, maybeActed)
		}
	}
}

// errInterrupted marks failures caused by the caller's context rather than
// by the server or the network.
var errInterrupted = errors.New("interrupted")

func interrupted(ctx context.Context) error {
	if err := context.Cause(ctx); err != nil {
		return fmt.Errorf("%w: %w", errInterrupted, err)
	}
	return errInterrupted
}

// retryable is the heart of the retry rules:
//   - 429 always: the API throttles before acting (dynatrace.md §6);
//   - a failure before any connection existed always: nothing was sent;
//   - 5xx and lost or timed-out responses only for idempotent operations;
//   - never 4xx (other than 429), 2xx with a broken body, redirects or
//     untrusted certificates: repeating cannot change the answer.
func retryable(o operation, a attempt) bool {
	switch {
	case a.status == http.StatusTooManyRequests:
		return true
	case a.status >= 500:
		return o.idempotent
	case a.status != 0:
		return false
	case isCertError(a.err):
		return false
	case !a.sent:
		return true
	default:
		return o.idempotent
	}
}

// retryWait says whether attempt n may be followed by another, and after
// how long: the server's hint when it gave one, else jittered backoff.
func (c *Client) retryWait(ctx context.Context, o operation, a attempt, n int) (time.Duration, bool) {
	if n >= c.retry.Attempts || ctx.Err() != nil || !retryable(o, a) {
		return 0, false
	}
	if d, ok := c.retry.serverWait(a.header); ok {
		return d, true
	}
	return c.retry.backoff(n), true
}

// send performs one request within the per-request timeout and reads the
// whole (bounded) response body.
func (c *Client) send(ctx context.Context, o operation) attempt {
	actx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	var sent atomic.Bool
	trace := &httptrace.ClientTrace{GotConn: func(httptrace.GotConnInfo) { sent.Store(true) }}
	target := c.base + o.path
	if o.query != "" {
		target += "?" + o.query
	}
	req, err := http.NewRequestWithContext(httptrace.WithClientTrace(actx, trace), o.method, target, nil)
	if err != nil {
		return attempt{err: err}
	}
	req.Header.Set("Authorization", "Api-Token "+c.token)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.agent)
	resp, err := c.http.Do(req)
	if err != nil {
		return attempt{err: unwrapURLError(err), sent: sent.Load()}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	return attempt{status: resp.StatusCode, header: resp.Header, body: body, err: err, sent: true}
}

// unwrapURLError drops *url.Error's "Post \"URL\":" prefix: the operation
// name already says which call failed.
func unwrapURLError(err error) error {
	if ue, ok := errors.AsType[*url.Error](err); ok {
		return ue.Err
	}
	return err
}
