// Package fakedt fakes the Dynatrace components installed on a lab host:
// oneagentctl, and the service managers (systemctl, SysV service) as far as
// the ActiveGate (dynatracegateway), Extensions (extensionsmodule), zRemote
// (zremote) and OneAgent (oneagent) units go.
//
// The fakes read and write the same files a real installation has
// (authorization.properties, ruxitagent.conf, extensions.conf) plus a few
// files of their own (oneagentctl's configuration, unit states, logs), so
// that a rotation can fail on a lab host for the same reasons it would fail
// on a real one: a malformed file, a missing section, a token set without a
// restart, a command run without root.
//
// When a component starts it reports the tenant token it connects with to
// the lab's Dynatrace simulator through a Reporter; the simulator decides
// whether the token is accepted, as the real cluster would.
//
// The fakes run in two ways: in-process, called by the lab's virtual hosts
// with an FS rooted at the host's directory, and as a multi-call binary
// (cmd/fakedt, entry point Main) installed at the real paths in end-to-end
// tests against real OpenSSH.
package fakedt
