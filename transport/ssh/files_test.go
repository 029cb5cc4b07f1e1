package ssh

import (
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/rotplay/rotplay/transport"
)

// TestWriteFileSymlink: writing through links replaces what they point to
// and keeps the links, resolved by parsing ls -ld.
func TestWriteFileSymlink(t *testing.T) {
	t.Parallel()
	th := newTestHost(t, hostConfig{})
	c := th.dial(t, Options{}, th.target(nil))
	tests := []struct {
		name  string
		links map[string]string // link name -> link content
		write string            // path written, relative to the directory
		file  string            // file that must end up with the content
	}{
		{"one link", map[string]string{"link": "real"}, "link", "real"},
		{"chain", map[string]string{"l1": "l2", "l2": "sub/real"}, "l1", "sub/real"},
		{"absolute", map[string]string{"link": "ABS/sub/real"}, "link", "sub/real"},
		{"through a linked directory", map[string]string{"d": "sub/deeper", "link": "d/../real"}, "link", "sub/real"},
		{"dangling", map[string]string{"link": "sub/new"}, "link", "sub/new"},
		{"name with -> in it", map[string]string{"a -> b": "real"}, "a -> b", "real"},
	}
	for _, tc := range tests {
		dir := t.TempDir()
		for _, d := range []string{"sub", "sub/deeper"} {
			if err := os.Mkdir(filepath.Join(dir, d), 0o755); err != nil {
				t.Fatal(err)
			}
		}
		for _, real := range []string{"real", "sub/real"} {
			writeFile(t, filepath.Join(dir, real), "old")
		}
		for name, dest := range tc.links {
			if len(dest) > 3 && dest[:3] == "ABS" {
				dest = dir + dest[3:]
			}
			if err := os.Symlink(dest, filepath.Join(dir, name)); err != nil {
				t.Fatal(err)
			}
		}
		if err := c.WriteFile(ctxFor(t), filepath.Join(dir, tc.write), []byte("new"), transport.WriteOptions{Mode: 0o640}); err != nil {
			t.Errorf("%s: WriteFile: %v", tc.name, err)
			continue
		}
		if data, err := os.ReadFile(filepath.Join(dir, tc.file)); err != nil || string(data) != "new" {
			t.Errorf("%s: %s holds %q (%v), want the new content", tc.name, tc.file, data, err)
		}
		for name := range tc.links {
			if fi, err := os.Lstat(filepath.Join(dir, name)); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
				t.Errorf("%s: link %s replaced (%v)", tc.name, name, err)
			}
		}
	}
}

