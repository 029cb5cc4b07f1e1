package filereplace

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/rotplay/rotplay/modules"
	"github.com/rotplay/rotplay/transport"
)

// The backup names for fixedNow.
const (
	bak0 = authPath + ".20250304T050607.bak"
	bak1 = authPath + ".20250304T050607.1.bak"
	bak2 = authPath + ".20250304T050607.2.bak"
)

func TestBackup(t *testing.T) {
	t.Parallel()
	secret := transport.FileInfo{Mode: 0o400, UID: 996, GID: 995}
	other := transport.FileInfo{Mode: 0o644, UID: 0, GID: 0}
	tests := []struct {
		name     string
		existing []hostFile // backups already there
		want     string
		stats    []string
	}{
		{"first backup", nil, bak0, []string{bak0}},
		{"name taken twice", []hostFile{{bak0, []byte("older"), other}, {bak1, []byte("old"), other}},
			bak2, []string{bak0, bak1, bak2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h, host := newHost(t, append(tt.existing, hostFile{authPath, []byte(authProps), secret})...)
			act := decodeTask(t, "{path: "+authPath+", section: env1, key: tenantToken, value: NEW, backup: true}")
			res, err := act.Apply(context.Background(), host)
			if err != nil || !res.Changed {
				t.Fatalf("Apply = %+v, %v; want changed", res, err)
			}
			assertValues(t, res.Values, map[string]any{"path": authPath, "matches": 1, "changed_lines": 1, "backup": tt.want})
			assertFile(t, h, tt.want, []byte(authProps), secret)
			assertFile(t, h, authPath, []byte(strings.Replace(authProps, "OLD1", "NEW", 1)), secret)
			for _, f := range tt.existing {
				assertFile(t, h, f.path, f.data, f.info)
			}
			want := []string{"read " + authPath}
			for _, s := range tt.stats {
				want = append(want, "stat "+s)
			}
			assertOps(t, h, 0, append(want, "write "+tt.want, "write "+authPath)...)
		})
	}
}

// failingConn fails WriteFile for one path and Stat for another.
type failingConn struct {
	transport.Conn
	failWrite, failStat string
}

var errDiskFull = errors.New("no space left on device")

func (c failingConn) WriteFile(ctx context.Context, path string, data []byte, opts transport.WriteOptions) error {
	if path == c.failWrite {
		return errDiskFull
	}
	return c.Conn.WriteFile(ctx, path, data, opts)
}

func (c failingConn) Stat(ctx context.Context, path string) (transport.FileInfo, error) {
	if path == c.failStat {
		return transport.FileInfo{}, errDiskFull
	}
	return c.Conn.Stat(ctx, path)
}

// TestWriteErrors checks that a failed backup leaves the original alone and
// that a failed write says where the backup is.
func TestWriteErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		conn      failingConn
		wantErr   string
		wantFiles []string
	}{
		{"backup name cannot be checked", failingConn{failStat: bak0},
			"back up " + authPath + ": stat " + bak0 + ": no space left on device", []string{authPath}},
		{"backup cannot be written", failingConn{failWrite: bak0},
			"back up " + authPath + ": no space left on device", []string{authPath}},
		{"file cannot be written", failingConn{failWrite: authPath},
			"write " + authPath + " (original saved as " + bak0 + "): no space left on device", []string{authPath, bak0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h, host := newHost(t, hostFile{authPath, []byte(authProps), agInfo})
			tt.conn.Conn = host.Conn
			host.Conn = tt.conn
			act := decodeTask(t, "{path: "+authPath+", key: tenantToken, value: NEW, backup: true}")
			_, err := act.Apply(context.Background(), host)
			if err == nil || err.Error() != tt.wantErr || !errors.Is(err, errDiskFull) {
				t.Fatalf("Apply error = %v, want %q wrapping errDiskFull", err, tt.wantErr)
			}
			assertFile(t, h, authPath, []byte(authProps), agInfo)
			if got := strings.Join(h.Paths(), " "); got != strings.Join(tt.wantFiles, " ") {
				t.Errorf("files on host = %s, want %s", got, strings.Join(tt.wantFiles, " "))
			}
		})
	}
}

// TestRunErrors checks errors that are not outcomes: the module could not
// do its work at all.
func TestRunErrors(t *testing.T) {
	t.Parallel()
	closed := func(t *testing.T, host modules.Host) { _ = host.Conn.Close() }
	tests := []struct {
		name    string
		args    string
		data    []byte
		before  func(*testing.T, modules.Host)
		wantErr string
		wantIs  error
	}{
		{"closed connection", "{path: /etc/a, key: k, value: v}", []byte("k=1\n"), closed,
			"read /etc/a: connection closed", transport.ErrClosed},
		{"regexp left a template", "{path: /etc/a, regexp: '{{ re }}(', replace: x}", []byte("k=1\n"), nil,
			"compile regexp: error parsing regexp: missing closing ): `{{ re }}(`", nil},
		{"lossy UTF-16", "{path: /etc/a, key: k, value: v}", []byte{0xFF, 0xFE, 'k', 0, 0x00, 0xD8}, nil,
			"edit /etc/a: file starts with a UTF-16LE byte order mark but is not valid UTF-16LE", nil},
		{"value that would not read back", `{path: /etc/a, key: k, value: ""}`, []byte("a=1\nk OLD\n"), nil,
			"edit /etc/a: line 2: " + errValueReadsBack.Error(), errValueReadsBack},
	}
	for _, tt := range tests {
		for _, op := range []string{"check", "apply"} {
			t.Run(tt.name+"/"+op, func(t *testing.T) {
				t.Parallel()
				h, host := newHost(t, hostFile{"/etc/a", tt.data, agInfo})
				if tt.before != nil {
					tt.before(t, host)
				}
				act := decodeTask(t, tt.args)
				var err error
				if op == "check" {
					_, err = act.Check(context.Background(), host)
				} else {
					_, err = act.Apply(context.Background(), host)
				}
				if err == nil || err.Error() != tt.wantErr || (tt.wantIs != nil && !errors.Is(err, tt.wantIs)) {
					t.Fatalf("error = %v, want %q", err, tt.wantErr)
				}
				assertFile(t, h, "/etc/a", tt.data, agInfo)
			})
		}
	}
}
