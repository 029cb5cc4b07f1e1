package vhost

import (
	"strings"
	"testing"

	"github.com/rotplay/rotplay/lab/fakedt"
)

// dtHost is a host with an ActiveGate and a OneAgent installed, reporting
// to a Recorder.
func dtHost(t *testing.T, opts Options) (*testHost, *fakedt.Recorder) {
	t.Helper()
	rec := &fakedt.Recorder{}
	opts.Reporter = rec
	h := newTestHost(t, opts)
	fsys := h.FS()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(fakedt.WriteHostConfig(fsys, fakedt.HostConfig{Host: "web-1", Tenant: "abc12345"}))
	must(fsys.WriteFile(fakedt.AuthorizationPropertiesPath, []byte("[other]\ntenantToken = NOPE\n[abc12345]\ntenantToken = AGTOKEN\nmainTenant = true\n"), 0o640))
	must(fsys.WriteFile(fakedt.RemotePluginRuxitAgentConfPath, []byte("TenantToken RPTOKEN\n"), 0o644))
	must(fsys.WriteFile(fakedt.RemotePluginExtensionsConfPath, []byte("TenantToken=EXTOKEN\n"), 0o644))
	must(fakedt.WriteOneAgentConfig(fsys, fakedt.OneAgentConfig{Tenant: "abc12345", TenantToken: "OATOKEN", Server: "https://x"}))
	must(fsys.WriteFile(fakedt.OneAgentCtlPath, []byte("fake oneagentctl\n"), 0o755))
	return h, rec
}

func events(rec *fakedt.Recorder) string {
	var out []string
	for _, e := range rec.Events() {
		s := e.Kind + " " + e.Host + "/" + e.Component
		if e.Kind == "connect" {
			s += " " + e.Token
		}
		out = append(out, s)
	}
	return strings.Join(out, "|")
}

func TestFakesThroughTheShell(t *testing.T) {
	t.Parallel()
	h, rec := dtHost(t, Options{User: "ops"})
	ctl := fakedt.OneAgentCtlPath
	runTable(t, h, []lineTest{
		{"sudo -n " + ctl + " --get-tenant-token", 0, "OATOKEN\n", ""},
		{ctl + " --get-tenant-token", 1, "", "oneagentctl: This command requires root privileges"},
		{"sudo -n " + ctl + " --bogus", 1, "", "Unknown option: --bogus"},
		{"sudo -n " + ctl + " --set-tenant-token=NEW && sudo -n " + ctl + " --get-tenant-token", 0, "NEW\n", ""},
		{"systemctl is-active dynatracegateway oneagent", 0, "active\nactive\n", ""},
		{"systemctl restart dynatracegateway", 1, "", "Access denied"},
		{"systemctl start nginx", 5, "", "Unit nginx.service not found."},
	})
	if got := events(rec); got != "" {
		t.Errorf("nothing should have been reported yet: %s", got)
	}
	h.must("sudo -n " + ctl + " --restart-service")
	h.must("sudo -n systemctl restart dynatracegateway.service")
	want := "stop web-1/oneagent|connect web-1/oneagent NEW|" +
		"stop web-1/activegate|stop web-1/remoteplugin|stop web-1/extensions|" +
		"connect web-1/activegate AGTOKEN|connect web-1/remoteplugin RPTOKEN|connect web-1/extensions EXTOKEN"
	if got := events(rec); got != want {
		t.Errorf("reports:\n got %s\nwant %s", got, want)
	}
	check(t, "service", h.run("sudo service oneagent status"), 0, "oneagent is running\n", "")
}

func TestGatewayFailsOnMalformedProperties(t *testing.T) {
	t.Parallel()
	h, rec := dtHost(t, Options{})
	h.must("printf '[abc12345]\\ntenantToken AGTOKEN\\n' > " + fakedt.AuthorizationPropertiesPath)
	r := h.run("systemctl restart dynatracegateway")
	if r.code != 1 || !strings.Contains(r.stderr, "invalid configuration") {
		t.Errorf("restart with a malformed file: %+v", r)
	}
	check(t, "is-active", h.run("systemctl is-active dynatracegateway"), 3, "failed\n", "")
	if got := events(rec); got != "stop web-1/activegate|stop web-1/remoteplugin|stop web-1/extensions" {
		t.Errorf("reports: %s", got)
	}
	check(t, "log", h.run("grep -c 'Error during parsing config file' /var/log/dynatrace/fake-dynatracegateway.log"), 0, "1\n", "")
}

func TestOneAgentCtlNeedsInstallation(t *testing.T) {
	t.Parallel()
	h := newTestHost(t, Options{})
	check(t, "no marker", h.run(fakedt.OneAgentCtlPath+" --get-tenant-token"), 127, "", "not found")
	h.must("mkdir -p /opt/dynatrace/oneagent/agent/tools && echo marker > " + fakedt.OneAgentCtlPath)
	check(t, "not executable", h.run(fakedt.OneAgentCtlPath+" --version"), 126, "", "Permission denied")
	h.must("chmod 755 " + fakedt.OneAgentCtlPath)
	check(t, "not installed", h.run(fakedt.OneAgentCtlPath+" --get-tenant"), 1, "", "OneAgent is not installed")
}
