package vhost

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestPathsStayInsideRoot(t *testing.T) {
	t.Parallel()
	outside := t.TempDir()
	secret := filepath.Join(outside, "secret")
	if err := os.WriteFile(secret, []byte("SECRET"), 0o644); err != nil {
		t.Fatal(err)
	}
	h, err := New("web-1", filepath.Join(outside, "hosts", "web-1"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	th := &testHost{t, h}
	th.write("/etc/passwd", "root:x:0:0:root:/root:/bin/sh\n", 0o644)
	// A symlink planted in the root, pointing at the real file outside.
	if err := os.Symlink(secret, filepath.Join(h.Root(), "evil")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("../../../../../../../../"+secret, filepath.Join(h.Root(), "evil2")); err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{
		"cat ../../../../../../secret", "cat /../../secret", "cat /evil", "cat /evil2",
		"cd ../../../..; cat secret", "cat " + secret, "ln -s " + secret + " /tmp/l; cat /tmp/l",
		"ls " + outside,
	} {
		if r := th.run(line); strings.Contains(r.stdout, "SECRET") || r.code == 0 {
			t.Errorf("%q escaped the root: %+v", line, r)
		}
	}
	th.must("echo x > ../../../../../../secret")
	if th.read("/secret") != "x\n" {
		t.Error("writing to ../../secret did not land in the root")
	}
	if data, _ := os.ReadFile(secret); string(data) != "SECRET" {
		t.Errorf("the file outside was changed: %q", data)
	}
	// Inside the root, .. and absolute symlinks work as in a chroot.
	check(t, "chroot semantics", th.run("cd /tmp && cat ../../../etc/passwd && ln -s /etc/passwd p && cat p"), 0,
		"root:x:0:0:root:/root:/bin/sh\nroot:x:0:0:root:/root:/bin/sh\n", "")
	check(t, "pwd after ..", th.run("cd ../../..; pwd"), 0, "/\n", "")
	check(t, "loop", th.run("ln -s a /tmp/b; ln -s b /tmp/a; cat /tmp/a"), 1, "", "Too many levels of symbolic links")
}

func TestLsFormat(t *testing.T) {
	t.Parallel()
	h := newTestHost(t, Options{})
	h.write("/etc/passwd", "root:x:0:0:root:/root:/bin/sh\ndtuserag:x:998:998::/home/dtuserag:/sbin/nologin\n", 0o644)
	h.write("/etc/group", "root:x:0:\ndtuserag:x:998:\n", 0o644)
	h.write("/opt/f", "12345", 0o640)
	h.must("chown dtuserag:dtuserag /opt/f && mkdir -m 1777 /opt/sticky && touch /opt/.hidden && ln -s f /opt/link")
	h.must("chmod 4755 /opt/f")

	mode, uid, gid, size := lsFields(t, h.must("ls -lnd /opt/f"))
	if mode != "-rwsr-xr-x" || uid != 998 || gid != 998 || size != 5 {
		t.Errorf("ls -lnd: %s %d %d %d", mode, uid, gid, size)
	}
	f := strings.Fields(h.must("ls -ld /opt/f"))
	if f[1] != "1" || f[2] != "dtuserag" || f[3] != "dtuserag" || f[8] != "/opt/f" {
		t.Errorf("ls -ld fields %q", f)
	}
	if got := h.must("ls -lnd /opt/sticky"); !strings.HasPrefix(got, "drwxrwxrwt ") {
		t.Errorf("sticky dir: %q", got)
	}
	if got := h.must("ls -ln /opt/link"); !strings.HasPrefix(got, "lrwxrwxrwx 1 0 0 1 ") || !strings.HasSuffix(got, " /opt/link -> f\n") {
		t.Errorf("symlink: %q", got)
	}
	if got := h.must("ls -lndL /opt/link"); !strings.HasPrefix(got, "-rwsr-xr-x 1 998 998 5 ") {
		t.Errorf("ls -L: %q", got)
	}
	check(t, "ls", h.run("ls /opt"), 0, "f\nlink\nsticky\n", "")
	check(t, "ls -A", h.run("ls -A /opt"), 0, ".hidden\nf\nlink\nsticky\n", "")
	check(t, "ls -a", h.run("cd /opt && ls -a"), 0, ".\n..\n.hidden\nf\nlink\nsticky\n", "")
	check(t, "ls -- -", h.run("ls -d -- /opt /nope"), 2, "/opt\n", "ls: cannot access '/nope': No such file or directory")
	long := h.must("ls -ln /opt")
	if !strings.HasPrefix(long, "total ") || strings.Count(long, "\n") != 4 {
		t.Errorf("ls -ln dir:\n%s", long)
	}
	check(t, "stat", h.run("stat -c '%a %u %g %U %s %F' /opt/f"), 0, "4755 998 998 dtuserag 5 regular file\n", "")
	check(t, "chmod symbolic", h.run("chmod u-s,g+w,o= /opt/f && stat -c %A /opt/f"), 0, "-rwxrwx---\n", "")
	check(t, "chmod 2644", h.run("chmod 2644 /opt/f && ls -ln /opt/f | grep -c '^-rw-r-Sr-- '"), 0, "1\n", "")
}

func TestOwnershipFollowsFiles(t *testing.T) {
	t.Parallel()
	h := newTestHost(t, Options{User: "ops", UID: 1001})
	h.write("/srv/a", "A", 0o644)
	owner := func(p string) string {
		t.Helper()
		f := strings.Fields(h.must("ls -lnd " + p))
		return f[2] + ":" + f[3]
	}
	h.must("sudo chown 998:997 /srv/a")
	if got := owner("/srv/a"); got != "998:997" {
		t.Errorf("after chown: %s", got)
	}
	h.must("sudo mv -f /srv/a /srv/b")
	if got := owner("/srv/b"); got != "998:997" {
		t.Errorf("mv lost the owner: %s", got)
	}
	h.must("sudo cp /srv/b /srv/c && cp /srv/b /tmp/mine && sudo cp -p /srv/b /srv/d")
	if o := owner("/srv/c") + " " + owner("/tmp/mine") + " " + owner("/srv/d"); o != "0:0 1001:1001 998:997" {
		t.Errorf("cp owners: %s", o)
	}
	h.must("sudo rm -f /srv/b && sudo touch /srv/b")
	if got := owner("/srv/b"); got != "0:0" {
		t.Errorf("a new file inherited a removed file's owner: %s", got)
	}
	h.must("sudo mkdir -p /srv/dir/sub && sudo touch /srv/dir/sub/x && sudo chown -R 5:6 /srv/dir && sudo mv /srv/dir /srv/moved")
	if got := owner("/srv/moved/sub/x"); got != "5:6" {
		t.Errorf("mv of a directory lost owners below it: %s", got)
	}
	if uid, gid, err := h.Owner("/srv/moved/sub"); err != nil || uid != 5 || gid != 6 {
		t.Errorf("Owner: %d %d %v", uid, gid, err)
	}
	check(t, "user chown", h.run("touch /tmp/t && chown root /tmp/t"), 1, "", "chown: changing ownership of '/tmp/t': Operation not permitted")
	check(t, "user chmod", h.run("chmod 600 /srv/c"), 1, "", "Operation not permitted")
	check(t, "bad user", h.run("sudo chown nobody /srv/c"), 1, "", "invalid user")
}

func TestUnprivilegedAccess(t *testing.T) {
	t.Parallel()
	h := newTestHost(t, Options{User: "ops", UID: 1001})
	h.write("/var/lib/dynatrace/gateway/config/authorization.properties", "[t]\ntenantToken = X\n", 0o600)
	if err := os.Chmod(filepath.Join(h.Root(), "/var/lib/dynatrace/gateway/config"), 0o700); err != nil {
		t.Fatal(err)
	}
	props := "/var/lib/dynatrace/gateway/config/authorization.properties"
	runTable(t, h, []lineTest{
		{"cat " + props, 1, "", "Permission denied"},
		{"ls /var/lib/dynatrace/gateway/config", 2, "", "Permission denied"},
		{"test -e " + props + " || echo hidden", 0, "hidden\n", ""},
		{"echo x > /etc-new", 1, "", "cannot create /etc-new: Permission denied"},
		{"mkdir /opt2", 1, "", "Permission denied"},
		{"rm -f /root/.profile", 1, "", "rm: cannot remove '/root/.profile': Permission denied"},
		{"sudo cat " + props, 0, "[t]\ntenantToken = X\n", ""},
		{"mkdir -p a/b/c && ls -d a/b/c && rm -r a && ls", 0, "a/b/c\n", ""},
		{"f=$(mktemp) && ls -ln $f | grep -c '^-rw------- 1 1001 1001 0 ' && rm $f", 0, "1\n", ""},
		{"d=$(mktemp -d /tmp/x.XXXX) && ls -lnd $d | grep -c '^drwx------ ' && rmdir $d", 0, "1\n", ""},
		{"mktemp /tmp/bad.X", 1, "", "Too few X's"},
		{"touch f && cp f g && mv g h && ls && rm f h", 0, "f\nh\n", ""},
		{"rm nope", 1, "", "rm: cannot remove 'nope': No such file or directory"},
		{"rm -f nope", 0, "", ""},
		{"mkdir d && rm d", 1, "", "Is a directory"},
		{"mkdir -m 700 e && ls -lnd e | grep -c '^drwx------ '", 0, "1\n", ""},
		{"mkdir e", 1, "", "File exists"},
	})
}
