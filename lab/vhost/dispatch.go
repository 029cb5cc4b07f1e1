package vhost

import (
	"context"
	"path"
	"strings"

	"mvdan.cc/sh/v3/interp"
)

// command is the Go implementation of an external command. args excludes
// argv[0]; the result is the exit status.
type command func(ctx context.Context, p *proc, args []string) int

// lookupCommand is the registry of the commands a host has on its PATH.
// It is a switch rather than a map so that commands which run other
// commands (sudo, env, sh) can refer back to it.
func lookupCommand(name string) command {
	switch name {
	case "cat":
		return cmdCat
	case "head":
		return cmdHead
	case "tail":
		return cmdTail
	case "wc":
		return cmdWc
	case "tee":
		return cmdTee
	case "grep":
		return cmdGrep
	case "sed":
		return cmdSed
	case "base64":
		return cmdBase64
	case "sha256sum":
		return cmdSha256sum
	case "ls":
		return cmdLs
	case "stat":
		return cmdStat
	case "mv":
		return cmdMv
	case "cp":
		return cmdCp
	case "rm":
		return cmdRm
	case "mkdir":
		return cmdMkdir
	case "rmdir":
		return cmdRmdir
	case "touch":
		return cmdTouch
	case "ln":
		return cmdLn
	case "readlink":
		return cmdReadlink
	case "realpath":
		return cmdRealpath
	case "chmod":
		return cmdChmod
	case "chown":
		return cmdChown
	case "chgrp":
		return cmdChgrp
	case "mktemp":
		return cmdMktemp
	}
	return lookupSystemCommand(name)
}

// lookupSystemCommand holds the commands about the system and processes.
func lookupSystemCommand(name string) command {
	switch name {
	case "id":
		return cmdID
	case "whoami":
		return cmdWhoami
	case "uname":
		return cmdUname
	case "hostname":
		return cmdHostname
	case "env":
		return cmdEnv
	case "printenv":
		return cmdPrintenv
	case "sleep":
		return cmdSleep
	case "sync":
		return cmdTrue
	case "date":
		return cmdDate
	case "basename":
		return cmdBasename
	case "dirname":
		return cmdDirname
	case "which":
		return cmdWhich
	case "sudo":
		return cmdSudo
	case "sh", "bash", "dash":
		return cmdSh
	case "systemctl":
		return cmdSystemctl
	case "service":
		return cmdService
	case "echo", "printf", "test", "[", "true", "false", "pwd":
		return cmdShellUtility
	case internalUmask:
		return cmdUmask
	case internalCommandV:
		return cmdCommandV
	case internalType:
		return cmdType
	case internalPwdP:
		return cmdPwdP
	}
	return nil
}

// binDirs are where the host's commands live; a command named by one of
// these paths is the built-in one whether or not the file is in the root.
var binDirs = map[string]bool{
	"/bin": true, "/sbin": true, "/usr/bin": true, "/usr/sbin": true, "/usr/local/bin": true,
}

// commandPath is where `command -v` says name is.
func commandPath(name string) string {
	if name == "service" {
		return "/usr/sbin/service"
	}
	return "/usr/bin/" + name
}

// run runs argv as an external command of p's host.
func (p *proc) run(ctx context.Context, argv []string) int {
	name := argv[0]
	child := *p
	child.name = path.Base(name)
	if !strings.Contains(name, "/") {
		if cmd := lookupCommand(name); cmd != nil {
			return cmd(ctx, &child, argv[1:])
		}
		return child.notFound(name)
	}
	v := p.abs(name)
	if binDirs[path.Dir(v)] {
		if cmd := lookupCommand(path.Base(v)); cmd != nil {
			return cmd(ctx, &child, argv[1:])
		}
	}
	return child.runFile(ctx, name, argv[1:])
}

func (p *proc) notFound(name string) int {
	p.name = "sh"
	return p.errorf(127, "%s: not found", name)
}

// cmdShellUtility runs a utility that also exists as a shell builtin
// (echo, printf, test, ...) when it is run as a program, through sudo
// or env for instance, by handing it to a fresh interpreter.
func cmdShellUtility(ctx context.Context, p *proc, args []string) int {
	if !interp.IsBuiltin(p.name) {
		return p.notFound(p.name)
	}
	sh := newShell(p.h, p.cred, p.umask())
	return sh.run(ctx, script{
		src: `"$@"`, arg0: "sh", params: append([]string{p.name}, args...),
		dir: p.dir, env: p.env, stdin: p.stdin, stdout: p.stdout, stderr: p.stderr,
	})
}
