package main

import (
	"sort"

	"github.com/rotplay/rotplay/modules"
	"github.com/rotplay/rotplay/modules/apirotate"
	"github.com/rotplay/rotplay/modules/command"
	"github.com/rotplay/rotplay/modules/filereplace"
	"github.com/rotplay/rotplay/modules/oneagentctl"
	"github.com/rotplay/rotplay/modules/registryset"
	"github.com/rotplay/rotplay/modules/service"
	"github.com/rotplay/rotplay/transport"
	"github.com/rotplay/rotplay/transport/local"
	"github.com/rotplay/rotplay/transport/ssh"
	"github.com/rotplay/rotplay/transport/winrm"
)

// moduleRegistry lists every module this binary has. stateDir is where
// api_rotate saves rotations ("" for the default).
func moduleRegistry(stateDir string) *modules.Registry {
	return modules.NewRegistry(
		apirotate.New(apirotate.Options{StateDir: stateDir}),
		command.New(),
		filereplace.New(),
		oneagentctl.New(),
		registryset.New(),
		service.New(),
	)
}

// dialers lists every transport this binary has, by ansible_connection.
func dialers(sshOpts ssh.Options, winrmOpts winrm.Options) map[string]transport.Dialer {
	return map[string]transport.Dialer{
		"local": local.NewDialer(),
		"ssh":   ssh.NewDialer(sshOpts),
		"winrm": winrm.NewDialer(winrmOpts),
	}
}

func connectionNames(d map[string]transport.Dialer) []string {
	names := make([]string, 0, len(d))
	for n := range d {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
