//go:build race

package e2e

// raceEnabled: this test binary was built with -race, so the rotplay binary
// under test is too (which also reuses the race-built packages' cache).
const raceEnabled = true
