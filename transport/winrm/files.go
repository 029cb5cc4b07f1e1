package winrm

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"

	"github.com/rotplay/rotplay/transport"
	"github.com/rotplay/rotplay/transport/winrm/scripts"
)

// Windows has no POSIX permission bits or owners: FileInfo reports these.
const (
	fileMode = 0o644
	dirMode  = 0o755
)

// ReadFile implements transport.Conn in one round trip (scripts.ReadFile).
// %VARS% in name are expanded on the host. Files over 1,500 KiB are
// refused with an error.
func (c *conn) ReadFile(ctx context.Context, name string) ([]byte, transport.FileInfo, error) {
	in := struct {
		Path string `json:"path"`
		Max  int    `json:"max"`
	}{name, maxFileSize}
	var res struct {
		Size int64  `json:"size"`
		Data string `json:"data"`
	}
	err := c.script(ctx, scripts.ReadFile, in, &res)
	var data []byte
	if err == nil {
		data, err = base64.StdEncoding.DecodeString(res.Data)
	}
	if err == nil && int64(len(data)) != res.Size {
		err = fmt.Errorf("got %d bytes of the %d the host read", len(data), res.Size)
	}
	if err != nil {
		return nil, transport.FileInfo{}, fmt.Errorf("read %s on %s: %w", name, c.h.name, err)
	}
	return data, fileInfo(false, res.Size), nil
}

// Stat implements transport.Conn in one round trip (scripts.StatFile).
func (c *conn) Stat(ctx context.Context, name string) (transport.FileInfo, error) {
	in := struct {
		Path string `json:"path"`
	}{name}
	var res struct {
		IsDir bool  `json:"isDir"`
		Size  int64 `json:"size"`
	}
	if err := c.script(ctx, scripts.StatFile, in, &res); err != nil {
		return transport.FileInfo{}, fmt.Errorf("stat %s on %s: %w", name, c.h.name, err)
	}
	return fileInfo(res.IsDir, res.Size), nil
}

func fileInfo(isDir bool, size int64) transport.FileInfo {
	mode := fileMode
	if isDir {
		mode = dirMode
	}
	return transport.FileInfo{Size: size, Mode: fs.FileMode(mode), UID: -1, GID: -1, IsDir: isDir}
}

// WriteFile implements transport.Conn in one round trip
// (scripts.WriteFile): a temporary file in the same directory, created
// new and flushed to disk, replaces the file with [IO.File]::Replace,
// which keeps its ACL, attributes and streams, or is moved into place
// when there is none. opts.Mode is ignored (see the package comment);
// opts.Chown fails when the file is new. Files over 1,500 KiB are refused.
func (c *conn) WriteFile(ctx context.Context, name string, data []byte, opts transport.WriteOptions) error {
	if len(data) > maxFileSize {
		return fmt.Errorf("write %s on %s: %d bytes: %w: rotplay moves files of at most %d KiB over WinRM",
			name, c.h.name, len(data), errTooLarge, maxFileSize>>10)
	}
	in := struct {
		Path  string `json:"path"`
		Size  int    `json:"size"`
		Data  string `json:"data"`
		Chown bool   `json:"chown"`
	}{name, len(data), base64.StdEncoding.EncodeToString(data), opts.Chown}
	var res struct {
		Written int `json:"written"`
	}
	err := c.script(ctx, scripts.WriteFile, in, &res)
	if err == nil && res.Written != len(data) {
		err = fmt.Errorf("the host wrote %d of %d bytes", res.Written, len(data))
	}
	if errors.Is(err, errors.ErrUnsupported) {
		err = fmt.Errorf("%w (WriteOptions.Chown)", err)
	}
	if err != nil {
		return fmt.Errorf("write %s on %s: %w", name, c.h.name, err)
	}
	return nil
}
