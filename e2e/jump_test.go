package e2e

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh/knownhosts"
)

// TestRotationThroughJumpHost rotates hosts reachable only as rotplay is
// told through a bastion sshd (ansible_ssh_common_args -o ProxyJump), and
// proves from the bastion's log that every host was reached through it.
func TestRotationThroughJumpHost(t *testing.T) {
	t.Parallel()
	f := startFleet(t, []hostSpec{
		{name: "ag-1", kind: activeGate, login: "root", zremote: true},
		{name: "oa-2", kind: oneAgent, login: sudoUser, become: true},
	})
	bastion := startJumpHost(t, f)
	inv, err := os.ReadFile(f.inventory)
	if err != nil {
		t.Fatal(err)
	}
	jump := fmt.Sprintf("    ansible_ssh_common_args: '-o ProxyJump=root@127.0.0.1:%d'\n", bastion.port)
	inv = []byte(strings.Replace(string(inv), "  vars:\n", "  vars:\n"+jump, 1))
	if err := os.WriteFile(f.inventory, inv, 0o644); err != nil {
		t.Fatal(err)
	}
	if res := f.rotate(t); res.code != 0 {
		t.Fatalf("the rotation through the jump host failed:\n%s", res)
	}
	f.wantVerdict(t, true, "start", "finish")
	log := bastion.logText()
	for _, h := range f.hosts {
		f.wantRotated(t, h)
		// sshd logs each direct-tcpip channel it opens at DEBUG1.
		if want := fmt.Sprintf("target 127.0.0.1 port %d", h.sshd.port); !strings.Contains(log, want) {
			t.Errorf("the bastion's log has no forward to %s (%q): not reached through the jump host", h.name, want)
		}
	}
	if t.Failed() {
		t.Logf("bastion sshd log:\n%s", log)
	}
}

// startJumpHost starts a bastion sshd (root only, TCP forwarding on,
// logging each forward) and adds its host key to the fleet's known_hosts.
func startJumpHost(t *testing.T, f *fleet) *sshd {
	t.Helper()
	dir := filepath.Join(f.dir, "bastion")
	for _, d := range hostDirs {
		if err := os.MkdirAll(filepath.Join(dir, "root", d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	key, err := hostKeyFile(dir)
	if err != nil {
		t.Fatal(err)
	}
	s, err := startSSHD(dir, "root", "LogLevel DEBUG1", "AllowTcpForwarding yes")
	if err != nil {
		t.Fatalf("start the bastion sshd: %v", err)
	}
	t.Cleanup(s.stop)
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(s.port))
	kh, err := os.OpenFile(f.knownHosts, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer kh.Close()
	if _, err := kh.WriteString(knownhosts.Line([]string{knownhosts.Normalize(addr)}, key) + "\n"); err != nil {
		t.Fatal(err)
	}
	return s
}
