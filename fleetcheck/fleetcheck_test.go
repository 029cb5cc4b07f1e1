package fleetcheck

import (
	"slices"
	"testing"
	"time"

	"github.com/rotplay/rotplay/dynatrace"
)

func TestUncovered(t *testing.T) {
	t.Parallel()
	now := time.Now()
	old := now.Add(-3 * time.Hour)
	since := now.Add(-time.Hour)
	oas := []dynatrace.OneAgentHost{
		{EntityID: "HOST-1", DisplayName: "web1", DiscoveredName: "web1.example.com", IPAddresses: []string{"10.0.0.1"}, AvailabilityState: "MONITORED", LastSeen: now},
		{EntityID: "HOST-2", DiscoveredName: "db1.example.com", AvailabilityState: "MONITORED", LastSeen: now},
		{EntityID: "HOST-3", DiscoveredName: "stale.example.com", AvailabilityState: "MONITORED", LastSeen: old},
		{EntityID: "HOST-4", DiscoveredName: "lost.example.com", AvailabilityState: "LOST", LastSeen: now},
		{EntityID: "HOST-5", DiscoveredName: "app.a.example.com", AvailabilityState: "MONITORED", LastSeen: now},
		{EntityID: "HOST-6", DiscoveredName: "app.b.example.com", AvailabilityState: "MONITORED", LastSeen: now},
		{EntityID: "HOST-7", DiscoveredName: "byip", IPAddresses: []string{"10.0.0.7"}, AvailabilityState: "MONITORED", LastSeen: now},
	}
	off := now
	ags := []dynatrace.ActiveGate{{ID: "0xa", Hostname: "AG1.example.com."}, {ID: "0xb", Hostname: "ag2", OfflineSince: &off}, {ID: "0xc", Hostname: "ag3"}}
	hosts := Hosts(oas, ags, since)
	tests := []struct {
		name      string
		inventory []string
		want      []string
	}{
		{"empty inventory: every connected host", nil, []string{"HOST-1", "HOST-2", "HOST-5", "HOST-6", "HOST-7", "0xa", "0xc"}},
		{"exact, short, IP and case", []string{"WEB1.example.com", "db1", "10.0.0.7", "ag1.example.com", "ag3"}, []string{"HOST-5", "HOST-6"}},
		{"ambiguous short name covers nothing", []string{"web1", "db1", "byip", "ag1", "ag3", "app"}, []string{"HOST-5", "HOST-6"}},
		{"full names resolve the ambiguity", []string{"web1", "db1", "byip", "ag1", "ag3", "app.a.example.com", "app.b.example.com"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var got []string
			for _, h := range Uncovered(tc.inventory, hosts) {
				got = append(got, h.ID)
			}
			if !slices.Equal(got, tc.want) {
				t.Fatalf("uncovered %v, want %v", got, tc.want)
			}
		})
	}
}
