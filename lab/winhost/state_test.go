package winhost

import (
	"slices"
	"testing"
)

func TestExpand(t *testing.T) {
	t.Parallel()
	h := New("web1.example.com", t.TempDir())
	h.Setenv("DT_HOME", `D:\dt`)
	s := Session{User: "ops"}
	tests := []struct{ in, want string }{
		{`%PROGRAMDATA%\dynatrace`, `C:\ProgramData\dynatrace`},
		{`%programfiles%\x`, `C:\Program Files\x`},
		{`%SystemRoot%`, `C:\Windows`},
		{`%USERPROFILE%\x`, `C:\Users\ops\x`},
		{`%COMPUTERNAME%`, `WEB1`},
		{`%dt_home%`, `D:\dt`},
		{`%NOSUCH%\x`, `%NOSUCH%\x`},
		{`%NOSUCH%PROGRAMDATA%`, `%NOSUCHC:\ProgramData`},
		{`100%`, `100%`},
		{`%%`, `%%`},
	}
	for _, tc := range tests {
		if got := h.Expand(s, tc.in); got != tc.want {
			t.Errorf("Expand(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if got := h.Expand(Session{User: `CORP\admin`}, `%USERDOMAIN%\%USERNAME%`); got != `CORP\admin` {
		t.Errorf("domain user: %q", got)
	}
	h.Setenv("dt_home", "")
	if _, ok := h.Getenv("DT_HOME"); ok {
		t.Error("Setenv with an empty value did not remove the variable")
	}
	if env := h.Environ(s); !slices.Contains(env, `USERPROFILE=C:\Users\ops`) || !slices.Contains(env, "OS=Windows_NT") {
		t.Errorf("Environ lacks the profile or system variables: %q", env)
	}
}

func TestRegistry(t *testing.T) {
	t.Parallel()
	h := New("web1", t.TempDir())
	key := `HKLM\SOFTWARE\Dynatrace\OneAgent`
	values := map[string]RegValue{
		"TenantToken": {Kind: RegSZ, String: "dt0c01.X"},
		"Home":        {Kind: RegExpandSZ, String: `%ProgramFiles%\dynatrace`},
		"Port":        {Kind: RegDWORD, Number: 443},
		"Big":         {Kind: RegQWORD, Number: 1 << 40},
		"Servers":     {Kind: RegMultiSZ, Strings: []string{"a", "b"}},
		"Blob":        {Kind: RegBinary, Binary: []byte{0, 1, 2}},
	}
	for name, v := range values {
		if err := h.SetRegistryValue(key, name, v); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	got, ok := h.RegistryValue(`HKEY_LOCAL_MACHINE\software\dynatrace\ONEAGENT`, "tenanttoken")
	if !ok || got.Kind != RegSZ || got.String != "dt0c01.X" || got.Kind.String() != "REG_SZ" {
		t.Errorf("RegistryValue = %+v, %v", got, ok)
	}
	if v, _ := h.RegistryValue(key, "Home"); v.String != `%ProgramFiles%\dynatrace` {
		t.Errorf("REG_EXPAND_SZ stored expanded: %q", v.String)
	}
	v, _ := h.RegistryValue(key, "Servers")
	v.Strings[0] = "changed"
	if again, _ := h.RegistryValue(key, "Servers"); again.Strings[0] != "a" {
		t.Error("RegistryValue returned the registry's own slice")
	}
	if names := h.RegistryValueNames(key); len(names) != 6 || names[0] != "Big" {
		t.Errorf("RegistryValueNames = %q", names)
	}
	if !h.DeleteRegistryValue(key, "PORT") || h.DeleteRegistryValue(key, "Port") {
		t.Error("DeleteRegistryValue did not report presence")
	}
	if !h.RegistryKeyExists(`HKLM:\SOFTWARE\Dynatrace\OneAgent`) || h.RegistryKeyExists(`HKLM\SOFTWARE\Other`) {
		t.Error("RegistryKeyExists is wrong")
	}
	for _, bad := range []struct {
		key string
		v   RegValue
	}{
		{`HKCU\Software\x`, RegValue{Kind: RegSZ}},
		{`HKLM\`, RegValue{Kind: RegSZ}},
		{key, RegValue{Kind: RegDWORD, Number: 1 << 32}},
		{key, RegValue{}},
	} {
		if err := h.SetRegistryValue(bad.key, "x", bad.v); err == nil {
			t.Errorf("SetRegistryValue(%q, %+v) succeeded", bad.key, bad.v)
		}
	}
}

func TestServices(t *testing.T) {
	t.Parallel()
	h := New("web1", t.TempDir())
	h.SetService("Dynatrace OneAgent", Running)
	h.SetService("dynatrace oneagent", Stopped)
	if st, ok := h.Service("DYNATRACE ONEAGENT"); !ok || st != Stopped {
		t.Errorf("Service = %q, %v; want Stopped", st, ok)
	}
	if names := h.Services(); len(names) != 1 || names[0] != "Dynatrace OneAgent" {
		t.Errorf("Services = %q", names)
	}
	if _, ok := h.Service("nosuch"); ok {
		t.Error("unknown service found")
	}
}
