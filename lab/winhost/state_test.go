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
