//go:build unix

package state

import (
	"fmt"
	"io/fs"
	"os"
	"syscall"
)

// checkOwner refuses a directory owned by another user: its owner could
// read every token saved there, whatever the mode says today.
func checkOwner(path string, fi fs.FileInfo) error {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok || int(st.Uid) == os.Getuid() {
		return nil
	}
	return fmt.Errorf("state directory %s is owned by uid %d, not by you (uid %d): choose your own with ROTPLAY_STATE_DIR", path, st.Uid, os.Getuid())
}
