package fleetcheck

import (
	"net"
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

// matchLinear is Match as a scan of every host, the reference for Index.
func matchLinear(name string, hosts []APIHost) (matched []int, ambiguous []string) {
	want := normalise(name)
	for i, h := range hosts {
		if slices.Contains(h.Names, want) {
			matched = append(matched, i)
		}
	}
	if len(matched) > 0 || want == "" || net.ParseIP(want) != nil {
		return matched, nil
	}
	short := shortName(want)
	for i, h := range hosts {
		for _, n := range h.Names {
			if net.ParseIP(n) == nil && shortName(n) == short {
				matched = append(matched, i)
				if !slices.Contains(ambiguous, n) {
					ambiguous = append(ambiguous, n)
				}
				break
			}
		}
	}
	if len(ambiguous) > 1 {
		return nil, ambiguous
	}
	return matched, nil
}

func TestIndexMatchesLikeAScan(t *testing.T) {
	t.Parallel()
	hosts := []APIHost{
		{Names: []string{"web-1", "web-1.prod.example.com", "10.0.0.1"}},
		{Names: []string{"web-1.prod.example.com"}},
		{Names: []string{"db-1.prod", "db-1.prod.example.com"}},
		{Names: []string{"db-1.test"}},
		{Names: []string{"10.0.0.2", "app.a"}},
		{Names: []string{"app.a", "app.b"}},
		{Names: []string{"solo.x", "solo.x"}},
		{Names: []string{"10.0.0.1"}},
	}
	x := NewIndex(hosts)
	for _, name := range []string{"web-1", "WEB-1.PROD.EXAMPLE.COM.", "web-1.other", "10.0.0.1", "10.0.0", "db-1",
		"db-1.prod", "app", "app.c", "solo", "solo.y", "", " ", "nope", "10", "10.0.0.2"} {
		gotM, gotA := x.Match(name)
		wantM, wantA := matchLinear(name, hosts)
		if !slices.Equal(gotM, wantM) || !slices.Equal(gotA, wantA) {
			t.Errorf("Index.Match(%q) = %v, %v; a scan gives %v, %v", name, gotM, gotA, wantM, wantA)
		}
	}
}
