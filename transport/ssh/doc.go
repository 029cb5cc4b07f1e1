// Package ssh is the transport to POSIX hosts (Linux, AIX, ...) over SSH,
// built on golang.org/x/crypto/ssh. It needs nothing on the host but sshd,
// a POSIX sh and POSIX utilities: no sftp subsystem, no agent, no python.
//
// Configuration: inventory variables (Ansible's names) first, then the
// matching blocks of ~/.ssh/config (HostName, Port, User, IdentityFile,
// ProxyJump, StrictHostKeyChecking accept-new, UserKnownHostsFile); "no"
// host key checking is refused. Jump hosts (ProxyJump, -J or
// rotplay_ssh_proxy_jump) are reached hop by hop, every hop's host key
// checked, one shared connection per route.
//
// Connection: one SSH connection per Conn, opened by Dial after checking
// the host key against known_hosts (see Options) and logging in with a key
// file, ssh-agent keys, default keys or a password.
//
// Pipelining: the connection then starts one long-lived `sh -s` session
// and runs its calls there, one after another (remoteShell), which spares
// the host a new session (a fork of sshd and a login shell) per call.
// Calls it cannot take open a session each, at most 10 at once (OpenSSH's
// default MaxSessions), so calls may still run concurrently: a call while
// the shell is busy, stdin that is not in memory or holds a NUL byte, and
// every call after a cancelled one. A host whose sh does not answer
// within 10s gets a session per call; rotplay_ssh_pipelining: false asks
// for that from the start. Keepalives detect a
// dead connection; from then on every call fails fast with an error
// wrapping transport.ErrUnreachable. There is no reconnection: the engine
// decides what to do with an unreachable host.
//
// Commands: Run sends `sh -c 'LINE'` (after `cd 'DIR' || exit` when
// Command.Dir is set), so the login shell only has to run one simple
// command line, whether it is sh, ksh or bash.
//
// Files: ReadFile, Stat and WriteFile run the scripts of scripts.go, each in
// one round trip, with the path as a quoted positional parameter. File
// content only ever travels on stdin and stdout, never in a command line,
// where `ps` would show it. The scripts use POSIX sh and utilities only
// (ls -lnd parsing instead of stat -c, no readlink -f, no mktemp), so they
// work on AIX too.
//
// Privilege: with Target.Become, and when the login user is not already
// the become user, every command and every file operation runs through
// `sudo -n [-u BecomeUser] -- sh -c ...`. sudo must allow that without a
// password; when it refuses, calls fail with an error that says so
// instead of returning sudo's exit code. A cancelled call under sudo gets
// SIGTERM, which sudo relays, rather than SIGKILL, which would leave the
// command running.
package ssh
