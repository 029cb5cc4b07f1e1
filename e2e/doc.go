// Package e2e holds rotplay's end-to-end tests against real OpenSSH: each
// simulated ActiveGate or OneAgent is a real sshd in its own mount
// namespace, with the Dynatrace files and the fake Dynatrace tools
// (lab/fakedt) at their default paths, and the built rotplay binary runs the
// shipped playbooks/rotation.yaml against them while the Dynatrace simulator
// (lab/dtsim) judges whether any agent was cut off.
//
// The tests need root, /usr/sbin/sshd, unshare and sudo. Without them they
// skip, unless ROTPLAY_E2E=require is set (as CI does), which makes a missing
// prerequisite a failure. The package has no code outside its tests.
package e2e
