package inventory

import (
	"fmt"
	"slices"
	"testing"
)

func TestExpandHosts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		want []string
	}{
		{"plain.example.com", []string{"plain.example.com"}},
		{"web[1:3].x", []string{"web1.x", "web2.x", "web3.x"}},
		{"web[08:11].x", []string{"web08.x", "web09.x", "web10.x", "web11.x"}},
		{"web[001:003]", []string{"web001", "web002", "web003"}},
		{"db[a:c]", []string{"dba", "dbb", "dbc"}},
		{"db[y:B]", []string{"dby", "dbz", "dbA", "dbB"}}, // Python's ascii_letters order
		{"app[1:9:4]", []string{"app1", "app5", "app9"}},
		{"app[01:10:3]", []string{"app01", "app04", "app07", "app10"}},
		{"app[a:e:2]", []string{"appa", "appc", "appe"}},
		{"n[:2]", []string{"n0", "n1", "n2"}}, // begin defaults to 0
		{"r[1:2]-[a:b]", []string{"r1-a", "r1-b", "r2-a", "r2-b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := expandHosts(tt.name)
			if err != nil {
				t.Fatalf("expandHosts(%q): %v", tt.name, err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("expandHosts(%q) = %q, want %q", tt.name, got, tt.want)
			}
		})
	}
}

func TestExpandHostsErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		want string // the message; the hint is the same for all
	}{
		{"web[3:1]", `bad host range in "web[3:1]": begin 3 comes after end 1`},
		{"web[z:a]", `bad host range in "web[z:a]": begin "z" comes after end "a"`},
		{"web[01:1]", `bad host range in "web[01:1]": zero-padded begin "01" and end "1" must have the same width`},
		{"web[a:3]", `bad host range in "web[a:3]": begin "a" and end "3" must both be numbers or both single letters`},
		{"web[-1:3]", `bad host range in "web[-1:3]": begin "-1" and end "3" must both be numbers or both single letters`},
		{"web[1:5:0]", `bad host range in "web[1:5:0]": step "0" is not a positive integer`},
		{"web[1:5:x]", `bad host range in "web[1:5:x]": step "x" is not a positive integer`},
		{"web[1]", `bad host range in "web[1]": [1] is not [begin:end] or [begin:end:step]`},
		{"web[1:2:3:4]", `bad host range in "web[1:2:3:4]": [1:2:3:4] is not [begin:end] or [begin:end:step]`},
		{"web[1:]", `bad host range in "web[1:]": [1:] has no end`},
		{"web[1:3", `bad host range in "web[1:3": [ without ]`},
		{"web1]", `bad host range in "web1]": ] without [`},
		{"r[1:2]-[b:a]", `bad host range in "r[1:2]-[b:a]": begin "b" comes after end "a"`},
		{"big[0:100000]", `bad host range in "big[0:100000]": [0:100000] has more than 100000 hosts`},
	}
	const hint = "write a range as [begin:end] or [begin:end:step], e.g. web[01:10] or db[a:f]"
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := expandHosts(tt.name)
			if err == nil {
				t.Fatalf("expandHosts(%q) = %q, want an error", tt.name, got)
			}
			if want := fmt.Sprintf("%s (%s)", tt.want, hint); err.Error() != want {
				t.Errorf("expandHosts(%q) error:\n got %s\nwant %s", tt.name, err, want)
			}
		})
	}
}
