package e2e

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rotplay/rotplay/lab/fakedt"
)

// benchRunTimeout bounds one contender's run.
const benchRunTimeout = 15 * time.Minute

// contender builds the command line of one tool's run in dir, and the
// environment it needs beyond PATH, HOME and LANG.
type contender func(f *fleet, dir string) (argv, env []string, err error)

var contenders = map[string]contender{
	"rotplay": rotplayRun("playbooks/rotation.yaml"),
	// rotplay-minimal: rotplay doing only what the floor does, to tell
	// its own overhead from its checks. Not run by default.
	"rotplay-minimal": rotplayRun("bench/rotplay-minimal/rotation.yaml"),
	"floor": func(f *fleet, dir string) ([]string, []string, error) {
		hosts := filepath.Join(dir, "hosts.txt")
		var b strings.Builder
		for _, h := range f.hosts {
			fmt.Fprintf(&b, "%s 127.0.0.1:%d %s\n", h.kind, h.sshd.port, h.login)
		}
		if err := os.WriteFile(hosts, []byte(b.String()), 0o644); err != nil {
			return nil, nil, err
		}
		return []string{suite.floor, "-api", f.apiURL, "-tenant", f.sim.TenantUUID(),
			"-api-token-file", f.apiTokenFile, "-key", suite.clientKey, "-known-hosts", f.knownHosts,
			"-forks", "50", hosts}, nil, nil
	},
	"ansible": ansibleRun,
	// ansible-defaultkex: the same, with OpenSSH's default key exchange
	// (sntrup761x25519-sha512 on OpenSSH 9.2) instead of the pin, as
	// an Ansible user who did not pin it would run. Not run by default.
	"ansible-defaultkex": func(f *fleet, dir string) ([]string, []string, error) {
		argv, env, err := ansibleRun(f, dir)
		env = append(env, "ANSIBLE_SSH_ARGS=-o ControlMaster=auto -o ControlPersist=60s -o BatchMode=yes")
		return argv, env, err
	},
}

// rotplayRun is rotplay's run of playbook, with ROTPLAY_BENCH_ARGS,
// ROTPLAY_BENCH_ENV and ROTPLAY_BENCH_PROFILE.
func rotplayRun(playbook string) contender {
	return func(f *fleet, dir string) ([]string, []string, error) {
		env := strings.Fields(os.Getenv("ROTPLAY_BENCH_ENV"))
		if p := os.Getenv("ROTPLAY_BENCH_PROFILE"); p != "" {
			env = append(env, "ROTPLAY_PROFILE="+filepath.Join(p, filepath.Base(dir)))
		}
		return append([]string{suite.rotplay, "run", playbook, "-i", f.inventory,
			"--state-dir", filepath.Join(dir, "state"), "--no-progress"}, strings.Fields(os.Getenv("ROTPLAY_BENCH_ARGS"))...), env, nil
	}
}

// ansibleRun is tuned Ansible's run: bench/ansible with its ansible.cfg.
func ansibleRun(f *fleet, dir string) ([]string, []string, error) {
	inventory := filepath.Join(dir, "inventory.ini")
	if err := os.WriteFile(inventory, []byte(f.ansibleInventory()), 0o644); err != nil {
		return nil, nil, err
	}
	env := []string{"ANSIBLE_CONFIG=" + filepath.Join(suite.repoRoot, "bench", "ansible", "ansible.cfg"),
		"ANSIBLE_SSH_CONTROL_PATH_DIR=" + filepath.Join(dir, "cp")}
	return []string{"ansible-playbook", "-i", inventory, "bench/ansible/rotation.yml"}, env, nil
}

