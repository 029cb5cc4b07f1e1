package fakedt

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestOneAgentCtlCommands(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		uid          int
		installed    bool
		args         []string
		code         int
		stdout       string
		stderrPart   string
		wantEventsTo []string
	}{
		{"needs root", 1000, true, []string{"--get-tenant-token"}, 1, "", "oneagentctl: This command requires root privileges", nil},
		{"unknown option", 0, true, []string{"--get-tenant-token", "--frobnicate"}, 1, "", "Unknown option: --frobnicate", nil},
		{"setter without value", 0, true, []string{"--set-tenant-token"}, 1, "", "Unknown option: --set-tenant-token", nil},
		{"getter with value", 0, true, []string{"--get-tenant=x"}, 1, "", "Unknown option: --get-tenant=x", nil},
		{"empty value", 0, true, []string{"--set-tenant-token="}, 1, "", "Invalid value", nil},
		{"no option", 0, true, nil, 1, "", "no option", nil},
		{"not installed", 0, false, []string{"--get-tenant-token"}, 1, "", "OneAgent is not installed", nil},
		{"get token", 0, true, []string{"--get-tenant-token"}, 0, "OLD\n", "", nil},
		{"get all", 0, true, []string{"--get-tenant", "--get-server", "--get-tenant-token"}, 0, "abc12345\nhttps://x\nOLD\n", "", nil},
		{"set then get", 0, true, []string{"--set-tenant-token=NEW", "--set-server={https://y}", "--get-tenant-token", "--get-server"}, 0, "NEW\n{https://y}\n", "", nil},
		{"set without restart reports nothing", 0, true, []string{"--set-tenant-token=NEW"}, 0, "", "", nil},
		{"restart", 0, true, []string{"--restart-service"}, 0, "", "", []string{"stop oneagent", "connect oneagent OLD"}},
		{"set and restart", 0, true, []string{"--set-tenant=abc12345", "--set-tenant-token=NEW", "--restart-service"}, 0, "", "", []string{"stop oneagent", "connect oneagent NEW"}},
		{"help", 0, true, []string{"--help"}, 0, oneAgentHelp, "", nil},
		{"version", 0, true, []string{"--version"}, 0, oneAgentVersion + "\n", "", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			l := newLab(t)
			if tc.installed {
				l.installOneAgent("OLD")
			}
			wantResult(t, l.run(OneAgentCtl, tc.uid, tc.args...), tc.code, tc.stdout, tc.stderrPart)
			wantEvents(t, l, tc.wantEventsTo...)
		})
	}
}

func TestOneAgentCtlConfigFile(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	l := &lab{t: t, fs: DirFS(root), rec: &Recorder{}}
	l.installOneAgent("OLD")
	l.run(OneAgentCtl, 0, "--set-tenant-token=NEW")
	if got := l.read(OneAgentConfigPath); got != "tenant=abc12345\ntenantToken=NEW\nserver=https://x\n" {
		t.Errorf("config = %q", got)
	}
	info, err := os.Stat(filepath.Join(root, OneAgentConfigPath))
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("config mode: %v %v", info.Mode(), err)
	}
	entries, _ := os.ReadDir(filepath.Dir(filepath.Join(root, OneAgentConfigPath)))
	if len(entries) != 1 {
		t.Errorf("temporary files left: %v", entries)
	}
	// No host config: the fake works but reports nothing.
	wantEvents(t, l)
	if r := l.run(OneAgentCtl, 0, "--restart-service"); r.code != 0 {
		t.Errorf("restart without host config: %+v", r)
	}
	wantEvents(t, l)
}

func TestOneAgentCtlRejectedTokenIsLogged(t *testing.T) {
	t.Parallel()
	l := newLab(t)
	l.rec.Accept = func(_, _, token string) (bool, string) { return token == "GOOD", "unknown tenant token" }
	l.installOneAgent("BAD")
	wantResult(t, l.run(OneAgentCtl, 0, "--restart-service"), 0, "", "")
	log := l.read("/var/log/dynatrace/fake-oneagent.log")
	if !strings.Contains(log, "connection rejected by the cluster: unknown tenant token") {
		t.Errorf("log = %q", log)
	}
	if strings.Contains(log, "BAD") {
		t.Errorf("log leaks the token: %q", log)
	}
	if got := l.run(Systemctl, 0, "is-active", "oneagent"); got.stdout != "active\n" {
		t.Errorf("agent runs after a rejection: %+v", got)
	}
}

func TestOneAgentCtlRestartHonoursDelayAndContext(t *testing.T) {
	t.Parallel()
	l := newLab(t)
	l.installOneAgent("OLD")
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	code := OneAgentCtl(ctx, Env{FS: l.fs, Args: []string{"--restart-service"}, Reporter: l.rec, RestartDelay: time.Hour})
	if code == 0 || time.Since(start) > 5*time.Second {
		t.Errorf("code %d after %v, want a failure soon after ctx ends", code, time.Since(start))
	}
	wantEvents(t, l, "stop oneagent")

	l2 := newLab(t)
	l2.installOneAgent("OLD")
	start = time.Now()
	OneAgentCtl(t.Context(), Env{FS: l2.fs, Args: []string{"--restart-service"}, Reporter: l2.rec, RestartDelay: 30 * time.Millisecond})
	if d := time.Since(start); d < 30*time.Millisecond {
		t.Errorf("restart took %v, want at least the delay", d)
	}
}
