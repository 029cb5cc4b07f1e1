package transporttest

import (
	"bytes"
	"io/fs"
	"slices"
	"sync"
	"testing"

	"github.com/rotplay/rotplay/transport"
)

var fileTests = []test{
	{name: "NotExist", shell: false, modes: false, run: testNotExist},
	{name: "StatDir", shell: false, modes: false, run: testStatDir},
	{name: "WriteNewFileMode", shell: false, modes: true, run: testWriteNewMode},
	{name: "WriteNewFileChown", shell: false, modes: false, run: testWriteNewChown},
	{name: "WriteKeepsModeAndOwner", shell: false, modes: true, run: testWriteKeeps},
	{name: "RoundTrip", shell: false, modes: false, run: testRoundTrip},
	{name: "NoTempFilesLeft", shell: false, modes: false, run: testNoTempFiles},
	{name: "ReadersSeeWholeFiles", shell: false, modes: false, run: testAtomicReplace},
}

// chownID is the owner and group given to files when the harness can
// chown; it need not exist in the host's user database.
const chownID = 1234

func testNotExist(t *testing.T, h Harness) {
	c := h.conn(t)
	missing := h.join(h.TempDir(t), "missing")
	if _, _, err := c.ReadFile(testContext(t), missing); !transport.IsNotExist(err) {
		t.Errorf("ReadFile(missing) error = %v, want one wrapping fs.ErrNotExist", err)
	}
	if _, err := c.Stat(testContext(t), missing); !transport.IsNotExist(err) {
		t.Errorf("Stat(missing) error = %v, want one wrapping fs.ErrNotExist", err)
	}
}

func testStatDir(t *testing.T, h Harness) {
	c := h.conn(t)
	if info := stat(t, c, h.TempDir(t)); !info.IsDir {
		t.Errorf("Stat(TempDir).IsDir = false, info %+v", info)
	}
}

// testWriteNewMode: a new file gets opts.Mode exactly, 0 meaning 0600.
func testWriteNewMode(t *testing.T, h Harness) {
	tests := []struct {
		name     string
		mode     fs.FileMode
		wantMode fs.FileMode
	}{
		{"default", 0, 0o600},
		{"0600", 0o600, 0o600},
		{"0640", 0o640, 0o640},
		{"0755", 0o755, 0o755},
		{"0444", 0o444, 0o444},
	}
	c := h.conn(t)
	dir := h.TempDir(t)
	for _, tc := range tests {
		p := h.join(dir, tc.name)
		write(t, c, p, []byte(tc.name), transport.WriteOptions{Mode: tc.mode})
		if info := stat(t, c, p); info.Mode != tc.wantMode || info.IsDir {
			t.Errorf("%s: Stat = %+v, want mode %v", tc.name, info, tc.wantMode)
		}
		if _, info := read(t, c, p); info.Mode != tc.wantMode {
			t.Errorf("%s: ReadFile info mode = %v, want %v", tc.name, info.Mode, tc.wantMode)
		}
	}
}

func testWriteNewChown(t *testing.T, h Harness) {
	if !h.CanChown {
		t.Skip("the harness cannot chown")
	}
	c := h.conn(t)
	p := h.join(h.TempDir(t), "owned")
	write(t, c, p, []byte("x"), transport.WriteOptions{Chown: true, UID: chownID, GID: chownID})
	if info := stat(t, c, p); info.UID != chownID || info.GID != chownID {
		t.Errorf("after Chown %d: owner %d:%d", chownID, info.UID, info.GID)
	}
}

// testWriteKeeps: rewriting a file keeps its mode, owner and group and
// ignores opts.
func testWriteKeeps(t *testing.T, h Harness) {
	c := h.conn(t)
	p := h.join(h.TempDir(t), "kept")
	first := transport.WriteOptions{Mode: 0o640}
	if h.CanChown {
		first.Chown, first.UID, first.GID = true, chownID, chownID
	}
	write(t, c, p, []byte("old"), first)
	before := stat(t, c, p)
	write(t, c, p, []byte("new content"), transport.WriteOptions{Mode: 0o600, Chown: true, UID: 4321, GID: 4321})
	after := stat(t, c, p)
	if after.Mode != 0o640 || after.UID != before.UID || after.GID != before.GID {
		t.Errorf("rewrite changed metadata: before %+v, after %+v", before, after)
	}
	if h.CanChown && after.UID != chownID {
		t.Errorf("rewrite lost owner %d: now %d", chownID, after.UID)
	}
	if data, _ := read(t, c, p); string(data) != "new content" || after.Size != int64(len(data)) {
		t.Errorf("after rewrite: content %q, size %d", data, after.Size)
	}
}

// testRoundTrip: what is written is read back byte for byte.
func testRoundTrip(t *testing.T, h Harness) {
	all := make([]byte, 0, 256*4)
	for range 4 {
		for b := range 256 {
			all = append(all, byte(b))
		}
	}
	tests := []struct {
		name string
		data []byte
	}{
		{"empty", []byte{}},
		{"binary", all},
		{"crlf", []byte("a\r\nb\r\n\r\n")},
		{"no-final-newline", []byte("token=dt0c01.ABC")},
		{"large", bytes.Repeat([]byte("0123456789abcdef"), 1<<16+3)},
	}
	c := h.conn(t)
	dir := h.TempDir(t)
	for _, tc := range tests {
		p := h.join(dir, tc.name)
		write(t, c, p, tc.data, transport.WriteOptions{})
		data, info := read(t, c, p)
		if !bytes.Equal(data, tc.data) || info.Size != int64(len(tc.data)) {
			t.Errorf("%s: read back %d bytes (size %d), want the %d written", tc.name, len(data), info.Size, len(tc.data))
		}
	}
}

// testNoTempFiles: creating and rewriting files leaves only those files.
func testNoTempFiles(t *testing.T, h Harness) {
	c := h.conn(t)
	dir := h.TempDir(t)
	for _, name := range []string{"a", "a", "b", "a"} {
		write(t, c, h.join(dir, name), []byte(name+" data"), transport.WriteOptions{})
	}
	names, ok := h.list(t, c, dir)
	if !ok {
		t.Skip("the harness cannot list directories")
	}
	if want := []string{"a", "b"}; !slices.Equal(names, want) {
		t.Errorf("directory holds %q, want %q", names, want)
	}
}

// testAtomicReplace: readers racing a writer see one whole version or the
// other, never a mix or a truncated file.
func testAtomicReplace(t *testing.T, h Harness) {
	c := h.conn(t)
	p := h.join(h.TempDir(t), "swapped")
	versions := [][]byte{bytes.Repeat([]byte("A"), 64<<10), bytes.Repeat([]byte("B"), 64<<10)}
	write(t, c, p, versions[0], transport.WriteOptions{})
	done := make(chan struct{})
	ctx := testContext(t)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for {
				select {
				case <-done:
					return
				default:
				}
				data, _, err := c.ReadFile(ctx, p)
				if err != nil || !(bytes.Equal(data, versions[0]) || bytes.Equal(data, versions[1])) {
					t.Errorf("reader saw %d bytes starting %.8q, err %v", len(data), data, err)
					return
				}
			}
		})
	}
	for i := range 40 {
		write(t, c, p, versions[i%2], transport.WriteOptions{})
	}
	close(done)
	wg.Wait()
}
