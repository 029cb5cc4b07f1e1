// Package faults is rotplay's fault-injection suite (issue "No data loss,
// ever"). It has no code of its own: its tests start the practice lab,
// inject one fault each (a host down, a dropped SSH connection, a failing
// or hanging oneagentctl, a service that does not come back, API errors
// and lost answers, a permission error, rotplay killed or interrupted, two
// runs at once), run the shipped playbooks/rotation.yaml through the real
// rotplay binary, and check that no host was cut off, no file was left
// half-written, and a plain re-run completes the rotation.
//
// docs/safety.md lists every case and its outcome.
package faults
