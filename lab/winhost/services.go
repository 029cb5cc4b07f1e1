package winhost

import (
	"slices"
	"strings"
)

// ServiceState is whether a service runs.
type ServiceState string

// The states the simulated services have.
const (
	Running ServiceState = "Running"
	Stopped ServiceState = "Stopped"
)

type service struct {
	name  string // as spelt when added
	state ServiceState
}

// SetService adds the service name, or changes its state. Names are
// case-insensitive, as the service control manager's are.
func (h *Host) SetService(name string, state ServiceState) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if s, ok := h.services[strings.ToLower(name)]; ok {
		s.state = state
		return
	}
	h.services[strings.ToLower(name)] = &service{name: name, state: state}
}

// Service returns the state of service name.
func (h *Host) Service(name string) (ServiceState, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	s, ok := h.services[strings.ToLower(name)]
	if !ok {
		return "", false
	}
	return s.state, true
}

// Services returns the names of all services, sorted, as spelt.
func (h *Host) Services() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	names := make([]string, 0, len(h.services))
	for _, s := range h.services {
		names = append(names, s.name)
	}
	slices.Sort(names)
	return names
}
