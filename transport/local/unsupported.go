//go:build !unix

package local

import (
	"context"
	"fmt"
	"runtime"

	"github.com/rotplay/rotplay/transport"
)

// NewDialer returns a Dialer that fails: the local transport needs a unix
// controller.
func NewDialer() transport.Dialer { return dialer{} }

type dialer struct{}

func (dialer) Dial(ctx context.Context, t transport.Target) (transport.Conn, error) {
	return nil, fmt.Errorf("dial local: the local transport needs a unix controller, not %s", runtime.GOOS)
}