func TestWriteFileSymlinkLoop(t *testing.T) {
	t.Parallel()
	th := newTestHost(t, hostConfig{})
	dir := t.TempDir()
	for name, dest := range map[string]string{"a": "b", "b": "a"} {
		if err := os.Symlink(dest, filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	err := th.dial(t, Options{}, th.target(nil)).WriteFile(ctxFor(t), filepath.Join(dir, "a"), []byte("x"), transport.WriteOptions{})
	wantErr(t, "link loop", err, nil, "too many levels of symbolic links", "testhost")
	assertOnly(t, dir, 2)
}

// TestWriteFileErrors: a missing parent is fs.ErrNotExist, a directory an
// error; neither leaves anything behind.
func TestWriteFileErrors(t *testing.T) {
	t.Parallel()
	th := newTestHost(t, hostConfig{})
	c := th.dial(t, Options{}, th.target(nil))
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	err := c.WriteFile(ctxFor(t), filepath.Join(dir, "gone", "f"), []byte("x"), transport.WriteOptions{})
	wantErr(t, "missing parent", err, fs.ErrNotExist, filepath.Join(dir, "gone", "f"), "testhost")
	err = c.WriteFile(ctxFor(t), filepath.Join(dir, "sub"), []byte("x"), transport.WriteOptions{})
	wantErr(t, "over a directory", err, errIsDir)
	_, _, err = c.ReadFile(ctxFor(t), filepath.Join(dir, "sub"))
	wantErr(t, "read a directory", err, errIsDir)
	assertOnly(t, dir, 1)
}

// TestWriteFileKeepsSpecialBits: setuid and the owner survive a rewrite,
// and Stat reports the special bits.
func TestWriteFileKeepsSpecialBits(t *testing.T) {
	t.Parallel()
	if os.Geteuid() != 0 {
		t.Skip("needs root to own a file as another user")
	}
	th := newTestHost(t, hostConfig{})
	c := th.dial(t, Options{}, th.target(nil))
	p := filepath.Join(t.TempDir(), "tool")
	writeFile(t, p, "old")
	if err := os.Chown(p, 1234, 1234); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(p, 0o750|fs.ModeSetuid); err != nil {
		t.Fatal(err)
	}
	if err := c.WriteFile(ctxFor(t), p, []byte("new"), transport.WriteOptions{Mode: 0o600}); err != nil {
		t.Fatal(err)
	}
	info, err := c.Stat(ctxFor(t), p)
	want := transport.FileInfo{Size: 3, Mode: 0o750 | fs.ModeSetuid, UID: 1234, GID: 1234}
	if err != nil || info != want {
		t.Errorf("after rewrite: %+v (%v), want %+v", info, err, want)
	}
}

// TestWriteFileOddNames: quotes, newlines, $ and a leading dash in names
// reach the host intact, relative paths being relative to the login
// directory.
func TestWriteFileOddNames(t *testing.T) {
	t.Parallel()
	th := newTestHost(t, hostConfig{})
	c := th.dial(t, Options{}, th.target(nil))
	dir := t.TempDir()
	for _, name := range []string{filepath.Join(dir, "it's \"$x\"\n`id`"), filepath.Join(dir, "*")} {
		if err := c.WriteFile(ctxFor(t), name, []byte(name), transport.WriteOptions{}); err != nil {
			t.Errorf("WriteFile(%q): %v", name, err)
			continue
		}
		if data, err := os.ReadFile(name); err != nil || string(data) != name {
			t.Errorf("%q holds %q (%v)", name, data, err)
		}
		if data, info, err := c.ReadFile(ctxFor(t), name); err != nil || string(data) != name || info.Size != int64(len(name)) {
			t.Errorf("ReadFile(%q) = %q, %+v, %v", name, data, info, err)
		}
	}
	res, err := c.Run(ctxFor(t), transport.Command{Line: "pwd"})
	if err != nil {
		t.Fatal(err)
	}
	login := string(bytes.TrimSpace(res.Stdout))
	if err := c.WriteFile(ctxFor(t), "-n", []byte("dash"), transport.WriteOptions{}); err != nil {
		t.Fatalf("WriteFile(-n): %v", err)
	}
	if data, err := os.ReadFile(filepath.Join(login, "-n")); err != nil || string(data) != "dash" {
		t.Errorf("relative -n: %q, %v", data, err)
	}
}

// TestWriteFileCutShort: a write whose ctx ends while the content is on
// its way leaves the old file and no temporary file.
func TestWriteFileCutShort(t *testing.T) {
	t.Parallel()
	th := newTestHost(t, hostConfig{})
	c := th.dial(t, Options{}, th.target(nil))
	dir := t.TempDir()
	p := filepath.Join(dir, "f")
	writeFile(t, p, "old")
	ctx, cancel := context.WithCancel(ctxFor(t))
	defer cancel()
	c.wrapStdin = func(r io.Reader) io.Reader {
		return io.MultiReader(io.LimitReader(r, 1000), readerFunc(func([]byte) (int, error) {
			cancel()
			<-ctx.Done()
			return 0, ctx.Err()
		}))
	}
	err := c.WriteFile(ctx, p, bytes.Repeat([]byte("x"), 5000), transport.WriteOptions{})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("WriteFile cut short: %v, want context.Canceled", err)
	}
	if !waitFor(func() bool { e, _ := os.ReadDir(dir); return len(e) == 1 }) {
		assertOnly(t, dir, 1)
	}
	time.Sleep(100 * time.Millisecond) // a late rename would show now
	if data, _ := os.ReadFile(p); string(data) != "old" {
		t.Errorf("file holds %q after a cut write, want the old content", data)
	}
}

type readerFunc func([]byte) (int, error)

func (f readerFunc) Read(p []byte) (int, error) { return f(p) }
