// Package sshserver is an SSH server that runs inside the rotplay process:
// the practice lab serves many simulated hosts from one process with it, and
// the ssh transport's tests use it as the host at the other end.
//
// It implements only what rotplay's ssh transport uses: public-key and
// password authentication, "session" channels carrying one "exec" request
// each (with "env" and "signal" requests), exit statuses and signals, and
// OpenSSH's keepalive global requests; and, with Config.ForwardLoopback,
// "direct-tcpip" channels to 127.0.0.1, so that a server can be a jump
// host. It refuses shells, ptys, subsystems and every other channel type,
// so a lab host cannot be used interactively.
// What a command does is up to the ExecFunc in Config: the lab runs its
// simulated shell there, tests run /bin/sh (see package sshservertest).
//
// Memory per connection is bounded: a session's environment is capped, and
// channel data is bounded by the SSH window; output streams through.
package sshserver
