package e2e

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"golang.org/x/crypto/ssh"
)

const sshdPath = "/usr/sbin/sshd"

// tmpfsDirs are covered with an empty tmpfs in each host's mount namespace:
// nothing sshd, sudo or sh needs lives there, and what the host needs
// (hostDirs, the fake tools, sshd's privilege separation directory) is put
// back on top. /root is covered so that root logs in to an empty home, as
// on a fresh server: this machine's own root has shell start-up files
// (pyenv, cargo) that cost every SSH session ~80 ms, which no fleet host
// has and which would dwarf what is measured.
var tmpfsDirs = []string{"/opt", "/var/lib", "/var/log", "/run", "/usr/local/bin", "/root"}

// hostDirs are bind-mounted from the host's root directory onto the same
// path, so the files a test lays out and inspects are the host's own.
var hostDirs = []string{"/opt/dynatrace", "/var/lib/dynatrace", "/var/log/dynatrace", "/run/rotplay-lab", hostConfigMountPoint}

// namespaceScript is what runs as root in a host's new mount namespace: it
// covers tmpfsDirs, binds hostDirs from the host's root directory ($1),
// links the fake systemctl and service to fakedt ($2) in /usr/local/bin
// (first on sshd's and sudo's PATH) and becomes sshd with the configuration
// $3. /etc/rotplay-lab is the only mount point outside a tmpfs.
func namespaceScript() string {
	return fmt.Sprintf(`set -e
root=$1 fakedt=$2 config=$3
for d in %s; do mount -t tmpfs -o mode=0755 rotplay-e2e "$d"; done
mkdir -m 0755 /run/sshd
for d in %s; do mkdir -p "$d"; mount --bind "$root$d" "$d"; done
ln -s "$fakedt" /usr/local/bin/systemctl
ln -s "$fakedt" /usr/local/bin/service
exec %s -D -e -f "$config"
`, strings.Join(tmpfsDirs, " "), strings.Join(hostDirs, " "), sshdPath)
}

// sshd is one OpenSSH server in its own mount and PID namespaces: when it
// dies, every session and command it started dies with it.
type sshd struct {
	port int
	log  string // sshd's stderr
	cmd  *exec.Cmd
	done chan struct{} // closed when the process has exited
	once sync.Once
}

// hostKeyFile writes a new ed25519 host key into dir and returns its
// public half.
func hostKeyFile(dir string) (ssh.PublicKey, error) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	block, err := ssh.MarshalPrivateKey(priv, "rotplay e2e host")
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, "ssh_host_ed25519_key"), pem.EncodeToMemory(block), 0o600); err != nil {
		return nil, err
	}
	return ssh.NewPublicKey(pub)
}

// startSSHD starts sshd for the host laid out in dir (its root in
// dir/root), letting only login in; extra are sshd_config lines that win
// over the defaults. A port taken between choosing and binding it is
// retried with another (up to 10 times: 500 hosts start at once, next to
// whatever else uses loopback ports).
func startSSHD(dir, login string, extra ...string) (*sshd, error) {
	var err error
	for range 10 {
		var s *sshd
		if s, err = trySSHD(dir, login, extra); err == nil {
			return s, nil
		}
		if !strings.Contains(err.Error(), "Address already in use") {
			return nil, err
		}
	}
	return nil, err
}

func trySSHD(dir, login string, extra []string) (*sshd, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	config := filepath.Join(dir, "sshd_config")
	if err := os.WriteFile(config, []byte(sshdConfig(dir, port, login, extra)), 0o600); err != nil {
		return nil, err
	}
	s := &sshd{port: port, log: filepath.Join(dir, "sshd.log"), done: make(chan struct{})}
	if err := s.start(dir, config); err != nil {
		return nil, err
	}
	if err := s.waitReady(filepath.Join(dir, "sshd.pid")); err != nil {
		s.stop()
		return nil, err
	}
	return s, nil
}

// sshdConfig is a minimal server: keys only, loopback only, one user.
// StrictModes is off because the files live under /tmp. extra come first:
// sshd keeps the first value of a keyword.
func sshdConfig(dir string, port int, login string, extra []string) string {
	return strings.Join(append(extra,
		fmt.Sprintf("Port %d", port),
		"ListenAddress 127.0.0.1",
		"HostKey "+filepath.Join(dir, "ssh_host_ed25519_key"),
		"PidFile "+filepath.Join(dir, "sshd.pid"),
		"AuthorizedKeysFile "+suite.authorizedKeys,
		"AllowUsers "+login,
		"StrictModes no",
		"UsePAM no",
		"PasswordAuthentication no",
		"KbdInteractiveAuthentication no",
		"PermitRootLogin prohibit-password",
		"PrintMotd no",
		"PrintLastLog no",
		"LogLevel ERROR",
		"",
	), "\n")
}

// start launches unshare in a process group of its own; --kill-child makes
// sshd (PID 1 of the new PID namespace) die with it.
func (s *sshd) start(dir, config string) error {
	logFile, err := os.Create(s.log)
	if err != nil {
		return err
	}
	defer logFile.Close() // the child has its own descriptor
	s.cmd = exec.Command("unshare", "--mount", "--propagation", "private", "--pid", "--fork", "--kill-child", "--",
		"sh", "-c", namespaceScript(), "sh", filepath.Join(dir, "root"), suite.fakedt, config)
	s.cmd.Stdout, s.cmd.Stderr = logFile, logFile
	s.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := s.cmd.Start(); err != nil {
		return err
	}
	go func() {
		s.cmd.Wait()
		close(s.done)
	}()
	return nil
}

// waitReady waits for the pid file, which sshd writes once it listens.
func (s *sshd) waitReady(pidFile string) error {
	deadline := time.After(15 * time.Second)
	for {
		if b, err := os.ReadFile(pidFile); err == nil && len(b) > 0 {
			return nil
		}
		select {
		case <-s.done:
			return fmt.Errorf("sshd exited before listening on port %d: %s", s.port, s.logText())
		case <-deadline:
			return fmt.Errorf("sshd did not listen on port %d within 15s: %s", s.port, s.logText())
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// stop kills the whole process group and waits for it; idempotent.
func (s *sshd) stop() {
	s.once.Do(func() {
		syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
		<-s.done
	})
}

func (s *sshd) logText() string {
	b, err := os.ReadFile(s.log)
	if err != nil {
		return err.Error()
	}
	return strings.TrimSpace(string(b))
}

// freePort returns a loopback port that was free a moment ago.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	addr, ok := ln.Addr().(*net.TCPAddr)
	if !ok {
		return 0, errors.New("not a TCP address")
	}
	return addr.Port, nil
}
