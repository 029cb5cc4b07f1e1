// Package vhost simulates Linux hosts for the lab: each Host runs the
// command lines an SSH client sends (mvdan.cc/sh's POSIX interpreter)
// inside a virtual root, a real directory that the host sees as "/".
//
// Nothing runs as a real process and nothing needs privileges or
// namespaces: external commands are Go implementations (cat, ls, mv, sudo,
// systemctl, oneagentctl, ...), every path is mapped into the root and
// cannot leave it, and ownership is virtual (a per-host table, because the
// files really belong to whoever runs the lab). That keeps a host down to a
// directory and a few hundred bytes, so one process can hold thousands.
//
// The hosts are meant to be faithful where rotations can go wrong: a user
// without sudo gets "Permission denied" on root's files, a chown sticks and
// shows in `ls -n`, noclobber refuses to overwrite, the Dynatrace fakes
// (package fakedt) read the real configuration files.
package vhost
