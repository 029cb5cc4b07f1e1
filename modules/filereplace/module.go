// Package filereplace owns the file_replace module: it replaces a value in
// a text file on a host, such as the tenantToken of one environment's
// section in an ActiveGate's authorization.properties.
//
// The file is read through transport.Conn, edited in memory on the
// controller and written back through the Conn (atomically, keeping owner,
// group and mode), so a host needs nothing but a POSIX shell. The edit
// touches only the replaced text: encoding, byte order mark, each line's
// ending and every other byte stay as they were.
//
// The text editing itself (encoding.go, lines.go, kv.go, section.go,
// edit.go) does not depend on the transport, and is tested on its own.
package filereplace

import (
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/rotplay/rotplay/modules"
	"github.com/rotplay/rotplay/modules/args"
)

const moduleName = "file_replace"

// New returns the file_replace module. Its arguments:
//
//	path     file to edit (required)
//	key      with value: set the value of every `key = value`, `key=value`
//	value    or `key value` line whose key equals key, ignoring case; only
//	         the value text changes, literally
//	regexp   with replace: in every line (without its ending), replace
//	replace  each match of the Go regexp, expanding ${1} as Regexp.Expand
//	section  only edit lines inside this INI [section] (exact name)
//	expect   exact number of matching lines required (default: 1 or more)
//	missing  fail (default) or skip when the file does not exist
//	backup   first copy the original to <path>.<UTC YYYYMMDDTHHMMSS>.bak
//
// Exactly one of key and regexp is given. Finding no matching line, or a
// number other than expect, fails the task and writes nothing.
func New() modules.Module { return &module{now: time.Now} }

type module struct {
	now func() time.Time // names backups; a fixed clock in tests
}

var _ modules.Module = (*module)(nil)

func (m *module) Info() modules.Info {
	return modules.Info{
		Name:    moduleName,
		Summary: "Replace a key's value, or regexp matches, in a text file, keeping its encoding, line endings, owner and mode",
	}
}

// Decode checks the arguments and reports every problem at once, each at
// its argument's position. Templates in key, regexp and missing are left
// unchecked until the run-time Decode, where they are rendered.
func (m *module) Decode(file string, n *yaml.Node) (modules.Action, error) {
	var a arguments
	n, errs, ok := args.Begin(file, moduleName, n, &a)
	if !ok {
		return nil, errs.Err()
	}
	c := newChecker(file, n, &errs)
	re := c.check(a)
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return &action{args: a, keyMode: c.given("key"), re: re, now: m.now}, nil
}
