package oneagentctl

import (
	"errors"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/rotplay/rotplay/diag"
	"github.com/rotplay/rotplay/modules"
)

// decode decodes the arguments of the task in src, a mapping whose one key
// is oneagentctl, as the engine hands them over.
func decode(t *testing.T, src string) (modules.Action, error) {
	t.Helper()
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
		t.Fatal(err)
	}
	return New().Decode("play.yml", doc.Content[0].Content[1])
}

const tokenHintText = ` (give the new token, e.g. tenant_token: "{{ rotation.active }}", or set get_only: true to only read the current one)`

func TestDecodeErrors(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, src, want string }{
		{"no arguments", "oneagentctl:\n",
			`play.yml:1:13: oneagentctl: missing required argument "tenant_token"` + tokenHintText},
		{"no token", "oneagentctl:\n  tenant: abc12345\n",
			`play.yml:2:3: oneagentctl: missing required argument "tenant_token"` + tokenHintText},
		{"not a mapping", "oneagentctl: [a]\n",
			`play.yml:1:14: oneagentctl: arguments must be a mapping of key: value, got a list (write the arguments indented below "oneagentctl:")`},
		{"empty token", "oneagentctl:\n  tenant_token: \"\"\n",
			"play.yml:2:17: oneagentctl: tenant_token is empty" + tokenHintText},
		{"null token", "oneagentctl:\n  tenant_token:\n  restart: false\n",
			"play.yml:2:16: oneagentctl: tenant_token is empty" + tokenHintText},
		{"token with a line break, not quoted", "oneagentctl:\n  tenant_token: \"dt0c01.SECRETPART\\nMORE\"\n",
			"play.yml:2:17: oneagentctl: tenant_token holds a blank, a line break or a control character, which no tenant token does " +
				"(check where the value comes from; it is passed to oneagentctl as one line)"},
		{"token not a string", "oneagentctl:\n  tenant_token: {a: b}\n",
			`play.yml:2:17: oneagentctl: argument "tenant_token": expected a string, got a mapping`},
		{"get_only with setters", "oneagentctl:\n  get_only: true\n  tenant_token: x\n  restart: false\n",
			"play.yml:3:3: oneagentctl: tenant_token does not go with get_only: true (get_only only reads the current token; remove tenant_token or get_only)\n" +
				"play.yml:4:3: oneagentctl: restart does not go with get_only: true (get_only only reads the current token; remove restart or get_only)"},
		{"bad tenant", "oneagentctl:\n  tenant_token: t0k3n\n  tenant: abc/12345\n",
			`play.yml:3:11: oneagentctl: tenant "abc/12345" is not an environment ID (an environment ID is letters, digits, - and _, e.g. abc12345)`},
		{"server with a blank", "oneagentctl:\n  tenant_token: t0k3n\n  server: https://a b\n",
			"play.yml:3:11: oneagentctl: server holds a blank or a control character (separate endpoints with ; and group them in {}, as oneagentctl --set-server expects)"},
		{"relative path", "oneagentctl:\n  tenant_token: t0k3n\n  path: tools/oneagentctl\n",
			`play.yml:3:9: oneagentctl: path must be absolute, got "tools/oneagentctl" (give the full path, e.g. /opt/dynatrace/oneagent/agent/tools/oneagentctl)`},
		{"all problems at once, in order", "oneagentctl:\n  restart: maybe\n  tenant_tokn: x\n  path: \"\"\n",
			`play.yml:2:3: oneagentctl: missing required argument "tenant_token"` + tokenHintText + "\n" +
				`play.yml:2:12: oneagentctl: argument "restart": expected true or false, got "maybe"` + "\n" +
				`play.yml:3:3: oneagentctl: unknown argument "tenant_tokn" (did you mean "tenant_token"?)` + "\n" +
				`play.yml:4:9: oneagentctl: path is empty (leave path out to use oneagentctl's default location)`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			act, err := decode(t, tc.src)
			if err == nil || err.Error() != tc.want || act != nil {
				t.Fatalf("Decode error:\n%v\nwant:\n%s", err, tc.want)
			}
			var list diag.List
			if !errors.As(err, &list) {
				t.Errorf("error %T is not a diag.List", err)
			}
			if strings.Contains(err.Error(), "SECRETPART") {
				t.Errorf("the error quotes the token: %v", err)
			}
		})
	}
}

// TestDecode checks valid tasks. Templates stay unchecked: the run-time
// Decode sees them rendered.
func TestDecode(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, src string
		want      action
	}{
		{"token only: restart by default", "oneagentctl:\n  tenant_token: t0k3n\n",
			action{args: arguments{TenantToken: "t0k3n"}, restart: true}},
		{"everything", "oneagentctl:\n  tenant_token: t0k3n\n  tenant: abc-1_2\n  server: '{https://a/communication;https://b/communication}'\n  restart: false\n  path: /opt/x/oneagentctl\n",
			action{args: arguments{TenantToken: "t0k3n", Tenant: "abc-1_2", Server: "{https://a/communication;https://b/communication}", Path: "/opt/x/oneagentctl"}}},
		{"get_only", "oneagentctl:\n  get_only: true\n",
			action{args: arguments{GetOnly: true}, restart: true}},
		{"templates", "oneagentctl:\n  tenant_token: '{{ rotation.active }}'\n  tenant: '{{ env_id }}'\n  path: '{{ p }}'\n  restart: '{{ r }}'\n",
			action{args: arguments{TenantToken: "{{ rotation.active }}", Tenant: "{{ env_id }}", Path: "{{ p }}"}, restart: true}},
		{"templated get_only decides later", "oneagentctl:\n  get_only: '{{ only }}'\n",
			action{restart: true}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			act, err := decode(t, tc.src)
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			got := *act.(*action)
			got.args.Restart = nil
			if got != tc.want {
				t.Errorf("Decode = %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestInfo(t *testing.T) {
	t.Parallel()
	if info := New().Info(); info.Name != "oneagentctl" || info.Controller || info.Summary == "" {
		t.Errorf("Info() = %+v", info)
	}
}
