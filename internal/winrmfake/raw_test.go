package winrmfake

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/masterzen/winrm"
	"github.com/masterzen/winrm/soap"
)

// rawClient sends single WS-Management requests, built by the client
// library's own request builders, with Basic auth: for the cases the
// library's Run would hide (or hang on).
type rawClient struct {
	t      *testing.T
	s      *Server
	http   *http.Client
	params *winrm.Parameters
}

func newRaw(t *testing.T, s *Server) *rawClient {
	return &rawClient{t: t, s: s, http: &http.Client{Timeout: 10 * time.Second}, params: winrm.NewParameters("PT2S", "en-US", 102400)}
}

// post sends msg and returns the status and body, or the error.
func (c *rawClient) post(msg *soap.SoapMessage) (int, string, error) {
	req, err := http.NewRequestWithContext(c.t.Context(), http.MethodPost, c.s.URL(), strings.NewReader(msg.String()))
	if err != nil {
		c.t.Fatal(err)
	}
	req.SetBasicAuth("ops", "s3cret")
	req.Header.Set("Content-Type", "application/soap+xml;charset=UTF-8")
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), err
}

func (c *rawClient) mustPost(msg *soap.SoapMessage) string {
	c.t.Helper()
	status, body, err := c.post(msg)
	if err != nil || status != http.StatusOK {
		c.t.Fatalf("request: status %d, %v\n%s", status, err, body)
	}
	return body
}

func (c *rawClient) createShell() string {
	c.t.Helper()
	id, err := winrm.ParseOpenShellResponse(c.mustPost(winrm.NewOpenShellRequest(c.s.URL(), c.params)))
	if err != nil {
		c.t.Fatal(err)
	}
	return id
}

func (c *rawClient) command(shell, line string) string {
	c.t.Helper()
	id, err := winrm.ParseExecuteCommandResponse(c.mustPost(winrm.NewExecuteCommandRequest(c.s.URL(), shell, line, nil, c.params)))
	if err != nil {
		c.t.Fatal(err)
	}
	return id
}

// receive polls until the command is done and returns its output.
func (c *rawClient) receive(shell, cmd string) (stdout, stderr string, code int) {
	c.t.Helper()
	var out, errOut bytes.Buffer
	for range 100 {
		status, body, err := c.post(winrm.NewGetOutputRequest(c.s.URL(), shell, cmd, "stdout stderr", c.params))
		if err != nil {
			c.t.Fatal(err)
		}
		if status == http.StatusInternalServerError && strings.Contains(body, "w:TimedOut") {
			continue
		}
		done, code, err := winrm.ParseSlurpOutputErrResponse(body, &out, &errOut)
		if err != nil || status != http.StatusOK {
			c.t.Fatalf("receive: %d %v\n%s", status, err, body)
		}
		if done {
			return out.String(), errOut.String(), code
		}
	}
	c.t.Fatal("command never done")
	return "", "", 0
}
