package shquote

import (
	"os/exec"
	"testing"
)

func TestRoundTripThroughSh(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"plain", "", "with space", "it's", `$HOME "x" \n`, "a\nb", "*", "-n", "tab\there"} {
		for _, q := range []string{Word(s), Always(s)} {
			out, err := exec.Command("/bin/sh", "-c", "printf '%s' "+q).Output()
			if err != nil || string(out) != s {
				t.Errorf("%q quoted as %s came back as %q (%v)", s, q, out, err)
			}
		}
	}
	if Word("/opt/x-1.2") != "/opt/x-1.2" {
		t.Error("safe words must stay bare")
	}
}
