package winemu

import (
	"encoding/json"
	"io"
	"strings"
	"sync"
)

// Services are the Windows services of a simulated host. Safe for
// concurrent use.
type Services struct {
	mu   sync.Mutex
	list []*Service
	// Elevated: the session may control services (else "access denied").
	Elevated bool
}

// Service is one Windows service.
type Service struct {
	Name, DisplayName string
	Running           bool
	// NeverStarts makes a start time out, as a broken service would.
	NeverStarts bool
	// OnStart and OnStop, if set, run when the service starts or stops
	// (the lab reports the component to the simulator there).
	OnStart, OnStop func()
}

// Add registers a service.
func (s *Services) Add(svc *Service) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.list = append(s.list, svc)
}

// Find returns the service with that service or display name.
func (s *Services) Find(name string) *Service {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, svc := range s.list {
		if strings.EqualFold(svc.Name, name) || strings.EqualFold(svc.DisplayName, name) {
			return svc
		}
	}
	return nil
}

type serviceInput struct {
	Name    string  `json:"name"`
	State   string  `json:"state"`
	Timeout float64 `json:"timeout"`
	Check   bool    `json:"check"`
}

func status(running bool) string {
	if running {
		return "Running"
	}
	return "Stopped"
}

// Service emulates service/1 (modules/service on Windows).
func (s *Services) Service(input []byte, stdout io.Writer) int {
	var in serviceInput
	if err := json.Unmarshal(input, &in); err != nil {
		return fail(stdout, "Invalid JSON primitive")
	}
	svc := s.Find(in.Name)
	if svc == nil {
		return fail(stdout, "service "+in.Name+" not found")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	before := status(svc.Running)
	wantRunning := in.State != "stopped"
	changed := in.State == "restarted" || svc.Running != wantRunning
	if changed && !in.Check {
		if !s.Elevated {
			return fail(stdout, "Service '"+svc.DisplayName+" ("+svc.Name+")' cannot be started due to the following error: Cannot open "+svc.Name+" service on computer '.'.")
		}
		if svc.Running && in.State != "started" {
			svc.Running = false
			if svc.OnStop != nil {
				svc.OnStop()
			}
		}
		if wantRunning {
			if svc.NeverStarts {
				return fail(stdout, "service "+svc.Name+" is Stopped, not Running, after the timeout")
			}
			svc.Running = true
			if svc.OnStart != nil {
				svc.OnStart()
			}
		}
	}
	reply(stdout, map[string]any{"name": svc.Name, "before": before, "after": status(svc.Running), "changed": changed})
	return 0
}
