package secret

import (
	"strings"
	"testing"
)

func TestRedact(t *testing.T) {
	t.Parallel()
	var r Redactor
	if got := r.Redact("nothing registered"); got != "nothing registered" {
		t.Fatalf("got %q", got)
	}
	r.Add("abc", "tokenAAAA", "tokenAAAAextended")
	got := r.Redact("a=tokenAAAA b=tokenAAAAextended c=abc")
	if strings.Contains(got, "tokenAAAA") {
		t.Fatalf("secret left in %q", got)
	}
	want := "a=" + Mask("tokenAAAA") + " b=" + Mask("tokenAAAAextended") + " c=abc"
	if got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
	if Mask("x") == Mask("y") || !strings.HasPrefix(Mask("x"), "***") || len(Fingerprint("x")) != 8 {
		t.Fatalf("mask format wrong: %q", Mask("x"))
	}
}
