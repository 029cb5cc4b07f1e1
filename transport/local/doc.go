// Package local is the controller itself as a transport: commands run as
// child processes of rotplay and files are read and written with the os
// package. Playbooks use it for work on the controller (token files, local
// checks) and tests use it as the reference transport. It needs a unix
// controller (process groups, file owners); elsewhere Dial fails.
//
// Privilege: when Target.Become is set and the controller does not already
// run as the become user (BecomeUser, or root when empty), Run wraps each
// command as `sudo -n [-u BecomeUser] -- /bin/sh -c LINE`. sudo must allow
// that without a password; -n makes it fail at once instead of prompting.
// When ctx ends, a sudo-wrapped command gets SIGTERM, which sudo relays,
// rather than SIGKILL: rotplay may not signal a command running as another
// user, and killing sudo alone would orphan it.
//
// File operations are done by the rotplay process itself and are NOT
// escalated by Become: run rotplay as the user that owns the files, or as
// root.
package local
