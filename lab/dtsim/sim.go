// Package dtsim simulates a Dynatrace environment's API for tests and the
// practice lab: the tenant-token rotation calls, the connection info and
// the OneAgent and ActiveGate lists, behaving as dynatrace.md §1-§2 and §5
// document them, plus a lab API that tracks
// every simulated agent's token so the lab can show whether a rotation lost
// data. It is never used by a real run.
package dtsim

import (
	"crypto/rand"
	"io"
	"slices"
	"sync"
	"time"
)

// Scopes the simulated API checks (dynatrace.md §1, §2).
const (
	ScopeTenantTokenRotation = "tenantTokenRotation.write"
	ScopeInstallerDownload   = "InstallerDownload"
	ScopeOneAgentsRead       = "oneAgents.read"
	ScopeActiveGatesRead     = "activeGates.read"
	// ScopeDataExport also allows listing OneAgent hosts (dynatrace.md §5).
	ScopeDataExport = "DataExport"
)

// Defaults applied by New to zero Options fields.
const (
	DefaultAPIToken   = "dt0c01.LABSIMULATOR.labsimulatorapitokensecret"
	DefaultTenantUUID = "lab00001"
	// DefaultPageSize is small so that every client of the simulator
	// follows nextPageKey.
	DefaultPageSize = 2
)

// Options configures a Simulator; the zero value is usable.
type Options struct {
	// APIToken is the only API token accepted (DefaultAPIToken when "").
	APIToken string
	// Scopes the API token has. nil means ScopeTenantTokenRotation,
	// ScopeInstallerDownload, ScopeOneAgentsRead and ScopeActiveGatesRead; a
	// non-nil empty slice means none.
	Scopes []string
	// TenantUUID is the environment ID (DefaultTenantUUID when ""). The API
	// is served both at the root and under /e/{TenantUUID}, so SaaS- and
	// Managed-style environment URLs both work.
	TenantUUID string
	// InitialToken is the tenant token in force at the start (random when "").
	InitialToken string
	// ConnectionInfoReturnsOld makes connectioninfo keep returning the old
	// token while a rotation is open. By default it returns the new one as
	// soon as start was called, as dynatrace.md §2 infers; this option models
	// the opposite hypothesis. (Inverted so the zero value is the default.)
	ConnectionInfoReturnsOld bool
	// Rand is the source of new tokens (crypto/rand when nil).
	Rand io.Reader
	// Now is the clock behind lastSeenTimestamp and offlineSince (time.Now
	// when nil).
	Now func() time.Time
	// PageSize is how many hosts one page of /api/v1/oneagents holds
	// (DefaultPageSize when zero or less).
	PageSize int
}

// Simulator is one simulated environment. All methods are safe for
// concurrent use, also while its Handler serves requests.
type Simulator struct {
	apiToken       string
	scopes         []string
	tenant         string
	infoReturnsOld bool
	rand           io.Reader
	now            func() time.Time
	pageSize       int

	mu           sync.Mutex
	active       string // the token in force; the new one while rotating
	old          string // the token being replaced; "" unless rotating
	rotating     bool
	newest       string          // token made by the latest start, until cancelled
	retired      map[string]bool // tokens invalidated by finish
	discarded    map[string]bool // tokens discarded by cancel
	finished     bool            // the latest rotation was finished
	calls        []string
	requests     map[string]int
	comps        map[compKey]*tracked
	sorted       []compKey         // comps' keys sorted, nil when a key was added since
	osTypes      map[string]string // host -> osType for the host lists; default LINUX
	disconnected []Disconnection
	faults       map[string]*faults
	pages        map[string]pageKey // nextPageKeys handed out
}

// New returns a simulator in its initial state: no rotation open, no
// components. It panics if Rand fails while making the initial token.
func New(opts Options) *Simulator {
	s := &Simulator{
		apiToken:       opts.APIToken,
		scopes:         opts.Scopes,
		tenant:         opts.TenantUUID,
		infoReturnsOld: opts.ConnectionInfoReturnsOld,
		rand:           opts.Rand,
		now:            opts.Now,
		pageSize:       opts.PageSize,
		active:         opts.InitialToken,
		retired:        map[string]bool{},
		discarded:      map[string]bool{},
		requests:       map[string]int{},
		comps:          map[compKey]*tracked{},
		faults:         map[string]*faults{},
		pages:          map[string]pageKey{},
	}
	s.applyDefaults()
	return s
}

func (s *Simulator) applyDefaults() {
	if s.apiToken == "" {
		s.apiToken = DefaultAPIToken
	}
	if s.scopes == nil {
		s.scopes = []string{ScopeTenantTokenRotation, ScopeInstallerDownload, ScopeOneAgentsRead, ScopeActiveGatesRead}
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.pageSize <= 0 {
		s.pageSize = DefaultPageSize
	}
	if s.tenant == "" {
		s.tenant = DefaultTenantUUID
	}
	if s.rand == nil {
		s.rand = rand.Reader
	}
	if s.active == "" {
		tok, err := s.makeToken()
		if err != nil {
			panic("dtsim: making the initial token: " + err.Error())
		}
		s.active = tok
	}
}

// Tokens returns the valid tenant tokens: the active one, and while a
// rotation is open the old one (else old is "").
func (s *Simulator) Tokens() (active, old string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.active, s.old
}

// Calls lists the rotation operations that took effect ("start", "finish",
// "cancel"), in order.
func (s *Simulator) Calls() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.calls)
}

// Requests counts the requests received for op ("start", "finish",
// "cancel", "connectioninfo", "oneagents", "activegates"), whatever their
// outcome, faults included.
func (s *Simulator) Requests(op string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests[op]
}

// TenantUUID is the simulated environment's ID.
func (s *Simulator) TenantUUID() string { return s.tenant }

// APIToken is the API token the simulator accepts.
func (s *Simulator) APIToken() string { return s.apiToken }
