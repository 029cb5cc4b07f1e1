package filereplace

import (
	"bytes"
	"encoding/binary"
	"errors"
	"regexp"
	"testing"
)

// authProps models an ActiveGate authorization.properties with two
// environments, the second one the main tenant.
const authProps = "[env1]\n" +
	"tenantToken = OLD1\n" +
	"authToken = dt0g02.AAA\n" +
	"\n" +
	"[env2]\n" +
	"tenantToken = OLD2\n" +
	"authToken = dt0g02.BBB # present, if required\n" +
	"mainTenant = true # identifies the main tenant\n"

func TestEditFile(t *testing.T) {
	t.Parallel()
	key := func(k, v string) lineEditor { return keyEditor{key: k, value: v} }
	re := func(expr, repl string) lineEditor { return regexpEditor{re: regexp.MustCompile(expr), replace: repl} }
	le, be := binary.LittleEndian, binary.BigEndian
	tests := []struct {
		name             string
		in               []byte
		section          string
		ed               lineEditor
		want             []byte
		matches, changed int
	}{
		{"tight equals", []byte("Server=x\nTenantToken=OLD\n"), "", key("TenantToken", "NEW"),
			[]byte("Server=x\nTenantToken=NEW\n"), 1, 1},
		{"spaced equals", []byte("tenantToken = OLD\n"), "", key("tenantToken", "NEW"),
			[]byte("tenantToken = NEW\n"), 1, 1},
		{"blank separator", []byte("Tenant abc\nTenantToken    OLD\n"), "", key("TenantToken", "NEW"),
			[]byte("Tenant abc\nTenantToken    NEW\n"), 1, 1},
		{"key ignores case, line keeps its spelling", []byte("TENANTTOKEN=OLD\ntenanttoken OLD\n"), "", key("tenantToken", "NEW"),
			[]byte("TENANTTOKEN=NEW\ntenanttoken NEW\n"), 2, 2},
		{"trailing comment kept", []byte("mainTenant = false # identifies ...\n"), "", key("mainTenant", "true"),
			[]byte("mainTenant = true # identifies ...\n"), 1, 1},
		{"comment lines never match", []byte("# tenantToken = X\n; tenantToken = X\n!tenantToken = X\ntenantToken = OLD\n"), "",
			key("tenantToken", "NEW"),
			[]byte("# tenantToken = X\n; tenantToken = X\n!tenantToken = X\ntenantToken = NEW\n"), 1, 1},
		{"colon is not a separator", []byte("tenantToken: OLD\n"), "", key("tenantToken", "NEW"),
			[]byte("tenantToken: OLD\n"), 0, 0},
		{"longer key does not match", []byte("tenantTokenOld = A\n"), "", key("tenantToken", "NEW"),
			[]byte("tenantTokenOld = A\n"), 0, 0},
		{"empty value with equals", []byte("tenantToken=\n"), "", key("tenantToken", "NEW"),
			[]byte("tenantToken=NEW\n"), 1, 1},
		{"value with $ and \\ is literal", []byte("k=old\n"), "", key("k", `a$1${x}\n\`),
			[]byte(`k=a$1${x}\n\` + "\n"), 1, 1},
		{"matching but equal value is a match, not a change", []byte("k = v\nK = w\n"), "", key("k", "v"),
			[]byte("k = v\nK = v\n"), 2, 1},
		{"section picks one environment", []byte(authProps), "env2", key("tenantToken", "NEW"),
			[]byte(bytes.Replace([]byte(authProps), []byte("OLD2"), []byte("NEW"), 1)), 1, 1},
		{"section name is case-sensitive", []byte(authProps), "ENV2", key("tenantToken", "NEW"),
			[]byte(authProps), 0, 0},
		{"no section: every environment", []byte(authProps), "", key("tenantToken", "NEW"),
			bytes.ReplaceAll(bytes.ReplaceAll([]byte(authProps), []byte("OLD1"), []byte("NEW")), []byte("OLD2"), []byte("NEW")), 2, 2},
		{"CRLF kept", []byte("a=1\r\nk = OLD\r\nb=2\r\n"), "", key("k", "NEW"),
			[]byte("a=1\r\nk = NEW\r\nb=2\r\n"), 1, 1},
		{"mixed endings kept, last line without one", []byte("k=1\r\nk=2\nk=3"), "", key("k", "NEW"),
			[]byte("k=NEW\r\nk=NEW\nk=NEW"), 3, 3},
		{"invalid UTF-8 in other lines untouched", []byte("bin=\xff\xfe\x80\r\nk=OLD\n\xc3(=x\n"), "", key("k", "NEW"),
			[]byte("bin=\xff\xfe\x80\r\nk=NEW\n\xc3(=x\n"), 1, 1},
		{"UTF-8 BOM kept", []byte("\xEF\xBB\xBFk=OLD\n"), "", key("k", "NEW"),
			[]byte("\xEF\xBB\xBFk=NEW\n"), 1, 1},
		{"UTF-16LE BOM and CRLF kept", encodeUTF16("[env1]\r\ntenantToken = OLD\r\n", le), "env1", key("tenantToken", "NEW€"),
			encodeUTF16("[env1]\r\ntenantToken = NEW€\r\n", le), 1, 1},
		{"UTF-16BE", encodeUTF16("TenantToken OLD\n", be), "", key("TenantToken", "NEW"),
			encodeUTF16("TenantToken NEW\n", be), 1, 1},
		{"regexp capture groups, every match on every line", []byte("url=http://a:80 http://b:80\nurl=http://c:81\n"), "",
			re(`http://(\w+):80`, "https://${1}:443"),
			[]byte("url=https://a:443 https://b:443\nurl=http://c:81\n"), 1, 1},
		{"regexp anchors a line, CRLF excluded", []byte("k=OLD\r\nk=OLD2\r\n"), "", re(`^k=OLD$`, "k=NEW"),
			[]byte("k=NEW\r\nk=OLD2\r\n"), 1, 1},
		{"regexp in a section", []byte(authProps), "env1", re(`^(tenantToken = ).*`, "${1}NEW"),
			[]byte(bytes.Replace([]byte(authProps), []byte("OLD1"), []byte("NEW"), 1)), 1, 1},
		{"regexp already done", []byte("a=1\n"), "", re(`1`, "1"), []byte("a=1\n"), 1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := editFile(tt.in, tt.section, tt.ed)
			if err != nil {
				t.Fatalf("editFile: %v", err)
			}
			if !bytes.Equal(got.data, tt.want) {
				t.Errorf("editFile =\n%q\nwant\n%q", got.data, tt.want)
			}
			if got.matches != tt.matches || got.changed != tt.changed {
				t.Errorf("matches, changed = %d, %d, want %d, %d", got.matches, got.changed, tt.matches, tt.changed)
			}
			if got.changedBytes() == bytes.Equal(tt.in, tt.want) {
				t.Errorf("changedBytes() = %v, but in and out equal = %v", got.changedBytes(), bytes.Equal(tt.in, tt.want))
			}
		})
	}
}

func TestEditFileRefuses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		ed   lineEditor
		want error
	}{
		{"empty value after blank separator", "k OLD\n", keyEditor{key: "k", value: ""}, errValueReadsBack},
		{"value starting a comment after a blank", "k = OLD\n", keyEditor{key: "k", value: "#x"}, errValueReadsBack},
		{"value with a comment inside", "k=OLD\n", keyEditor{key: "k", value: "a ;b"}, errValueReadsBack},
		{"regexp adding a line break", "k=OLD\n", regexpEditor{re: regexp.MustCompile(`OLD`), replace: "A\nB"}, errLineEnding},
		{"regexp turning LF into CRLF", "k=\rOLD\n", regexpEditor{re: regexp.MustCompile(`(\r)(OLD)`), replace: "${2}${1}"}, errLineEnding},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := editFile([]byte(tt.in), "", tt.ed)
			if !errors.Is(err, tt.want) {
				t.Fatalf("editFile(%q) error = %v, want %v", tt.in, err, tt.want)
			}
		})
	}
}
