package fakedt

import (
	"strings"
	"testing"
)

func TestSystemctlGatewayReportsTokens(t *testing.T) {
	t.Parallel()
	l := newLab(t)
	l.installAG()
	// Installed services run; start on a running unit is a no-op.
	wantResult(t, l.run(Systemctl, 0, "start", "dynatracegateway"), 0, "", "")
	wantEvents(t, l)
	wantResult(t, l.run(Systemctl, 0, "stop", "dynatracegateway.service"), 0, "", "")
	wantResult(t, l.run(Systemctl, 1000, "is-active", "dynatracegateway"), 3, "inactive\n", "")
	wantResult(t, l.run(Systemctl, 0, "start", "dynatracegateway"), 0, "", "")
	wantResult(t, l.run(Systemctl, 0, "is-active", "dynatracegateway"), 0, "active\n", "")
	wantEvents(t, l,
		"stop activegate", "stop remoteplugin", "stop extensions",
		"connect activegate AGTOKEN", "connect remoteplugin RPTOKEN", "connect extensions EXTOKEN")
}

func TestSystemctlRestartEveryUnit(t *testing.T) {
	t.Parallel()
	l := newLab(t)
	l.installAG()
	l.installOneAgent("OATOKEN")
	l.write(ZRemoteRuxitAgentConfPath, "TenantToken ZRTOKEN\n")
	wantResult(t, l.run(Systemctl, 0, "restart", "zremote", "extensionsmodule", "oneagent"), 0, "", "")
	wantEvents(t, l,
		"stop zremote", "connect zremote ZRTOKEN",
		"stop extensions", "connect extensions EXTOKEN",
		"stop oneagent", "connect oneagent OATOKEN")
}

func TestSystemctlErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		uid        int
		args       []string
		code       int
		stdout     string
		stderrPart string
	}{
		{"unknown unit", 0, []string{"start", "nginx"}, 5, "", "Failed to start nginx.service: Unit nginx.service not found."},
		{"not installed", 0, []string{"restart", "zremote"}, 5, "", "Failed to restart zremote.service: Unit zremote.service not found."},
		{"stop unknown", 0, []string{"stop", "nginx"}, 5, "", "Unit nginx.service not loaded."},
		{"start as user", 1000, []string{"start", "dynatracegateway"}, 1, "", "Failed to start dynatracegateway.service: Access denied"},
		{"restart as user", 1000, []string{"restart", "dynatracegateway"}, 1, "", "Failed to restart dynatracegateway.service: Access denied"},
		{"is-active unknown", 1000, []string{"is-active", "nginx"}, 3, "inactive\n", ""},
		{"is-active quiet", 1000, []string{"is-active", "-q", "dynatracegateway"}, 0, "", ""},
		{"status unknown", 1000, []string{"status", "nginx"}, 4, "", "Unit nginx.service could not be found."},
		{"show", 1000, []string{"show", "-p", "ActiveState,LoadState", "dynatracegateway"}, 0, "ActiveState=active\nLoadState=loaded\n", ""},
		{"show value", 1000, []string{"show", "--property=SubState", "--value", "nginx"}, 0, "dead\n", ""},
		{"bad flag", 0, []string{"--bogus", "start", "x"}, 1, "", "unrecognized option '--bogus'"},
		{"daemon-reload as user", 1000, []string{"daemon-reload"}, 1, "", "Access denied"},
		{"no units", 0, []string{"restart"}, 1, "", "Too few arguments."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			l := newLab(t)
			l.installAG()
			wantResult(t, l.run(Systemctl, tc.uid, tc.args...), tc.code, tc.stdout, tc.stderrPart)
			wantEvents(t, l)
		})
	}
}

func TestSystemctlStatus(t *testing.T) {
	t.Parallel()
	l := newLab(t)
	l.installAG()
	got := l.run(Systemctl, 1000, "status", "dynatracegateway")
	if got.code != 0 || !strings.Contains(got.stdout, "dynatracegateway.service - Dynatrace ActiveGate") ||
		!strings.Contains(got.stdout, "Active: active (running)") {
		t.Errorf("status: %+v", got)
	}
	l.run(Systemctl, 0, "stop", "dynatracegateway")
	if got := l.run(Systemctl, 0, "status", "dynatracegateway"); got.code != 3 || !strings.Contains(got.stdout, "inactive (dead)") {
		t.Errorf("status after stop: %+v", got)
	}
}

func TestSystemctlGatewayConfigErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, props, logPart string
	}{
		{"garbage line", "[abc12345]\ntenantToken = X\nthis is not a property\n", "line 3: expected `key = value`"},
		{"missing section", "[other]\ntenantToken = X\n", "no section [abc12345]"},
		{"key outside section", "tenantToken = X\n[abc12345]\n", "outside any [section]"},
		{"unterminated header", "[abc12345\ntenantToken = X\n", "malformed section header"},
		{"no token", "[abc12345]\nauthToken = dt0g02.x\n", "has no tenantToken"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			l := newLab(t)
			l.write(AuthorizationPropertiesPath, tc.props)
			got := l.run(Systemctl, 0, "restart", "dynatracegateway")
			if got.code != 1 || !strings.Contains(got.stderr, "Job for dynatracegateway.service failed") {
				t.Errorf("restart: %+v", got)
			}
			log := l.read("/var/log/dynatrace/fake-dynatracegateway.log")
			if !strings.Contains(log, "Error during parsing config file "+AuthorizationPropertiesPath+" - invalid configuration") ||
				!strings.Contains(log, tc.logPart) {
				t.Errorf("log = %q, want %q", log, tc.logPart)
			}
			wantResult(t, l.run(Systemctl, 0, "is-active", "dynatracegateway"), 3, "failed\n", "")
			wantEvents(t, l, "stop activegate")
		})
	}
}

func TestGatewayToken(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, props, tenant, want string
	}{
		{"spaces", "[t1]\ntenantToken = A\n", "t1", "A"},
		{"no spaces", "[t1]\ntenantToken=A\n", "t1", "A"},
		{"case-insensitive key", "[t1]\nTENANTTOKEN = A\n", "t1", "A"},
		{"trailing comment", "[t1]\ntenantToken = A # the token\n", "t1", "A"},
		{"comment lines", "# header\n; other\n[t1]\n  tenantToken = A\n", "t1", "A"},
		{"right section", "[t0]\ntenantToken = Z\n[t1]\ntenantToken = A\n[t2]\ntenantToken = Y\n", "t1", "A"},
		{"main tenant without tenant", "[t0]\ntenantToken = Z\n[t1]\ntenantToken = A\nmainTenant = true\n", "", "A"},
		{"single section without tenant", "[t1]\ntenantToken = A\n", "", "A"},
		{"hash inside value", "[t1]\ntenantToken = A#B\n", "t1", "A#B"},
		{"CRLF line ends", "[t1]\r\ntenantToken = A\r\n", "t1", "A"},
	}
	for _, tc := range tests {
		got, err := gatewayToken([]byte(tc.props), tc.tenant)
		if err != nil || got != tc.want {
			t.Errorf("%s: got %q, %v; want %q", tc.name, got, err, tc.want)
		}
	}
}

func TestModuleTokenFormats(t *testing.T) {
	t.Parallel()
	if tok, ok := spaceToken([]byte("Tenant x\ntenanttoken  ABC\n")); !ok || tok != "ABC" {
		t.Errorf("spaceToken = %q %v", tok, ok)
	}
	if _, ok := spaceToken([]byte("TenantToken=ABC\n")); ok {
		t.Error("ruxitagent.conf accepted a `=` line")
	}
	if tok, ok := spaceToken([]byte("Tenant x\r\nTenantToken ABC\r\n")); !ok || tok != "ABC" {
		t.Errorf("spaceToken with CRLF = %q %v", tok, ok)
	}
	if tok, ok := equalsToken([]byte("Server=x\nTenantToken = ABC\n")); !ok || tok != "ABC" {
		t.Errorf("equalsToken = %q %v", tok, ok)
	}
	if _, ok := equalsToken([]byte("TenantToken ABC\n")); ok {
		t.Error("extensions.conf accepted a space-separated line")
	}
}

func TestService(t *testing.T) {
	t.Parallel()
	l := newLab(t)
	l.installAG()
	l.installOneAgent("OATOKEN")
	wantResult(t, l.run(Service, 0, "oneagent", "status"), 0, "oneagent is running\n", "")
	wantResult(t, l.run(Service, 1000, "oneagent", "restart"), 4, "", "must be run as root")
	wantResult(t, l.run(Service, 0, "oneagent", "stop"), 0, "", "")
	wantResult(t, l.run(Service, 1000, "oneagent", "status"), 3, "oneagent is stopped\n", "")
	wantResult(t, l.run(Service, 0, "oneagent", "start"), 0, "", "")
	wantResult(t, l.run(Service, 0, "dynatracegateway", "restart"), 0, "", "")
	wantResult(t, l.run(Service, 0, "nginx", "start"), 1, "", "nginx: unrecognized service")
	wantResult(t, l.run(Service, 0, "oneagent"), 2, "", "Usage")
	wantResult(t, l.run(Service, 0, "oneagent", "frob"), 2, "", "Usage")
	wantEvents(t, l, "stop oneagent", "connect oneagent OATOKEN",
		"stop activegate", "stop remoteplugin", "stop extensions",
		"connect activegate AGTOKEN", "connect remoteplugin RPTOKEN", "connect extensions EXTOKEN")
}
