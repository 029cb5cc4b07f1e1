package filereplace

import (
	"context"
	"encoding/binary"
	"reflect"
	"strings"
	"testing"

	"github.com/rotplay/rotplay/modules"
	"github.com/rotplay/rotplay/secret"
	"github.com/rotplay/rotplay/transport"
	"github.com/rotplay/rotplay/transport/fake"
	"go.yaml.in/yaml/v3"
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
			// Diffs are compared verbatim here; redaction is tested apart.
			args := strings.TrimSuffix(tt.args, "}") + ", secret: false}"
			res, err := decodeTask(t, args).Apply(context.Background(), host)
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
	act := decodeTask(t, "{path: "+authPath+", key: tenantToken, value: NEW, expect: 2, backup: true, secret: false}")
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

// Token values are secrets: the old and new values of the lines touched are
// reported for redaction, and only with secret (or a token-like key).
func TestSecretValuesReported(t *testing.T) {
	t.Parallel()
	content := "[env]\ntenantToken = OLDTOKENVALUE # c\nmainTenant = true\n"
	for _, tc := range []struct {
		args string
		want []string
	}{
		{"{path: /f, key: tenantToken, value: NEWTOKENVALUE}", []string{"OLDTOKENVALUE", "NEWTOKENVALUE"}},
		{"{path: /f, key: mainTenant, value: 'false'}", nil},
		{"{path: /f, key: mainTenant, value: 'false', secret: true}", []string{"true", "false"}},
		{"{path: /f, key: tenantToken, value: NEWTOKENVALUE, secret: false}", nil},
		{"{path: /f, regexp: 'OLD(TOKEN)VALUE', replace: 'NEW${1}VALUE', secret: true}", []string{"OLDTOKENVALUE", "NEWTOKENVALUE"}},
	} {
		h := &fake.Host{Name: "h"}
		h.SetFile("/f", []byte(content), transport.FileInfo{Mode: 0o600})
		conn, _ := fake.NewNetwork(h).Dial(context.Background(), transport.Target{Name: "h"})
		var n yaml.Node
		if err := yaml.Unmarshal([]byte(tc.args), &n); err != nil {
			t.Fatal(err)
		}
		act, err := New().Decode("p.yaml", n.Content[0])
		if err != nil {
			t.Fatalf("%s: %v", tc.args, err)
		}
		res, err := act.Check(context.Background(), modules.Host{Name: "h", Conn: conn})
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(res.Secrets, tc.want) {
			t.Errorf("%s: secrets %q, want %q", tc.args, res.Secrets, tc.want)
		}
	}
}

// With secrets, the diff shows the changed line with its value masked, and
// masks the values of other secret-looking keys in context lines too.
func TestSecretDiffRedacted(t *testing.T) {
	t.Parallel()
	h := &fake.Host{Name: "h"}
	h.SetFile("/f", []byte("[other]\ntenantToken = OTHERENVTOKEN1\nauthToken = dt0g02.AUTHTOKEN\n[env]\ntenantToken = OLDTOKENVALUE # c\n"), transport.FileInfo{Mode: 0o600})
	conn, _ := fake.NewNetwork(h).Dial(context.Background(), transport.Target{Name: "h"})
	var n yaml.Node
	_ = yaml.Unmarshal([]byte("{path: /f, section: env, key: tenantToken, value: NEWTOKENVALUE}"), &n)
	act, err := New().Decode("p.yaml", n.Content[0])
	if err != nil {
		t.Fatal(err)
	}
	res, err := act.Check(context.Background(), modules.Host{Name: "h", Conn: conn})
	if err != nil || len(res.Diffs) != 1 {
		t.Fatalf("%+v %v", res, err)
	}
	d := res.Diffs[0]
	for _, s := range []string{"OTHERENVTOKEN1", "dt0g02.AUTHTOKEN", "OLDTOKENVALUE", "NEWTOKENVALUE"} {
		if strings.Contains(d.Before+d.After, s) {
			t.Errorf("diff shows %s:\n%s\n%s", s, d.Before, d.After)
		}
	}
	if !strings.Contains(d.After, "tenantToken = "+secret.Mask("NEWTOKENVALUE")+" # c") {
		t.Errorf("the changed line should stay readable with its value masked:\n%s", d.After)
	}
}
