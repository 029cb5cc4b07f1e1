package ssh

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"strconv"

	"golang.org/x/crypto/ssh"

	"github.com/rotplay/rotplay/transport"
)

// errIsDir is the error for a file operation on a directory.
var errIsDir = errors.New("is a directory")

// ReadFile implements transport.Conn in one round trip (scriptRead). It
// follows symlinks. Size is the length of the content returned; mode and
// owner are from the same moment, give or take a concurrent replacement.
func (c *conn) ReadFile(ctx context.Context, name string) ([]byte, transport.FileInfo, error) {
	p := remotePath(name)
	out, err := c.script(ctx, scriptRead, nil, p, path.Dir(p))
	if err != nil {
		return nil, transport.FileInfo{}, fmt.Errorf("read %s on %s: %w", name, c.name, err)
	}
	line, data, _ := bytes.Cut(out.stdout, []byte("\n"))
	info, err := parseLS(line)
	if err != nil {
		return nil, transport.FileInfo{}, fmt.Errorf("read %s on %s: %w", name, c.name, err)
	}
	info.Size = int64(len(data))
	return data, info, nil
}

// Stat implements transport.Conn in one round trip (scriptStat). It follows
// symlinks, so it describes the file WriteFile would replace.
func (c *conn) Stat(ctx context.Context, name string) (transport.FileInfo, error) {
	p := remotePath(name)
	out, err := c.script(ctx, scriptStat, nil, p, path.Dir(p))
	var info transport.FileInfo
	if err == nil {
		info, err = parseLS(bytes.TrimSuffix(out.stdout, []byte("\n")))
	}
	if err != nil {
		return transport.FileInfo{}, fmt.Errorf("stat %s on %s: %w", name, c.name, err)
	}
	return info, nil
}

// WriteFile implements transport.Conn in one round trip (scriptWrite, which
// documents the steps): the content goes on stdin to a temporary file
// .rotplay-RANDOM next to the target, which is renamed over it. An existing
// file keeps its owner, group and mode (special bits included); a new one
// gets opts.Mode (0 meaning 0600) exactly, and opts' owner when
// opts.Chown. A symlink is followed and kept. When ctx ends, the script
// gets SIGTERM and EOF on stdin: its trap and its size check remove the
// temporary file and leave the target as it was.
func (c *conn) WriteFile(ctx context.Context, name string, data []byte, opts transport.WriteOptions) error {
	if err := c.write(ctx, remotePath(name), data, opts); err != nil {
		return fmt.Errorf("write %s on %s: %w", name, c.name, err)
	}
	return nil
}

func (c *conn) write(ctx context.Context, p string, data []byte, opts transport.WriteOptions) error {
	mode := opts.Mode
	if mode&(fs.ModePerm|fs.ModeSetuid|fs.ModeSetgid|fs.ModeSticky) == 0 {
		mode = 0o600
	}
	owner := ""
	if opts.Chown {
		if opts.UID < 0 || opts.GID < 0 {
			return fmt.Errorf("WriteOptions.Chown needs a UID and a GID, not %d:%d", opts.UID, opts.GID)
		}
		owner = strconv.Itoa(opts.UID) + ":" + strconv.Itoa(opts.GID)
	}
	flush := ""
	if c.flush {
		flush = "sync"
	}
	var stdin io.Reader = bytes.NewReader(data)
	if c.wrapStdin != nil {
		stdin = c.wrapStdin(stdin)
	}
	_, err := c.script(ctx, scriptWrite, stdin, p, tempName(), octalMode(mode), owner, strconv.Itoa(len(data)), flush)
	return err
}

// tempName is a name no one can guess, so that no one can plant a file or
// link there first (the script's noclobber makes that fail safely anyway).
func tempName() string { return ".rotplay-" + rand.Text() }

// script runs one of the scripts of scripts.go with args as its positional
// parameters, under sudo when becoming, and turns its exit codes into
// errors. A cancelled script gets SIGTERM, which its traps handle (and
// which sudo relays).
func (c *conn) script(ctx context.Context, script string, stdin io.Reader, args ...string) (outcome, error) {
	out, err := c.execute(ctx, command{script: script, args: args, inline: true}, stdin, ssh.SIGTERM)
	if err == nil {
		err = c.becomeRefused(out)
	}
	if err != nil {
		return out, err
	}
	switch out.code {
	case 0:
		return out, nil
	case exitNotExist:
		return out, fs.ErrNotExist
	case exitIsDir:
		return out, errIsDir
	case exitDenied:
		return out, fs.ErrPermission
	}
	return out, fmt.Errorf("failed on the host (exit %d): %s", out.code, firstLine(out.stderr))
}
