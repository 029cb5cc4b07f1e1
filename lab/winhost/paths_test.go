package winhost

import (
	"os"
	"path/filepath"
	"testing"
)

func TestFullPath(t *testing.T) {
	t.Parallel()
	cwd := winPath{'C', []string{"Users", "ops"}}
	tests := []struct{ in, want string }{
		{`C:\ProgramData\x`, `C:\ProgramData\x`},
		{`c:/ProgramData//x/`, `C:\ProgramData\x`},
		{`C:\a\.\b\..\c`, `C:\a\c`},
		{`C:\..\..`, `C:\`},
		{`x.txt`, `C:\Users\ops\x.txt`},
		{`..\admin`, `C:\Users\admin`},
		{`\Windows`, `C:\Windows`},
		{`C:x`, `C:\Users\ops\x`},
		{`D:x`, `D:\x`},
		{`d:\data`, `D:\data`},
	}
	for _, tc := range tests {
		got, err := fullPath(tc.in, cwd)
		if err != nil || got.String() != tc.want {
			t.Errorf("fullPath(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{"", "  ", `\\server\share\x`, `\\?\C:\x`, `C:\a<b`, `C:\a|b`, "C:\\a\x01", `C:\a:b`, `C:\a"b`} {
		if got, err := fullPath(bad, cwd); err == nil {
			t.Errorf("fullPath(%q) = %q, want an error", bad, got)
		}
	}
}

// TestCaseInsensitive: names match existing files whatever their case.
func TestCaseInsensitive(t *testing.T) {
	t.Parallel()
	h := New("web1", t.TempDir())
	if err := h.WriteFile(`C:\ProgramData\Dynatrace\Config.INI`, []byte("x")); err != nil {
		t.Fatal(err)
	}
	p, err := h.Path(`c:\PROGRAMDATA\dynatrace\config.ini`)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(h.root, "C", "ProgramData", "Dynatrace", "Config.INI"); p != want {
		t.Errorf("Path = %s, want %s", p, want)
	}
	if err := h.MkdirAll(`C:\programdata\DYNATRACE\sub`); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(h.root, "C", "ProgramData", "Dynatrace", "sub")); err != nil {
		t.Errorf("MkdirAll did not reuse the existing directories: %v", err)
	}
	if _, err := h.Path(`relative\x`); err == nil {
		t.Error("Path accepted a relative path")
	}
}

func TestACLInheritance(t *testing.T) {
	t.Parallel()
	h := New("web1", t.TempDir())
	if err := h.MkdirAll(`C:\ProgramData\dt`); err != nil {
		t.Fatal(err)
	}
	if err := h.SetACL(`C:\ProgramData\dt`, "D:P(A;;FA;;;SY)"); err != nil {
		t.Fatal(err)
	}
	if err := h.WriteFile(`C:\ProgramData\dt\sub\new.conf`, nil); err != nil {
		t.Fatal(err)
	}
	if acl, _ := h.ACL(`C:\ProgramData\DT\sub\new.conf`); acl != "D:P(A;;FA;;;SY)" {
		t.Errorf("new file's ACL = %q, want the directory's", acl)
	}
	if err := h.SetACL(`C:\nosuch`, "x"); err == nil {
		t.Error("SetACL on a missing file succeeded")
	}
}
