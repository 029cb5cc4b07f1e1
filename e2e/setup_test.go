package e2e

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sync"

	"golang.org/x/crypto/ssh"
)

// Users and files the suite adds to this machine, and removes again.
const (
	// sudoUser logs in to the become hosts and may sudo without a password.
	sudoUser = "rotplay-e2e"
	// noSudoUser logs in like sudoUser but has no sudo rights at all.
	noSudoUser = "rotplay-e2e-nosudo"
	// agentUser owns the ActiveGate's authorization.properties, as the
	// ActiveGate installer's dtuserag does.
	agentUser = "dtuserag"
	// sudoersDropIn gives sudoUser passwordless sudo.
	sudoersDropIn = "/etc/sudoers.d/rotplay-e2e"
	// hostConfigMountPoint is the one directory that cannot be a tmpfs:
	// /etc must stay the machine's (passwd, sudoers), so each host binds
	// its own /etc/rotplay-lab onto this empty directory.
	hostConfigMountPoint = "/etc/rotplay-lab"
)

// setUp builds the binaries, writes the login key and adds the users, the
// sudoers rule and the mount point; every change is pushed onto undo.
func setUp(undo *teardown) error {
	var err error
	if suite.repoRoot, err = filepath.Abs(".."); err != nil {
		return err
	}
	if suite.dir, err = os.MkdirTemp("", "rotplay-e2e-"); err != nil {
		return err
	}
	undo.add(func() error { return os.RemoveAll(suite.dir) })
	// Non-root users read the authorized keys here, as themselves.
	if err := os.Chmod(suite.dir, 0o755); err != nil {
		return err
	}
	steps := []func(*teardown) error{buildBinaries, writeClientKey, addUsers, addSudoersRule, addMountPoint}
	for _, step := range steps {
		if err := step(undo); err != nil {
			return err
		}
	}
	return nil
}

// buildBinaries builds rotplay, fakedt and the benchmark's floor at once. rotplay gets -race when
// the tests have it, so the race detector watches the real binary too.
func buildBinaries(*teardown) error {
	suite.rotplay = filepath.Join(suite.dir, "rotplay")
	suite.fakedt = filepath.Join(suite.dir, "fakedt")
	suite.floor = filepath.Join(suite.dir, "floor")
	rotplayArgs := []string{"build", "-o", suite.rotplay}
	if raceEnabled {
		rotplayArgs = append(rotplayArgs, "-race")
	}
	builds := [][]string{
		append(rotplayArgs, "./cmd/rotplay"),
		{"build", "-o", suite.fakedt, "./lab/fakedt/cmd/fakedt"},
		{"build", "-o", suite.floor, "./bench/floor"},
	}
	errs := make([]error, len(builds))
	var wg sync.WaitGroup
	for i, args := range builds {
		wg.Go(func() {
			cmd := exec.Command("go", args...)
			cmd.Dir = suite.repoRoot
			if out, err := cmd.CombinedOutput(); err != nil {
				errs[i] = fmt.Errorf("go %v: %w\n%s", args, err, out)
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// writeClientKey writes the ed25519 key rotplay logs in with, and the
// authorized_keys file every sshd of the suite accepts it from.
func writeClientKey(*teardown) error {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return err
	}
	block, err := ssh.MarshalPrivateKey(priv, "rotplay e2e client")
	if err != nil {
		return err
	}
	signer, err := ssh.NewSignerFromKey(priv)
	if err != nil {
		return err
	}
	suite.clientKey = filepath.Join(suite.dir, "id_ed25519")
	suite.authorizedKeys = filepath.Join(suite.dir, "authorized_keys")
	if err := os.WriteFile(suite.clientKey, pem.EncodeToMemory(block), 0o600); err != nil {
		return err
	}
	return os.WriteFile(suite.authorizedKeys, ssh.MarshalAuthorizedKey(signer.PublicKey()), 0o644)
}

// addUsers creates the users the suite needs that do not exist yet, and
// removes exactly those at the end. Login users get the password "*": no
// password works, but unlike useradd's default "!" the account is not
// locked, which sshd without PAM would refuse even for key logins.
func addUsers(undo *teardown) error {
	users := []struct {
		name string
		args []string
	}{
		{agentUser, []string{"--system", "--user-group", "--no-create-home", "--shell", "/usr/sbin/nologin"}},
		{sudoUser, []string{"--create-home", "--password", "*", "--shell", "/bin/sh"}},
		{noSudoUser, []string{"--create-home", "--password", "*", "--shell", "/bin/sh"}},
	}
	for _, u := range users {
		if _, err := user.Lookup(u.name); err == nil {
			continue
		}
		if err := command("useradd", append(u.args, u.name)...); err != nil {
			return err
		}
		undo.add(func() error { return command("userdel", "--remove", u.name) })
	}
	return nil
}

// addSudoersRule gives sudoUser passwordless sudo (and noSudoUser nothing).
func addSudoersRule(undo *teardown) error {
	rule := sudoUser + " ALL=(ALL) NOPASSWD: ALL\n"
	if err := os.WriteFile(sudoersDropIn, []byte(rule), 0o440); err != nil {
		return err
	}
	undo.add(func() error { return os.Remove(sudoersDropIn) })
	return os.Chmod(sudoersDropIn, 0o440) // whatever the umask did
}

// addMountPoint creates hostConfigMountPoint when it is missing.
func addMountPoint(undo *teardown) error {
	err := os.Mkdir(hostConfigMountPoint, 0o755)
	if errors.Is(err, fs.ErrExist) {
		return nil
	}
	if err != nil {
		return err
	}
	undo.add(func() error { return os.Remove(hostConfigMountPoint) })
	return nil
}

// command runs name with args and returns its output in the error.
func command(name string, args ...string) error {
	if out, err := exec.Command(name, args...).CombinedOutput(); err != nil {
		return fmt.Errorf("%s %v: %w: %s", name, args, err, out)
	}
	return nil
}
