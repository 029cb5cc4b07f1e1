package filereplace

import "testing"

func TestParseKeyValue(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		text      string
		ok        bool
		key, val  string
		afterEdit string // the line with its value set to "NEW"
	}{
		{"spaced equals", "tenantToken = abc", true, "tenantToken", "abc", "tenantToken = NEW"},
		{"tight equals", "TenantToken=abc", true, "TenantToken", "abc", "TenantToken=NEW"},
		{"blank separator", "TenantToken abc", true, "TenantToken", "abc", "TenantToken NEW"},
		{"tab separator", "TenantToken\t\tabc", true, "TenantToken", "abc", "TenantToken\t\tNEW"},
		{"indented", "  \tkey =  abc", true, "key", "abc", "  \tkey =  NEW"},
		{"trailing hash comment", "mainTenant = true # identifies the main tenant", true,
			"mainTenant", "true", "mainTenant = NEW # identifies the main tenant"},
		{"trailing semicolon comment", "k=v\t; note", true, "k", "v", "k=NEW\t; note"},
		{"trailing blanks kept", "k = v  \t", true, "k", "v", "k = NEW  \t"},
		{"hash inside value", "k = a#b", true, "k", "a#b", "k = NEW"},
		{"value with blanks", "k = a b c", true, "k", "a b c", "k = NEW"},
		{"equals in blank-separated value", "k a=b", true, "k", "a=b", "k NEW"},
		{"empty value with equals", "k=", true, "k", "", "k=NEW"},
		{"empty value spaced equals", "k = ", true, "k", "", "k = NEW"},
		{"empty value then comment", "k = # none yet", true, "k", "", "k = NEW # none yet"},
		{"stray CR at end kept", "k=v\r", true, "k", "v", "k=NEW\r"},
		{"bare key", "key", false, "", "", ""},
		{"bare key and blanks", "key  ", false, "", "", ""},
		{"bare key and comment", "key # c", false, "", "", ""},
		{"colon is not a separator", "key: value", true, "key:", "value", "key: NEW"},
		{"hash comment line", "# key = v", false, "", "", ""},
		{"indented semicolon comment", "  ; key = v", false, "", "", ""},
		{"bang comment", "!key = v", false, "", "", ""},
		{"section header", "[key]", false, "", "", ""},
		{"blank line", "  \t", false, "", "", ""},
		{"empty line", "", false, "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			kv, ok := parseKeyValue(tt.text)
			if ok != tt.ok {
				t.Fatalf("parseKeyValue(%q) ok = %v, want %v", tt.text, ok, tt.ok)
			}
			if !ok {
				return
			}
			if kv.key != tt.key || kv.value(tt.text) != tt.val {
				t.Errorf("parseKeyValue(%q) = key %q value %q, want %q %q", tt.text, kv.key, kv.value(tt.text), tt.key, tt.val)
			}
			if got := kv.withValue(tt.text, "NEW"); got != tt.afterEdit {
				t.Errorf("withValue(%q, NEW) = %q, want %q", tt.text, got, tt.afterEdit)
			}
		})
	}
}
