// Package apirotate is the api_rotate module: it starts, finishes or
// cancels a tenant-token rotation through the Dynatrace API, on the
// controller. start saves the API's answer durably before anything uses
// the new token, because the API has no way to ask for it again.
package apirotate

import (
	"net/http"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/rotplay/rotplay/modules"
)

// Options wire the module to its surroundings; the zero value is usable.
type Options struct {
	// StateDir is where rotation state is saved; "" means
	// state.DefaultDir().
	StateDir string
	// HTTPClient is used for API calls when set (tests).
	HTTPClient *http.Client
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// VerifyInterval is how often verify_api polls the API
	// (DefaultVerifyInterval when zero; tests make it small).
	VerifyInterval time.Duration
}

// DefaultVerifyInterval is how often verify_api polls the Dynatrace API.
const DefaultVerifyInterval = 5 * time.Second

// New returns the api_rotate module.
func New(opts Options) modules.Module {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.VerifyInterval <= 0 {
		opts.VerifyInterval = DefaultVerifyInterval
	}
	return &module{opts: opts}
}

type module struct{ opts Options }

func (m *module) Info() modules.Info {
	return modules.Info{Name: "api_rotate", Controller: true,
		Summary: "Start, finish or cancel a tenant-token rotation through the Dynatrace API."}
}

func (m *module) Decode(file string, n *yaml.Node) (modules.Action, error) {
	a, err := decode(file, n)
	if err != nil {
		return nil, err
	}
	return &action{opts: m.opts, args: a}, nil
}
