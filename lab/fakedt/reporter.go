package fakedt

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// Reporter tells the lab's Dynatrace simulator what the components of a
// host do. Implementations are safe for concurrent use: many hosts report
// at once.
type Reporter interface {
	// Connect reports that component (activegate, remoteplugin,
	// extensions, zremote, oneagent) of host connects with token, and
	// returns the cluster's verdict. A rejected token is a verdict
	// (accepted false, reason set), not an error; err means the report
	// could not be delivered. Blocks until the simulator answered or ctx
	// ends. Not idempotent: every call is one connection attempt.
	Connect(ctx context.Context, host, component, token string) (accepted bool, reason string, err error)

	// Stop reports that component of host disconnected. Blocks like
	// Connect; err means the report was not delivered. Idempotent.
	Stop(ctx context.Context, host, component string) error
}

// HTTPReporter returns a Reporter that posts to the simulator at baseURL
// (for example "http://127.0.0.1:8080"):
//
//	POST {base}/lab/v1/connect {"host","component","token"}
//	     -> 200 {"accepted":true} or 403 {"accepted":false,"reason":"..."}
//	POST {base}/lab/v1/stop    {"host","component"} -> 2xx
//
// Any other status is an error.
func HTTPReporter(baseURL string) Reporter {
	return &httpReporter{
		base:   strings.TrimRight(baseURL, "/"),
		client: &http.Client{Timeout: 30 * time.Second},
	}
}

type httpReporter struct {
	base   string
	client *http.Client
}

var _ Reporter = (*httpReporter)(nil)

type connectRequest struct {
	Host      string `json:"host"`
	Component string `json:"component"`
	Token     string `json:"token"`
}

type stopRequest struct {
	Host      string `json:"host"`
	Component string `json:"component"`
}

type connectResponse struct {
	Accepted bool   `json:"accepted"`
	Reason   string `json:"reason"`
}

func (r *httpReporter) Connect(ctx context.Context, host, component, token string) (bool, string, error) {
	status, body, err := r.post(ctx, "/lab/v1/connect", connectRequest{host, component, token})
	if err != nil {
		return false, "", err
	}
	if status != http.StatusOK && status != http.StatusForbidden {
		return false, "", fmt.Errorf("simulator connect: HTTP %d: %s", status, bytes.TrimSpace(body))
	}
	var resp connectResponse
	if err := json.Unmarshal(body, &resp); err != nil {
		return false, "", fmt.Errorf("simulator connect: HTTP %d: decode answer: %w", status, err)
	}
	// The status is authoritative: a 403 never counts as accepted.
	return resp.Accepted && status == http.StatusOK, resp.Reason, nil
}

func (r *httpReporter) Stop(ctx context.Context, host, component string) error {
	status, body, err := r.post(ctx, "/lab/v1/stop", stopRequest{Host: host, Component: component})
	if err != nil {
		return err
	}
	if status/100 != 2 {
		return fmt.Errorf("simulator stop: HTTP %d: %s", status, bytes.TrimSpace(body))
	}
	return nil
}

func (r *httpReporter) post(ctx context.Context, path string, v any) (int, []byte, error) {
	payload, err := json.Marshal(v)
	if err != nil {
		return 0, nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, r.base+path, bytes.NewReader(payload))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := r.client.Do(req)
	if err != nil {
		return 0, nil, fmt.Errorf("simulator: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return 0, nil, fmt.Errorf("simulator: read answer: %w", err)
	}
	return resp.StatusCode, body, nil
}
