package filereplace

import (
	"context"
	"encoding/binary"
	"strings"
	"testing"

	"github.com/rotplay/rotplay/modules"
)

// Encodings a test file may be stored in.
var (
	plain  = func(s string) []byte { return []byte(s) }
	bom8   = func(s string) []byte { return append([]byte("\xEF\xBB\xBF"), s...) }
	utf16l = func(s string) []byte { return encodeUTF16(s, binary.LittleEndian) }
)

func TestApplyChanges(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		args      string
		path      string
		enc       func(string) []byte
		text      string // the file's decoded text
		want      string // and after Apply
		matches   int
		changed   int
		changeMsg string
	}{
		{
			name: "authorization.properties: only the named environment",
			args: "{path: " + authPath + ", section: env2, key: tenantToken, value: NEW2}",
			path: authPath, enc: plain, text: authProps,
			want:    strings.Replace(authProps, "OLD2", "NEW2", 1),
			matches: 1, changed: 1,
		},
		{
			name: "trailing comment kept",
			args: "{path: " + authPath + ", section: env1, key: mainTenant, value: 'true'}",
			path: authPath, enc: plain,
			text:    "[env1]\nmainTenant = false # identifies the main tenant\n[env2]\nmainTenant = false\n",
			want:    "[env1]\nmainTenant = true # identifies the main tenant\n[env2]\nmainTenant = false\n",
			matches: 1, changed: 1,
		},
		{
			name: "ruxitagent.conf: blank separator, key ignoring case",
			args: "{path: " + ruxPath + ", key: tenanttoken, value: NEW}",
			path: ruxPath, enc: plain,
			text:    "Server https://ag:9999/communication\nTenant abc12345\nTenantToken   OLD\n",
			want:    "Server https://ag:9999/communication\nTenant abc12345\nTenantToken   NEW\n",
			matches: 1, changed: 1,
		},
		{
			name: "extensions.conf: tight equals, CRLF, commented line ignored",
			args: "{path: " + extPath + ", key: TenantToken, value: NEW, expect: 1}",
			path: extPath, enc: plain,
			text:    "#TenantToken=ancient\r\nServer=https://ag:9999/communication\r\nTenantToken=OLD\r\n",
			want:    "#TenantToken=ancient\r\nServer=https://ag:9999/communication\r\nTenantToken=NEW\r\n",
			matches: 1, changed: 1,
		},
		{
			name: "UTF-16LE with BOM and CRLF",
			args: "{path: " + authPath + ", section: env1, key: tenantToken, value: NEW}",
			path: authPath, enc: utf16l,
			text:    "[env1]\r\ntenantToken = OLD\r\n[env2]\r\ntenantToken = OLD\r\n",
			want:    "[env1]\r\ntenantToken = NEW\r\n[env2]\r\ntenantToken = OLD\r\n",
			matches: 1, changed: 1,
		},
		{
			name: "UTF-8 BOM, mixed endings, last line without ending",
			args: "{path: /etc/app.ini, key: k, value: NEW, expect: 2}",
			path: "/etc/app.ini", enc: bom8,
			text:    "k = OLD\r\nother = x\nk=OLD",
			want:    "k = NEW\r\nother = x\nk=NEW",
			matches: 2, changed: 2,
		},
		{
			name: "invalid UTF-8 in other lines untouched",
			args: "{path: /etc/app.conf, key: k, value: NEW}",
			path: "/etc/app.conf", enc: plain,
			text:    "blob=\xff\xfe\x80\nk=OLD\n\xc3(\n",
			want:    "blob=\xff\xfe\x80\nk=NEW\n\xc3(\n",
			matches: 1, changed: 1,
		},
		{
			name: "value with $ and \\ inserted literally",
			args: `{path: /etc/app.conf, key: k, value: 'a$1${0}\1'}`,
			path: "/etc/app.conf", enc: plain,
			text: "k=OLD\n", want: "k=a$1${0}\\1\n",
			matches: 1, changed: 1,
		},
		{
			name: "regexp with capture groups, matching lines counted once",
			args: `{path: /etc/app.conf, regexp: 'https://(\w+):9999', replace: 'https://${1}:443', expect: 1}`,
			path: "/etc/app.conf", enc: plain,
			text:    "Server=https://a:9999 https://b:9999\r\nOther=https://c:8443\r\n",
			want:    "Server=https://a:443 https://b:443\r\nOther=https://c:8443\r\n",
			matches: 1, changed: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h, host := newHost(t, hostFile{tt.path, tt.enc(tt.text), agInfo})
			res, err := decodeTask(t, tt.args).Apply(context.Background(), host)
			if err != nil {
				t.Fatalf("Apply: %v", err)
			}
			wantMsg := countOf(tt.changed, "line") + " changed in " + tt.path
			if !res.Changed || res.Failed || res.Skipped || res.Msg != wantMsg {
				t.Errorf("Result = %+v, want changed with Msg %q", res, wantMsg)
			}
			want := modules.Diff{Path: tt.path, Before: tt.text, After: tt.want}
			if len(res.Diffs) != 1 || res.Diffs[0] != want {
				t.Errorf("Diffs = %q, want [%q]", res.Diffs, want)
			}
			assertValues(t, res.Values, map[string]any{"path": tt.path, "matches": tt.matches, "changed_lines": tt.changed})
			assertFile(t, h, tt.path, tt.enc(tt.want), agInfo)
			assertOps(t, h, 0, "read "+tt.path, "write "+tt.path)
		})
	}
}

