package filereplace

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/rotplay/rotplay/modules"
	"github.com/rotplay/rotplay/transport"
	"github.com/rotplay/rotplay/transport/fake"
)

// Paths and owners as on a Linux ActiveGate.
const (
	authPath = "/var/lib/dynatrace/gateway/config/authorization.properties"
	ruxPath  = "/opt/dynatrace/remotepluginmodule/agent/conf/ruxitagent.conf"
	extPath  = "/opt/dynatrace/remotepluginmodule/agent/conf/extensions.conf"
)

// agInfo is the owner and mode of the ActiveGate's files: dtuserag, 0600.
var agInfo = transport.FileInfo{Mode: 0o600, UID: 996, GID: 995}

// hostFile is a file to put on a fake host.
type hostFile struct {
	path string
	data []byte
	info transport.FileInfo
}

// newHost returns a fake host holding files and the modules.Host that
// reaches it.
func newHost(t *testing.T, files ...hostFile) (*fake.Host, modules.Host) {
	t.Helper()
	h := &fake.Host{Name: "ag1"}
	for _, f := range files {
		h.SetFile(f.path, f.data, f.info)
	}
	conn, err := fake.NewNetwork(h).Dial(context.Background(), transport.Target{Name: h.Name})
	if err != nil {
		t.Fatalf("dial fake host: %v", err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	return h, modules.Host{Name: h.Name, Conn: conn}
}

// decodeTask decodes flow-style arguments such as `{path: /x, key: k}`.
func decodeTask(t *testing.T, argsYAML string) modules.Action {
	t.Helper()
	act, err := testModule().Decode(playFile, taskArgs(t, "- file_replace: "+argsYAML))
	if err != nil {
		t.Fatalf("Decode(%s): %v", argsYAML, err)
	}
	return act
}

// ops returns the host's calls since call from, as "op path".
func ops(h *fake.Host, from int) []string {
	var out []string
	for _, c := range h.Calls()[from:] {
		out = append(out, c.Op+" "+c.Arg)
	}
	return out
}

// assertFile checks a file's content and that its owner, group and mode
// are info's.
func assertFile(t *testing.T, h *fake.Host, path string, data []byte, info transport.FileInfo) {
	t.Helper()
	f, ok := h.File(path)
	if !ok {
		t.Fatalf("%s is missing", path)
	}
	if string(f.Data) != string(data) {
		t.Errorf("%s =\n%q\nwant\n%q", path, f.Data, data)
	}
	if f.Info.Mode != info.Mode || f.Info.UID != info.UID || f.Info.GID != info.GID {
		t.Errorf("%s mode/uid/gid = %v/%d/%d, want %v/%d/%d",
			path, f.Info.Mode, f.Info.UID, f.Info.GID, info.Mode, info.UID, info.GID)
	}
}

func assertOps(t *testing.T, h *fake.Host, from int, want ...string) {
	t.Helper()
	if got := ops(h, from); !reflect.DeepEqual(got, want) {
		t.Errorf("host calls =\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

func assertValues(t *testing.T, got, want map[string]any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Values = %v, want %v", got, want)
	}
}
