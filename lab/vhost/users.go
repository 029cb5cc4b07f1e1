package vhost

import (
	"os"
	"strconv"
	"strings"
)

// cred is who a command runs as.
type cred struct {
	uid, gid int
	user     string
	home     string
}

var rootCred = cred{uid: 0, gid: 0, user: "root", home: "/root"}

// account is one entry of the host's user database.
type account struct {
	name     string
	uid, gid int
	home     string
}

func (a account) cred() cred { return cred{uid: a.uid, gid: a.gid, user: a.name, home: a.home} }

// login returns the host's login account.
func (h *Host) login() account {
	if h.opts.UID == 0 {
		return account{"root", 0, 0, "/root"}
	}
	return account{h.opts.User, h.opts.UID, h.opts.UID, "/home/" + h.opts.User}
}

// credFor returns the credentials of a session for user name ("" is the
// login user).
func (h *Host) credFor(name string) (cred, bool) {
	if name == "" {
		return h.login().cred(), true
	}
	a, ok := h.userDB().user(name)
	return a.cred(), ok
}

// userDB is the host's users and groups: root, the login user, and what
// the lab wrote into the root's /etc/passwd and /etc/group (for example
// dtuserag), so names in ls and chown resolve as on a real host.
type userDB struct {
	users  []account
	groups map[string]int
}

// userDB reads the database afresh: the lab may add users at any time,
// and a command needs it rarely (ls -l, chown by name, sudo -u).
func (h *Host) userDB() *userDB {
	db := &userDB{users: []account{{"root", 0, 0, "/root"}}, groups: map[string]int{"root": 0}}
	if l := h.login(); l.uid != 0 {
		db.users = append(db.users, l)
		db.groups[l.name] = l.gid
	}
	for _, f := range readColonFile(h.realPath("/etc/passwd"), 6) {
		uid, err1 := strconv.Atoi(f[2])
		gid, err2 := strconv.Atoi(f[3])
		if _, dup := db.user(f[0]); !dup && err1 == nil && err2 == nil {
			db.users = append(db.users, account{f[0], uid, gid, f[5]})
		}
	}
	for _, f := range readColonFile(h.realPath("/etc/group"), 3) {
		if gid, err := strconv.Atoi(f[2]); err == nil {
			if _, dup := db.groups[f[0]]; !dup {
				db.groups[f[0]] = gid
			}
		}
	}
	return db
}

// readColonFile returns the lines of a passwd-style file with at least n
// fields; a missing file is empty.
func readColonFile(realPath string, n int) [][]string {
	data, err := os.ReadFile(realPath)
	if err != nil {
		return nil
	}
	var out [][]string
	for line := range strings.Lines(string(data)) {
		if f := strings.Split(strings.TrimSpace(line), ":"); len(f) >= n {
			out = append(out, f)
		}
	}
	return out
}

func (db *userDB) user(name string) (account, bool) {
	for _, a := range db.users {
		if a.name == name {
			return a, true
		}
	}
	return account{}, false
}

func (db *userDB) byUID(uid int) (account, bool) {
	for _, a := range db.users {
		if a.uid == uid {
			return a, true
		}
	}
	return account{}, false
}

// userName is uid's name, or the number when it has none.
func (db *userDB) userName(uid int) string {
	if a, ok := db.byUID(uid); ok {
		return a.name
	}
	return strconv.Itoa(uid)
}

// groupName is gid's name, or the number when it has none.
func (db *userDB) groupName(gid int) string {
	for name, id := range db.groups {
		if id == gid {
			return name
		}
	}
	return strconv.Itoa(gid)
}

// parseUser resolves a user name or number.
func (db *userDB) parseUser(s string) (int, bool) {
	if a, ok := db.user(s); ok {
		return a.uid, true
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && n >= 0
}

// parseGroup resolves a group name or number.
func (db *userDB) parseGroup(s string) (int, bool) {
	if id, ok := db.groups[s]; ok {
		return id, true
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && n >= 0
}
