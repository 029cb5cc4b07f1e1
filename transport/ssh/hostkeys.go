package ssh

import (
	"crypto/ed25519"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/rotplay/rotplay/internal/shquote"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

// hostKeys checks the key a host offers against known_hosts, for one dial.
type hostKeys struct {
	h         *host
	db        ssh.HostKeyCallback // nil when no known_hosts file exists
	plain     *plainIndex         // db's entries by address, when it allows
	known     []knownhosts.KnownKey
	appendTo  string // where AcceptNewHostKeys records keys
	acceptNew bool
	d         *dialer

	// failure is why the key was refused: the handshake error only says
	// that the callback failed.
	failure error
}

// hostKeys loads the known_hosts files that apply to h.
func (d *dialer) hostKeys(h *host) (*hostKeys, error) {
	files, err := d.knownHostsFiles()
	if err != nil {
		return nil, err
	}
	k := &hostKeys{h: h, appendTo: files[0], acceptNew: h.acceptNew, d: d}
	if h.recordTo != "" {
		k.appendTo = h.recordTo
	}
	files = append(files, h.knownHosts...)
	var existing []string
	for _, f := range files {
		if _, err := os.Stat(f); err == nil {
			existing = append(existing, f)
		}
	}
	if len(existing) > 0 {
		if k.db, k.plain, err = d.knownHostsDB(existing); err != nil {
			return nil, fmt.Errorf("read known_hosts: %w", err)
		}
		k.known = k.lookup()
	}
	return k, nil
}

// knownDB is a parsed set of known_hosts files and the sizes and times
// they had when parsed.
type knownDB struct {
	cb    ssh.HostKeyCallback
	plain *plainIndex
	stamp string
}

// knownHostsDB parses the files once for all the hosts that share them
// (the callback is read-only, safe for concurrent use), again only when a
// file changed (accept-new appended to it). Parsing per host cost a fleet
// of N hosts sharing one file N parses of N lines, kept in memory by every
// connection.
func (d *dialer) knownHostsDB(files []string) (ssh.HostKeyCallback, *plainIndex, error) {
	key, stamp := strings.Join(files, "\x00"), fileStamps(files)
	d.dbMu.Lock()
	defer d.dbMu.Unlock()
	if c, ok := d.dbs[key]; ok && c.stamp == stamp {
		return c.cb, c.plain, nil
	}
	cb, err := knownhosts.New(files...)
	if err != nil {
		return nil, nil, err
	}
	if d.dbs == nil {
		d.dbs = map[string]knownDB{}
	}
	plain := indexPlain(files)
	d.dbs[key] = knownDB{cb: cb, plain: plain, stamp: stamp}
	return cb, plain, nil
}

func fileStamps(files []string) string {
	var b strings.Builder
	for _, f := range files {
		if fi, err := os.Stat(f); err == nil {
			fmt.Fprintf(&b, "%d:%d;", fi.Size(), fi.ModTime().UnixNano())
		}
	}
	return b.String()
}

// knownHostsFiles returns the configured files, ~ expanded.
func (d *dialer) knownHostsFiles() ([]string, error) {
	files := d.opts.KnownHostsFiles
	if len(files) == 0 {
		files = []string{"~/.ssh/known_hosts"}
	}
	out := make([]string, len(files))
	for i, f := range files {
		p, err := d.expandHome(f)
		if err != nil {
			return nil, err
		}
		out[i] = p
	}
	return out, nil
}

// probeKey is a key no host has: checking it lists the keys known for a
// host without needing the real one.
var probeKey, _ = ssh.NewPublicKey(ed25519.PublicKey(make([]byte, ed25519.PublicKeySize)))

// lookup returns the keys recorded for the host, of every type.
func (k *hostKeys) lookup() []knownhosts.KnownKey {
	var keyErr *knownhosts.KeyError
	if err := k.checkDB(k.h.addr, dummyAddr, probeKey); errors.As(err, &keyErr) {
		return keyErr.Want
	}
	return nil
}

var dummyAddr = &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 22}

// algorithms returns the host key algorithms to ask for: those of the
// recorded keys, so that a host with an ed25519 key recorded is not taken
// for a changed host when it would rather offer ECDSA. nil (the library's
// default) for an unknown host.
func (k *hostKeys) algorithms() []string {
	var algos []string
	for _, kk := range k.known {
		add := []string{kk.Key.Type()}
		if add[0] == ssh.KeyAlgoRSA {
			add = []string{ssh.KeyAlgoRSASHA512, ssh.KeyAlgoRSASHA256, ssh.KeyAlgoRSA}
		}
		for _, a := range add {
			if !slices.Contains(algos, a) {
				algos = append(algos, a)
			}
		}
	}
	return algos
}

