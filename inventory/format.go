package inventory

import (
	"bytes"
	"path/filepath"
	"regexp"
	"strings"
)

// isINI reports whether an inventory is in Ansible's INI format rather
// than YAML. The extension decides when it is .ini, .yml, .yaml or .json.
// Otherwise the first line that is not blank or a comment decides: a
// section header ("[web]") or a host line ("ag-1 ansible_port=2222", or a
// bare name) is INI; anything that starts a YAML mapping ("all:") is not.
func isINI(file string, data []byte) bool {
	switch strings.ToLower(filepath.Ext(file)) {
	case ".ini":
		return true
	case ".yml", ".yaml", ".json":
		return false
	}
	for line := range bytes.Lines(data) {
		t := strings.TrimSpace(string(line))
		if t == "" || t[0] == '#' || t[0] == ';' {
			continue
		}
		return looksINI(t)
	}
	return false
}

// iniHeader matches an INI section header as Ansible reads it: a group
// name without ":", "]" or whitespace, an optional ":suffix", and an
// optional "#" comment.
var iniHeader = regexp.MustCompile(`^\[([^:\]\s]+)(?::(\w+))?\]\s*(?:#.*)?$`)

// looksINI tells INI from YAML by the first significant line t.
func looksINI(t string) bool {
	if iniHeader.MatchString(t) || isBadHeader(t) {
		return true
	}
	if strings.ContainsAny(t[:1], "-{[\"'%&*!|>") {
		return false // YAML: a list, flow, quoted key, directive, anchor, tag or block
	}
	return !strings.Contains(t, ": ") && !strings.HasSuffix(t, ":")
}

// isBadHeader reports whether t is meant as a section header but is not a
// valid one, such as "[web servers]". A YAML flow list has commas.
func isBadHeader(t string) bool {
	return strings.HasPrefix(t, "[") && strings.HasSuffix(t, "]") && !strings.Contains(t, ",")
}
