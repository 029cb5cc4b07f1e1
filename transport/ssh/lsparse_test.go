package ssh

import (
	"io/fs"
	"testing"

	"github.com/rotplay/rotplay/transport"
)

func TestParseLS(t *testing.T) {
	t.Parallel()
	tests := []struct {
		line string
		want transport.FileInfo
	}{
		// GNU coreutils, C locale.
		{"-rw-r----- 1 0 0 42 Jan  2 03:04 /etc/x", transport.FileInfo{Size: 42, Mode: 0o640, UID: 0, GID: 0}},
		{"drwxrwxrwt 10 0 0 4096 Jan  2  2024 /tmp", transport.FileInfo{Size: 4096, Mode: 0o777 | fs.ModeSticky, IsDir: true}},
		// SELinux context dot, ACL plus sign (Linux, AIX).
		{"-rwsr-xr-x. 1 0 0 7 Jan 2 03:04 x", transport.FileInfo{Size: 7, Mode: 0o755 | fs.ModeSetuid}},
		{"-rwSr-Sr-T+ 1 1234 4321 0 Jan 2 03:04 x", transport.FileInfo{Mode: 0o644 | fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky, UID: 1234, GID: 4321}},
		{"-rwxr-s--- 1 202 7 1 Jan 2 03:04 x", transport.FileInfo{Size: 1, Mode: 0o750 | fs.ModeSetgid, UID: 202, GID: 7}},
		// Solaris mandatory locking: setgid without group execute.
		{"-rw-r-l--- 1 0 0 1 Jan 2 03:04 x", transport.FileInfo{Size: 1, Mode: 0o640 | fs.ModeSetgid}},
		// A device: "major, minor" instead of a size.
		{"crw-rw-rw- 1 0 0 1, 3 Jan 2 03:04 /dev/null", transport.FileInfo{Mode: 0o666}},
		// Names with spaces do not matter.
		{"---------- 1 0 0 5 Jan 2 03:04 a b  c", transport.FileInfo{Size: 5}},
	}
	for _, tc := range tests {
		got, err := parseLS([]byte(tc.line))
		if err != nil || got != tc.want {
			t.Errorf("parseLS(%q) = %+v, %v; want %+v", tc.line, got, err, tc.want)
		}
	}
	for _, bad := range []string{"", "total 0", "-rw-r--r-- 1 root root 5 Jan 2 03:04 x", "-rwxrwxrwz 1 0 0 5 x", "-rw 1 0 0 5 x"} {
		if _, err := parseLS([]byte(bad)); err == nil {
			t.Errorf("parseLS(%q) succeeded, want an error", bad)
		}
	}
}

func TestOctalMode(t *testing.T) {
	t.Parallel()
	for mode, want := range map[fs.FileMode]string{
		0o600: "600", 0o755 | fs.ModeSetuid: "4755", 0o750 | fs.ModeSetgid: "2750",
		0o777 | fs.ModeSticky: "1777", 0: "0",
	} {
		if got := octalMode(mode); got != want {
			t.Errorf("octalMode(%v) = %s, want %s", mode, got, want)
		}
	}
}

func TestGoosGoarch(t *testing.T) {
	t.Parallel()
	tests := []struct{ uname, machine, os, arch string }{
		{"Linux", "x86_64", "linux", "amd64"},
		{"Linux", "aarch64", "linux", "arm64"},
		{"Linux", "ppc64le", "linux", "ppc64le"},
		{"Linux", "armv7l", "linux", "arm"},
		{"Linux", "i686", "linux", "386"},
		{"AIX", "00C8F1234C00", "aix", "ppc64"},
		{"SunOS", "i86pc", "solaris", "i86pc"},
		{"Darwin", "arm64", "darwin", "arm64"},
	}
	for _, tc := range tests {
		if os, arch := goos(tc.uname), goarch(tc.uname, tc.machine); os != tc.os || arch != tc.arch {
			t.Errorf("%s %s: %s/%s, want %s/%s", tc.uname, tc.machine, os, arch, tc.os, tc.arch)
		}
	}
}
