package winhost

import (
	"fmt"
	"os"
)

// Path returns where the file at the absolute Windows path p lives on the
// real disk, matching existing names case-insensitively.
func (h *Host) Path(p string) (string, error) {
	wp, err := parseAbs(p)
	if err != nil {
		return "", err
	}
	return h.local(wp), nil
}

// MkdirAll creates the directory p and its parents, like New-Item -Force.
func (h *Host) MkdirAll(p string) error {
	wp, err := parseAbs(p)
	if err != nil {
		return err
	}
	// One component at a time, so that each existing one is matched
	// case-insensitively.
	for i := 0; i <= len(wp.parts); i++ {
		if err := os.Mkdir(h.local(winPath{wp.drive, wp.parts[:i]}), 0o755); err != nil && !os.IsExist(err) {
			return fmt.Errorf("winhost: mkdir %s: %w", p, err)
		}
	}
	return nil
}

// WriteFile writes a file for a test or the lab, creating its parent
// directories. A new file gets its directory's inherited ACL, as files
// created on Windows do; an existing one keeps its ACL.
func (h *Host) WriteFile(p string, data []byte) error {
	wp, err := parseAbs(p)
	if err != nil {
		return err
	}
	if err := h.MkdirAll(wp.dir().String()); err != nil {
		return err
	}
	local := h.local(wp)
	_, statErr := os.Stat(local)
	if err := os.WriteFile(local, data, 0o644); err != nil {
		return fmt.Errorf("winhost: write %s: %w", p, err)
	}
	if os.IsNotExist(statErr) {
		h.inheritACL(wp)
	}
	return nil
}

// ReadFile reads a file of the host.
func (h *Host) ReadFile(p string) ([]byte, error) {
	wp, err := parseAbs(p)
	if err != nil {
		return nil, err
	}
	return os.ReadFile(h.local(wp))
}

// SetACL sets the ACL of the file or directory p. ACLs are opaque strings
// here (an SDDL string, say): what matters is that rotplay's writes keep
// them. Files created in a directory later inherit its ACL.
func (h *Host) SetACL(p, acl string) error {
	wp, err := parseAbs(p)
	if err != nil {
		return err
	}
	if _, err := os.Stat(h.local(wp)); err != nil {
		return fmt.Errorf("winhost: set ACL of %s: %w", p, err)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.acls[wp.key()] = acl
	return nil
}

// ACL returns the ACL of p: set with SetACL, inherited when the file was
// created, or "" when none applies.
func (h *Host) ACL(p string) (string, error) {
	wp, err := parseAbs(p)
	if err != nil {
		return "", err
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.acls[wp.key()], nil
}

// inheritACL gives the new file p the ACL of its nearest ancestor that has
// one, as Windows copies inheritable entries at creation.
func (h *Host) inheritACL(p winPath) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for d := p.dir(); ; d = d.dir() {
		if acl, ok := h.acls[d.key()]; ok {
			h.acls[p.key()] = acl
			return
		}
		if len(d.parts) == 0 {
			return
		}
	}
}

// swap puts the finished temporary file tmp in place of target, with the
// ACL semantics of the two .NET calls the write script uses:
// [IO.File]::Replace (replace true: target must exist and keeps its ACL)
// and [IO.File]::Move (target must not exist, and gets tmp's ACL). It
// runs under h.mu so that no one sees the file with the wrong ACL.
func (h *Host) swap(tmp, target winPath, replace bool) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	from, to := h.local(tmp), h.local(target)
	if replace {
		if _, err := os.Stat(to); err != nil {
			return err // Replace needs the file it replaces
		}
		if err := os.Rename(from, to); err != nil {
			return err
		}
		delete(h.acls, tmp.key())
		return nil
	}
	// Link, then remove: unlike rename, it fails when target exists, as
	// Move does.
	if err := os.Link(from, to); err != nil {
		return err
	}
	_ = os.Remove(from)
	if acl, ok := h.acls[tmp.key()]; ok {
		h.acls[target.key()] = acl
	}
	delete(h.acls, tmp.key())
	return nil
}

// remove deletes the file p and forgets its ACL; a missing file is fine.
func (h *Host) remove(p winPath) {
	h.mu.Lock()
	defer h.mu.Unlock()
	_ = os.Remove(h.local(p))
	delete(h.acls, p.key())
}
