package fakedt

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// lab is one fake host on a temporary directory, reporting to a Recorder.
type lab struct {
	t   *testing.T
	fs  FS
	rec *Recorder
}

func newLab(t *testing.T) *lab {
	t.Helper()
	l := &lab{t: t, fs: DirFS(t.TempDir()), rec: &Recorder{}}
	if err := WriteHostConfig(l.fs, HostConfig{Host: "ag-1", Tenant: "abc12345"}); err != nil {
		t.Fatal(err)
	}
	return l
}

func (l *lab) write(name, content string) {
	l.t.Helper()
	if err := l.fs.WriteFile(name, []byte(content), 0o600); err != nil {
		l.t.Fatal(err)
	}
}

func (l *lab) read(name string) string {
	l.t.Helper()
	data, err := l.fs.ReadFile(name)
	if err != nil {
		l.t.Fatal(err)
	}
	return string(data)
}

// result is how one fake run ended.
type result struct {
	code           int
	stdout, stderr string
}

func (l *lab) run(fake func(context.Context, Env) int, uid int, args ...string) result {
	l.t.Helper()
	var out, errb bytes.Buffer
	code := fake(l.t.Context(), Env{FS: l.fs, UID: uid, Args: args, Stdout: &out, Stderr: &errb, Reporter: l.rec})
	return result{code, out.String(), errb.String()}
}

// installAG installs an ActiveGate with the remote plugin module.
func (l *lab) installAG() {
	l.write(AuthorizationPropertiesPath, "[other]\ntenantToken = OTHER\n\n[abc12345]\ntenantToken = AGTOKEN # current\nauthToken = dt0g02.x\nmainTenant = true\n")
	l.write(RemotePluginRuxitAgentConfPath, "Server https://x/communication\nTenant abc12345\nTenantToken RPTOKEN\n")
	l.write(RemotePluginExtensionsConfPath, "Server=https://x/communication\nTenantToken=EXTOKEN\n")
}

func (l *lab) installOneAgent(token string) {
	l.t.Helper()
	if err := WriteOneAgentConfig(l.fs, OneAgentConfig{Tenant: "abc12345", TenantToken: token, Server: "https://x"}); err != nil {
		l.t.Fatal(err)
	}
}

// events renders the recorded reports compactly: "connect activegate AGTOKEN".
func (l *lab) events() []string {
	var out []string
	for _, e := range l.rec.Events() {
		s := e.Kind + " " + e.Component
		if e.Kind == "connect" {
			s += " " + e.Token
		}
		out = append(out, s)
	}
	return out
}

func wantEvents(t *testing.T, l *lab, want ...string) {
	t.Helper()
	if got := l.events(); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("events:\n got %q\nwant %q", got, want)
	}
}

func wantResult(t *testing.T, got result, code int, stdout, stderrPart string) {
	t.Helper()
	if got.code != code || got.stdout != stdout || !strings.Contains(got.stderr, stderrPart) {
		t.Errorf("got code %d stdout %q stderr %q; want code %d stdout %q stderr containing %q",
			got.code, got.stdout, got.stderr, code, stdout, stderrPart)
	}
}
