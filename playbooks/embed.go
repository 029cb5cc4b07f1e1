// Package playbooks holds the playbooks rotplay ships, embedded so that the
// binary can run them (the practice lab's demo) wherever it is installed.
package playbooks

import _ "embed"

// Rotation is playbooks/rotation.yaml.
//
//go:embed rotation.yaml
var Rotation []byte
