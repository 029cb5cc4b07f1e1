package ssh

import (
	"bufio"
	"bytes"
	"net"
	"os"
	"slices"
	"strings"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

// plainIndex is the entries of known_hosts files by address, for files
// whose every entry names its hosts plainly: no marker (@revoked,
// @cert-authority), no hashed name, no wildcard or negation. For such
// files it answers as knownhosts does, without a scan of every line per
// check: a fleet of N hosts sharing one file made each dial cost O(N),
// the run O(N²).
type plainIndex struct {
	keys map[hostAddr][]knownhosts.KnownKey // in file and line order
}

type hostAddr struct{ host, port string }

// indexPlain indexes files, already parsed by knownhosts.New; nil when
// some entry is not plain or a file cannot be read again.
func indexPlain(files []string) *plainIndex {
	x := &plainIndex{keys: map[hostAddr][]knownhosts.KnownKey{}}
	for _, f := range files {
		if !x.add(f) {
			return nil
		}
	}
	return x
}

// add indexes one file as knownhosts reads it; false when it cannot.
func (x *plainIndex) add(file string) bool {
	data, err := os.ReadFile(file)
	if err != nil {
		return false
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, len(data)+1)
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		marker, hosts, key, _, _, err := ssh.ParseKnownHosts(line)
		if err != nil || marker != "" {
			return false
		}
		kk := knownhosts.KnownKey{Key: key, Filename: file, Line: n}
		var added []hostAddr
		for _, p := range hosts {
			if p == "" {
				continue
			}
			if strings.ContainsAny(p, "*?!|") {
				return false
			}
			a, ok := patternAddr(p)
			if !ok {
				return false
			}
			if !slices.Contains(added, a) { // one entry per line, as knownhosts
				added = append(added, a)
				x.keys[a] = append(x.keys[a], kk)
			}
		}
	}
	return sc.Err() == nil
}

// patternAddr reads a plain host pattern as knownhosts does: [host]:port,
// host:port, or a host on port 22.
func patternAddr(p string) (hostAddr, bool) {
	h, port, err := net.SplitHostPort(p)
	if err != nil {
		if p[0] == '[' {
			return hostAddr{}, false
		}
		return hostAddr{p, "22"}, true
	}
	return hostAddr{h, port}, true
}

// check answers the knownhosts callback for address and key: nil when an
// entry for address has key, a *knownhosts.KeyError listing the address's
// keys otherwise. answered is false when the index cannot answer (no
// index, no address, a certificate) and knownhosts must.
func (x *plainIndex) check(address string, key ssh.PublicKey) (answered bool, err error) {
	if x == nil || address == "" {
		return false, nil
	}
	if _, cert := key.(*ssh.Certificate); cert {
		return false, nil
	}
	h, port, serr := net.SplitHostPort(address)
	if serr != nil {
		return false, nil
	}
	want := x.keys[hostAddr{h, port}]
	blob := key.Marshal()
	for _, k := range want {
		if bytes.Equal(k.Key.Marshal(), blob) {
			return true, nil
		}
	}
	return true, &knownhosts.KeyError{Want: slices.Clone(want)}
}
