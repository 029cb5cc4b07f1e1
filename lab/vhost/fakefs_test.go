package vhost

import (
	"errors"
	"io/fs"
	"strings"
	"testing"
)

func TestHostFS(t *testing.T) {
	t.Parallel()
	h := newTestHost(t, Options{})
	fsys := h.FS()
	if err := fsys.WriteFile("/var/lib/app/conf", []byte("v1"), 0o640); err != nil {
		t.Fatal(err)
	}
	if err := h.Chown("/var/lib/app/conf", 998, 997); err != nil {
		t.Fatal(err)
	}
	if err := fsys.WriteFile("/var/lib/app/conf", []byte("v2"), 0o600); err != nil {
		t.Fatal(err)
	}
	if got := h.must("ls -ln /var/lib/app/conf"); !strings.HasPrefix(got, "-rw------- 1 998 997 2 ") {
		t.Errorf("after rewrite: %q", got)
	}
	assertEntries(t, h, "/var/lib/app", "conf")
	data, err := fsys.ReadFile("/var/lib/../lib/app/conf")
	if err != nil || string(data) != "v2" {
		t.Errorf("ReadFile: %q %v", data, err)
	}
	if _, err := fsys.Stat("/nope"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Stat of a missing file: %v", err)
	}
	if _, err := fsys.ReadFile("/nope"); err == nil || strings.Contains(err.Error(), h.Root()) {
		t.Errorf("errors must name virtual paths only: %v", err)
	}
	if _, _, err := h.Owner("/nope"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Owner of a missing file: %v", err)
	}
}