// ansibleInventory is the fleet for bench/ansible/rotation.yml.
func (f *fleet) ansibleInventory() string {
	var b strings.Builder
	fmt.Fprintf(&b, "[all:vars]\ndt_environment_url=%s\ndt_tenant=%s\ndt_api_token_file=%s\n",
		f.apiURL, f.sim.TenantUUID(), f.apiTokenFile)
	fmt.Fprintf(&b, "ansible_ssh_private_key_file=%s\n", suite.clientKey)
	fmt.Fprintf(&b, "ansible_ssh_extra_args='-o UserKnownHostsFile=%s -o StrictHostKeyChecking=yes'\n", f.knownHosts)
	for _, group := range []struct{ name, kind string }{{"activegates", activeGate}, {"oneagents", oneAgent}} {
		fmt.Fprintf(&b, "[%s]\n", group.name)
		for _, h := range f.hosts {
			if h.kind == group.kind {
				fmt.Fprintf(&b, "%s ansible_host=127.0.0.1 ansible_port=%d ansible_user=%s\n", h.name, h.sshd.port, h.login)
			}
		}
	}
	return b.String()
}

// benchRun runs tool once against the fleet, measures it and checks that
// it rotated every host and finished safely.
func (f *fleet) benchRun(b *testing.B, tool string, round int, servers *cpuGroup) sample {
	b.Helper()
	dir, err := os.MkdirTemp("", "rb-") // short: ssh control sockets live under it
	if err != nil {
		b.Fatal(err)
	}
	defer os.RemoveAll(dir)
	argv, env, err := contenders[tool](f, dir)
	if err != nil {
		b.Fatal(err)
	}
	group, groupErr := newCPUGroup(fmt.Sprintf("rotplay-bench-%d-%s-%d", os.Getpid(), tool, round))
	if groupErr == nil {
		argv = group.wrap(argv...)
		defer group.remove()
		defer group.killAll() // ssh ControlPersist masters outlive ansible-playbook
	}
	ctx, cancel := context.WithTimeout(context.Background(), benchRunTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Dir = suite.repoRoot
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir, "LANG=C.UTF-8"}, env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	before := cpuUsage(servers)
	start := time.Now()
	err = cmd.Run()
	s := sample{wall: time.Since(start), serverCPU: -1}
	if servers != nil {
		s.serverCPU = cpuUsage(servers) - before
	}
	if err != nil {
		b.Fatalf("%s run %d: %v\n%s", tool, round+1, err, tail(out.String(), 40))
	}
	ru, _ := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	s.rssKB = ru.Maxrss
	s.cpu = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	if groupErr == nil {
		s.cpu = cpuUsage(group)
	}
	if os.Getenv("ROTPLAY_BENCH_SHOW") != "" {
		b.Logf("%s run %d output:\n%s", tool, round+1, out.String())
	}
	if err := f.checkRotated(); err != nil {
		b.Fatalf("%s run %d did not rotate the fleet safely: %v\n%s", tool, round+1, err, tail(out.String(), 40))
	}
	return s
}

func cpuUsage(g *cpuGroup) time.Duration {
	if g == nil {
		return 0
	}
	d, _ := g.usage()
	return d
}

// tail is the last n lines of s.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

// checkRotated checks the simulator's verdict (finished, nobody cut off)
// and that every host holds the active token: every ActiveGate token file
// has it, every OneAgent uses it.
func (f *fleet) checkRotated() error {
	v := f.sim.Verdict()
	if !v.Safe || !v.Finished || v.Calls[len(v.Calls)-1] != "finish" {
		return fmt.Errorf("verdict: safe %t, finished %t, calls %q, disconnected %+v", v.Safe, v.Finished, v.Calls, v.Disconnected)
	}
	active, _ := f.sim.Tokens()
	for _, h := range f.hosts {
		if h.kind == oneAgent {
			c, err := fakedt.ReadOneAgentConfig(fakedt.DirFS(h.root))
			if err != nil {
				return err
			}
			if c.TenantToken != active {
				return fmt.Errorf("%s: OneAgent is not on the active token", h.name)
			}
			continue
		}
		for path := range h.files {
			b, err := os.ReadFile(h.real(path))
			if err != nil {
				return err
			}
			if !bytes.Contains(b, []byte(active)) {
				return fmt.Errorf("%s:%s lacks the active token", h.name, path)
			}
		}
	}
	return nil
}
