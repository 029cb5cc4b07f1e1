package winemu

import (
	"bytes"
	"strings"
	"testing"
)

func TestRegistryIsCaseInsensitive(t *testing.T) {
	t.Parallel()
	var r Registry
	r.Set(`Software\X`, "Token", RegValue{Kind: "String", Data: "a"})
	if v, ok := r.Get(`SOFTWARE\x`, "token"); !ok || v.Data != "a" {
		t.Fatalf("got %+v %v", v, ok)
	}
	var out bytes.Buffer
	if code := r.RegistrySet([]byte("{bad"), &out); code != 1 || !strings.Contains(out.String(), `"error"`) {
		t.Fatalf("bad input: %d %s", code, out.String())
	}
}

func TestServicesAccessDenied(t *testing.T) {
	t.Parallel()
	s := &Services{}
	s.Add(&Service{Name: "svc", DisplayName: "Svc"})
	var out bytes.Buffer
	if code := s.Service([]byte(`{"name":"Svc","state":"started","timeout":5}`), &out); code != 1 || !strings.Contains(out.String(), "cannot be started") {
		t.Fatalf("not elevated: %d %s", code, out.String())
	}
}

func TestOneAgentRejectsUnknownOptions(t *testing.T) {
	t.Parallel()
	a := &OneAgent{Path: `C:\oa.exe`, Elevated: true, Token: "T"}
	var out, errb bytes.Buffer
	same := func(s string) string { return s }
	if code := a.OneAgentCtl([]byte(`{"path":"C:/oa.exe","args":["--bogus"]}`), same, &out, &errb); code != 1 || !strings.Contains(out.String(), "Unknown option") {
		t.Fatalf("unknown option: %d %q", code, out.String())
	}
	out.Reset()
	if code := a.OneAgentCtl([]byte(`{"path":"C:/oa.exe","args":["--restart-service"],"token":"bad token!"}`), same, &out, &errb); code != 2 {
		t.Fatalf("a token with odd characters must be refused, got %d", code)
	}
	if tok, _ := a.Config(); tok != "T" {
		t.Fatal("a refused token was set")
	}
}
