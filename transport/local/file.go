//go:build unix

package local

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"

	"github.com/rotplay/rotplay/transport"
)

// ReadFile implements transport.Conn. It follows symlinks. Content and
// metadata come from the same open file, so they agree even if the path is
// replaced meanwhile.
func (c *conn) ReadFile(ctx context.Context, path string) ([]byte, transport.FileInfo, error) {
	if err := c.check(ctx); err != nil {
		return nil, transport.FileInfo{}, fmt.Errorf("read %s: %w", path, err)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, transport.FileInfo{}, err // *fs.PathError names the path
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, transport.FileInfo{}, err
	}
	data, err := io.ReadAll(f)
	if err != nil {
		return nil, transport.FileInfo{}, err
	}
	return data, fileInfo(fi), nil
}

// Stat implements transport.Conn. It follows symlinks, so it describes the
// file WriteFile would replace.
func (c *conn) Stat(ctx context.Context, path string) (transport.FileInfo, error) {
	if err := c.check(ctx); err != nil {
		return transport.FileInfo{}, fmt.Errorf("stat %s: %w", path, err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		return transport.FileInfo{}, err
	}
	return fileInfo(fi), nil
}

// fileInfo converts os metadata to the transport's.
func fileInfo(fi fs.FileInfo) transport.FileInfo {
	info := transport.FileInfo{
		Size:  fi.Size(),
		Mode:  fi.Mode().Perm(),
		UID:   -1,
		GID:   -1,
		IsDir: fi.IsDir(),
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		info.UID, info.GID = int(st.Uid), int(st.Gid)
	}
	return info
}
