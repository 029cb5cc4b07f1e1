package inventory

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/rotplay/rotplay/diag"
)

// This file reads the group_vars and host_vars directories next to an
// inventory file, as Ansible's host_group_vars plugin does. Where their
// vars rank is decided in hostVars.

// varsExts are the names tried for an entity NAME, in order: the first
// that exists is used, as in Ansible; NAME may be a file or a directory.
var varsExts = []string{"", ".yml", ".yaml", ".json"}

// varsDirs reads dir/group_vars and dir/host_vars for every group and host
// the inventory defines. Files for other names are never looked at, so a
// file for a group or host that does not exist is ignored, as in Ansible.
func (b *builder) varsDirs(dir string) {
	for _, name := range slices.Sorted(maps.Keys(b.groups)) {
		b.groups[name].fileVars = b.varsFor(filepath.Join(dir, "group_vars"), name, "group "+strconv.Quote(name))
	}
	for _, h := range b.hosts {
		h.fileVars = b.varsFor(filepath.Join(dir, "host_vars"), h.name, "host "+strconv.Quote(h.name))
	}
}

// varsFor returns the vars dir gives the entity name, or nil if none.
func (b *builder) varsFor(dir, name, owner string) map[string]any {
	if name == "." || name == ".." || strings.ContainsAny(name, `/\`) {
		return nil // such a name would read files outside dir
	}
	for _, ext := range varsExts {
		path := filepath.Join(dir, name+ext)
		info, err := os.Stat(path)
		if err != nil {
			if errors.Is(err, fs.ErrPermission) {
				b.errs.Addf(diag.Pos{File: path}, "cannot read vars: %v", err).
					WithHint("make it readable, or remove it")
			}
			continue
		}
		files := []string{path}
		if info.IsDir() {
			files = b.varsDirFiles(path)
		}
		out := map[string]any{}
		for _, f := range files {
			maps.Copy(out, b.varsFile(f, owner))
		}
		return out
	}
	return nil
}

// varsDirFiles lists the vars files under dir in lexical order, going into
// subdirectories where they sort, as Ansible does. Hidden files, backups
// ending in "~" and files with an extension other than .yml, .yaml or
// .json are skipped.
func (b *builder) varsDirFiles(dir string) []string {
	entries, err := os.ReadDir(dir) // sorted by name
	if err != nil {
		b.errs.Addf(diag.Pos{File: dir}, "cannot read vars directory: %v", err).
			WithHint("make it readable, or remove it")
		return nil
	}
	var files []string
	for _, e := range entries {
		name, path := e.Name(), filepath.Join(dir, e.Name())
		ext := filepath.Ext(name)
		switch {
		case strings.HasPrefix(name, ".") || strings.HasSuffix(name, "~"):
		case e.IsDir() && ext == "":
			files = append(files, b.varsDirFiles(path)...)
		case !e.IsDir() && slices.Contains(varsExts, ext):
			files = append(files, path)
		}
	}
	return files
}

// varsFile reads one vars file: a YAML (or JSON) mapping, or nothing.
func (b *builder) varsFile(path, owner string) map[string]any {
	data, err := os.ReadFile(path)
	if err != nil {
		b.errs.Addf(diag.Pos{File: path}, "cannot read vars: %v", err).
			WithHint("make it readable, or remove it")
		return nil
	}
	if bytes.HasPrefix(data, []byte("$ANSIBLE_VAULT")) {
		b.errs.Addf(diag.Pos{File: path, Line: 1, Col: 1}, "vars file is encrypted with ansible-vault, which rotplay cannot read").
			WithHint("decrypt it, or move the secrets out of the inventory")
		return nil
	}
	root, err := parseYAML(path, data)
	if err != nil {
		b.errs.Add(diag.Pos{File: path}, err)
		return nil
	}
	fb := &builder{file: path}
	vars := fb.vars(root, fmt.Sprintf("vars file for %s", owner))
	b.errs = append(b.errs, fb.errs...)
	return vars
}
