package winrm

import (
	"context"
	"strings"

	"github.com/rotplay/rotplay/transport"
	"github.com/rotplay/rotplay/transport/winrm/scripts"
)

// learnFacts asks the host what it is, in one round trip.
func (c *conn) learnFacts(ctx context.Context) error {
	var res struct {
		Arch     string `json:"arch"`
		Hostname string `json:"hostname"`
		User     string `json:"user"`
	}
	if err := c.script(ctx, scripts.Facts, struct{}{}, &res); err != nil {
		return err
	}
	c.facts = transport.Facts{OS: "windows", Arch: goarch(res.Arch), Hostname: res.Hostname, User: res.User}
	return nil
}

// goarch turns PROCESSOR_ARCHITECTURE into Go's GOARCH spelling.
func goarch(arch string) string {
	switch a := strings.ToUpper(strings.TrimSpace(arch)); a {
	case "AMD64":
		return "amd64"
	case "ARM64":
		return "arm64"
	case "X86":
		return "386"
	default:
		return strings.ToLower(a)
	}
}
