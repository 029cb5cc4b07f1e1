package ssh

import (
	"fmt"
	"io/fs"
	"strconv"
	"strings"

	"github.com/rotplay/rotplay/transport"
)

// parseLS reads metadata from one line of `ls -lnd` output, such as
//
//	-rwsr-x--T+ 1 0 1234 5678 Jan  2 03:04 name
//
// mode string, link count, numeric owner and group, size. What follows
// (date, name) varies between systems and is ignored. Size is 0 for
// devices, whose field holds "major, minor".
func parseLS(line []byte) (transport.FileInfo, error) {
	f := strings.Fields(string(line))
	if len(f) < 5 || len(f[0]) < 10 {
		return transport.FileInfo{}, fmt.Errorf("unexpected ls output %.100q", line)
	}
	mode, err := parseMode(f[0][:10])
	if err != nil {
		return transport.FileInfo{}, err
	}
	uid, uerr := strconv.Atoi(f[2])
	gid, gerr := strconv.Atoi(f[3])
	if uerr != nil || gerr != nil {
		return transport.FileInfo{}, fmt.Errorf("unexpected owner in ls output %.100q", line)
	}
	size, _ := strconv.ParseInt(f[4], 10, 64)
	return transport.FileInfo{
		Size:  size,
		Mode:  mode &^ fs.ModeDir,
		UID:   uid,
		GID:   gid,
		IsDir: mode&fs.ModeDir != 0,
	}, nil
}

// permBits are the bits of the nine permission characters, in order.
var permBits = [9]fs.FileMode{0o400, 0o200, 0o100, 0o040, 0o020, 0o010, 0o004, 0o002, 0o001}

// parseMode reads a 10-character ls mode string such as "drwxr-sr-t":
// the type (only "d" matters here), then rwx three times, where the x
// position may hold s/S (setuid, setgid: with and without x) or t/T
// (sticky). Solaris writes l for setgid without x (mandatory locking).
func parseMode(s string) (fs.FileMode, error) {
	var mode fs.FileMode
	if s[0] == 'd' {
		mode |= fs.ModeDir
	}
	for i := range 9 {
		c := s[i+1]
		switch {
		case c == '-':
		case c == "rwx"[i%3]:
			mode |= permBits[i]
		case i == 2 && (c == 's' || c == 'S'):
			mode |= fs.ModeSetuid
		case i == 5 && (c == 's' || c == 'S' || c == 'l'):
			mode |= fs.ModeSetgid
		case i == 8 && (c == 't' || c == 'T'):
			mode |= fs.ModeSticky
		default:
			return 0, fmt.Errorf("unexpected mode %q in ls output", s)
		}
		if c == 's' || c == 't' {
			mode |= permBits[i] // lower case: executable as well
		}
	}
	return mode, nil
}

// octalMode writes mode as chmod's octal operand, special bits included.
func octalMode(mode fs.FileMode) string {
	m := uint32(mode.Perm())
	if mode&fs.ModeSetuid != 0 {
		m |= 0o4000
	}
	if mode&fs.ModeSetgid != 0 {
		m |= 0o2000
	}
	if mode&fs.ModeSticky != 0 {
		m |= 0o1000
	}
	return strconv.FormatUint(uint64(m), 8)
}
