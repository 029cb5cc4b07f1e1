package inventory

import (
	"slices"
	"testing"
)

func TestSelect(t *testing.T) {
	t.Parallel()
	inv := load(t, "nested.yml")
	all := hostNames(inv.Hosts())
	const (
		ctl     = "ctl.example.com"
		ag1     = "ag-1.example.com"
		dmz1    = "ag-dmz-01.example.com"
		dmz2    = "ag-dmz-02.example.com"
		dmz3    = "ag-dmz-03.example.com"
		agw1    = "agw-1"
		weba    = "weba.example.com"
		webb    = "webb.example.com"
		webc    = "webc.example.com"
		bastion = "bastion.example.com"
	)
	tests := []struct {
		pattern string
		want    []string
	}{
		{"all", all},
		{"*", all},
		{"ctl.example.com", []string{ctl}},
		{"activegates", []string{ag1, dmz1, dmz2, dmz3, agw1}},
		{"ungrouped", []string{ctl, bastion}},
		// Union, with either separator; the result is in inventory order,
		// not pattern order, and has no duplicates.
		{"oneagents:ctl.example.com", []string{ctl, weba, webb, webc}},
		{"oneagents,ctl.example.com", []string{ctl, weba, webb, webc}},
		{"staging,staging:agw-1", []string{dmz2, agw1, webb}},
		{" staging , ctl.example.com ", []string{ctl, dmz2, agw1, webb}},
		// Intersection.
		{"oneagents:&staging", []string{webb}},
		{"oneagents,&staging", []string{webb}},
		{"&staging", []string{dmz2, agw1, webb}}, // starts from all
		// Exclusion.
		{"activegates:!ag-dmz-*", []string{ag1, agw1}},
		{"activegates,!ag-dmz-*", []string{ag1, agw1}},
		{"!ungrouped", []string{ag1, dmz1, dmz2, dmz3, agw1, weba, webb, webc}}, // starts from all
		// Unions first, then intersections, then exclusions, whatever the
		// written order.
		{"activegates:&staging:!ag-dmz-*", []string{agw1}},
		{"!ag-dmz-*:&staging:activegates", []string{agw1}},
		{"activegates:!agw-1:oneagents:&staging", []string{dmz2, webb}},
		// Globs match host names and group names.
		{"web?.example.com", []string{weba, webb, webc}},
		{"web[ab].example.com", []string{weba, webb}},
		{"web[!ab].example.com", []string{webc}},
		{"ag-dmz-0[1-2]*", []string{dmz1, dmz2}},
		{"ag_*", []string{agw1}},                               // the group ag_windows
		{"one*:stag*", []string{dmz2, agw1, weba, webb, webc}}, // groups only
		{"nomatch*", nil},
		// Regular expressions match whole names.
		{`~ag-dmz-0[13]\.example\.com`, []string{dmz1, dmz3}},
		{`~ag-dmz-\d{1,2}.*`, []string{dmz1, dmz2, dmz3}}, // the comma is inside {}
		{`~(ag_windows|ctl\..*)`, []string{ctl, agw1}},
		{"~web", nil}, // not a full match of any name
		{"oneagents:!~web[ab].*", []string{webc}},
	}
	for _, tt := range tests {
		t.Run(tt.pattern, func(t *testing.T) {
			t.Parallel()
			got, err := inv.Select(tt.pattern)
			if err != nil {
				t.Fatalf("Select(%q): %v", tt.pattern, err)
			}
			if names := hostNames(got); !slices.Equal(names, tt.want) {
				t.Errorf("Select(%q) = %q\nwant %q", tt.pattern, names, tt.want)
			}
		})
	}
}

func TestSelectErrors(t *testing.T) {
	t.Parallel()
	inv := load(t, "nested.yml")
	const globHint = "(use * (any text), ? (one character) and [abc] or [a-z] (one of them); [!abc] excludes)"
	tests := []struct {
		pattern string
		want    string
	}{
		{"", `empty host pattern (use "all" to select every host)`},
		{"  ", `empty host pattern (use "all" to select every host)`},
		{"activegates:", `host pattern "activegates:" has an empty term (write a host or group name after each separator, or remove the separator)`},
		{"a,,b", `host pattern "a,,b" has an empty term (write a host or group name after each separator, or remove the separator)`},
		{"all:!", `host pattern "all:!" has an empty term (write a host or group name after each separator, or remove the separator)`},
		{"activegatse", `no host or group named "activegatse" in inventory testdata/nested.yml (did you mean "activegates"?)`},
		{"agw-2", `no host or group named "agw-2" in inventory testdata/nested.yml (did you mean "agw-1"?)`},
		{"all:!databases", `no host or group named "databases" in inventory testdata/nested.yml (check the spelling; the groups are activegates, ag_windows, all, oneagents, staging, ungrouped)`},
		// Every unknown name is reported, in pattern order.
		{"stagin:&onegents", `no host or group named "stagin" in inventory testdata/nested.yml (did you mean "staging"?)` + "\n" +
			`no host or group named "onegents" in inventory testdata/nested.yml (did you mean "oneagents"?)`},
		{"~web(", `host pattern term "~web(" is not a valid regular expression: missing closing ) (the text after ~ is a Go regular expression (https://pkg.go.dev/regexp/syntax))`},
		{"web[z-a]", `host pattern term "web[z-a]" is not a valid glob: invalid character class range ` + globHint},
		{"web[ab", `host pattern term "web[ab" is not a valid glob: [ without ] ` + globHint},
		{"activegates[0:2]", `host pattern term "activegates[0:2]" is not a valid glob: subscripts such as [0:2] are not supported; select hosts by name ` + globHint},
	}
	for _, tt := range tests {
		t.Run(tt.pattern, func(t *testing.T) {
			t.Parallel()
			got, err := inv.Select(tt.pattern)
			if err == nil {
				t.Fatalf("Select(%q) = %q, want an error", tt.pattern, hostNames(got))
			}
			if err.Error() != tt.want {
				t.Errorf("Select(%q) error:\n got %s\nwant %s", tt.pattern, err, tt.want)
			}
		})
	}
}
