package inventory

import (
	"cmp"
	"errors"
	"path/filepath"
	"testing"

	"github.com/rotplay/rotplay/internal/golden"

	"github.com/rotplay/rotplay/diag"
)

// TestParseErrors loads each broken inventory under testdata/errors/NAME
// and compares every diagnostic, with its file:line:col and hint, to
// testdata/errors/NAME/errors.golden. Run go test -update to regenerate
// the golden files, then review the diff.
func TestParseErrors(t *testing.T) {
	t.Parallel()
	scenarios := []struct {
		name  string
		count int    // diagnostics expected, so that a lost one is noticed
		file  string // default inventory.yml
	}{
		{"unknown_key", 3, ""},     // typos with and without a suggestion
		{"cycle", 2, ""},           // a -> b -> c -> a, and a self-loop
		{"bad_yaml", 1, ""},        // a tab, reported at its line
		{"bad_yaml_flow", 1, ""},   // "a: b: c"
		{"bad_host_name", 5, ""},   // whitespace, host:port, ",", IPv6, "!"
		{"bad_range", 10, ""},      // every kind of bad range, ok[1:2] is fine
		{"empty", 1, ""},           // an empty file
		{"no_hosts", 1, ""},        // groups but no hosts
		{"wrong_types", 5, ""},     // lists and strings where mappings belong
		{"duplicate_key", 3, ""},   // a var, a host and a group key given twice
		{"reserved_groups", 3, ""}, // all and ungrouped as children, ungrouped with children
		{"bad_priority", 1, ""},    // ansible_group_priority: high
		{"bad_group_name", 2, ""},  // whitespace and ":" in group names
		{"top_level_list", 1, ""},  // the file is a list
		{"alias_repeat", 1, ""},    // one bad node reached through an alias twice
		{"null_key", 1, ""},        // "~:" where a host name belongs
		{"bad_keys", 3, ""},        // a list as a key, merge keys outside vars and of a scalar
		// unknown suffix, spaces in a header, :vars and children for undefined
		// groups, no "=", bad priority, two names
		{"ini_sections", 8, "inventory.ini"},
		// key=value without a host, a word without "=", an unclosed quote,
		// a bad range, host:port
		{"ini_hosts", 5, "inventory.ini"},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join("testdata", "errors", sc.name)
			file := cmp.Or(sc.file, "inventory.yml")
			inv, err := Load(filepath.Join(dir, file))
			if err == nil {
				t.Fatalf("Load succeeded with %d hosts, want errors", len(inv.Hosts()))
			}
			var list diag.List
			if !errors.As(err, &list) {
				t.Fatalf("error is %T, want a diag.List: %v", err, err)
			}
			if len(list) != sc.count {
				t.Errorf("got %d diagnostics, want %d", len(list), sc.count)
			}
			golden.Check(t, filepath.Join(dir, "errors.golden"), err.Error()+"\n")
		})
	}
}