// TestIdempotent applies a task twice: the second run finds the file in
// the desired state and writes nothing, not even a backup.
func TestIdempotent(t *testing.T) {
	t.Parallel()
	act := decodeTask(t, "{path: "+authPath+", section: env1, key: tenantToken, value: NEW, backup: true}")
	h, host := newHost(t, hostFile{authPath, []byte(authProps), agInfo})
	first, err := act.Apply(context.Background(), host)
	if err != nil || !first.Changed {
		t.Fatalf("first Apply = %+v, %v; want changed", first, err)
	}
	after := len(h.Calls())
	second, err := act.Apply(context.Background(), host)
	if err != nil {
		t.Fatalf("second Apply: %v", err)
	}
	wantMsg := "already up to date: 1 matching line in " + authPath
	if second.Changed || second.Failed || second.Msg != wantMsg || len(second.Diffs) != 0 {
		t.Errorf("second Apply = %+v, want unchanged with Msg %q and no diff", second, wantMsg)
	}
	assertValues(t, second.Values, map[string]any{"path": authPath, "matches": 1, "changed_lines": 0})
	assertOps(t, h, after, "read "+authPath)
}

// TestCheckNeverWrites checks that Check reports the change Apply would
// make without writing anything, not even the backup it asks for.
func TestCheckNeverWrites(t *testing.T) {
	t.Parallel()
	act := decodeTask(t, "{path: "+authPath+", key: tenantToken, value: NEW, expect: 2, backup: true}")
	h, host := newHost(t, hostFile{authPath, []byte(authProps), agInfo})
	res, err := act.Check(context.Background(), host)
	if err != nil {
		t.Fatalf("Check: %v", err)
	}
	wantMsg := "2 lines would change in " + authPath
	if !res.Changed || res.Failed || res.Msg != wantMsg {
		t.Errorf("Check = %+v, want changed with Msg %q", res, wantMsg)
	}
	wantAfter := strings.NewReplacer("OLD1", "NEW", "OLD2", "NEW").Replace(authProps)
	if len(res.Diffs) != 1 || res.Diffs[0].After != wantAfter || res.Diffs[0].Before != authProps {
		t.Errorf("Diffs = %q, want one from the file to %q", res.Diffs, wantAfter)
	}
	assertValues(t, res.Values, map[string]any{"path": authPath, "matches": 2, "changed_lines": 2})
	assertOps(t, h, 0, "read "+authPath)
	assertFile(t, h, authPath, []byte(authProps), agInfo)
}