// checkDB is k.db, answered from k.plain when there is one.
func (k *hostKeys) checkDB(hostname string, remote net.Addr, key ssh.PublicKey) error {
	if answered, err := k.plain.check(hostname, key); answered {
		return err
	}
	return k.db(hostname, remote, key)
}

// check is the ssh.HostKeyCallback.
func (k *hostKeys) check(hostname string, remote net.Addr, key ssh.PublicKey) error {
	var err error = &knownhosts.KeyError{}
	if k.db != nil {
		err = k.checkDB(hostname, remote, key)
	}
	var keyErr *knownhosts.KeyError
	var revoked *knownhosts.RevokedError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &revoked):
		k.failure = fmt.Errorf("host key of %s (%s) is revoked by %s:%d; do not connect until it is replaced",
			k.h.name, k.h.addr, revoked.Revoked.Filename, revoked.Revoked.Line)
	case errors.As(err, &keyErr) && len(keyErr.Want) > 0:
		k.failure = k.changed(key, keyErr.Want[0])
	case errors.As(err, &keyErr) && k.acceptNew:
		k.failure = k.record(key)
	case errors.As(err, &keyErr):
		k.failure = k.unknown(key)
	default:
		k.failure = fmt.Errorf("check host key of %s: %w", k.h.name, err)
	}
	return k.failure
}

func (k *hostKeys) unknown(key ssh.PublicKey) error {
	return fmt.Errorf("host key of %s (%s) is unknown: %s %s; verify the fingerprint, then add it with "+
		"`ssh-keyscan -p %d %s >> %s`, or rerun with --accept-new-host-keys",
		k.h.name, k.h.addr, key.Type(), ssh.FingerprintSHA256(key),
		k.h.port, k.h.hostname, k.d.displayPath(k.appendTo))
}

func (k *hostKeys) changed(key ssh.PublicKey, want knownhosts.KnownKey) error {
	return fmt.Errorf("host key of %s (%s) has CHANGED: it offered %s %s, but %s:%d records %s %s for it. "+
		"This may be an attack (someone intercepting the connection), or the host was reinstalled: "+
		"check the new fingerprint with its administrator, then remove the old entry with `ssh-keygen -R %s -f %s` "+
		"and add the new one",
		k.h.name, k.h.addr, key.Type(), ssh.FingerprintSHA256(key),
		want.Filename, want.Line, want.Key.Type(), ssh.FingerprintSHA256(want.Key),
		shquote.Word(knownhosts.Normalize(k.h.addr)), want.Filename)
}

// changedAlgorithm explains a handshake that found no host key of a type
// recorded for the host: to the user this is a changed key.
func (k *hostKeys) changedAlgorithm() error {
	want := k.known[0]
	return fmt.Errorf("host key of %s (%s) has CHANGED: it offers no key of the types recorded for it (%s:%d has %s %s). "+
		"This may be an attack, or the host was reinstalled: check with its administrator before replacing the entry",
		k.h.name, k.h.addr, want.Filename, want.Line, want.Key.Type(), ssh.FingerprintSHA256(want.Key))
}

// record appends key to the first known_hosts file, as accept-new does.
// Concurrent dials append whole lines, one write each, under d.mu.
func (k *hostKeys) record(key ssh.PublicKey) error {
	line := knownhosts.Line([]string{knownhosts.Normalize(k.h.addr)}, key) + "\n"
	k.d.mu.Lock()
	defer k.d.mu.Unlock()
	if err := os.MkdirAll(filepath.Dir(k.appendTo), 0o700); err != nil {
		return fmt.Errorf("record host key of %s: %w", k.h.name, err)
	}
	f, err := os.OpenFile(k.appendTo, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("record host key of %s: %w", k.h.name, err)
	}
	_, err = f.WriteString(line)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("record host key of %s in %s: %w", k.h.name, k.appendTo, err)
	}
	return nil
}

// displayPath abbreviates a path under the home directory as ~/...
func (d *dialer) displayPath(p string) string {
	home, err := d.env.home()
	if err != nil || home == "" {
		return p
	}
	if rel, err := filepath.Rel(home, p); err == nil && filepath.IsLocal(rel) {
		return "~/" + filepath.ToSlash(rel)
	}
	return p
}
