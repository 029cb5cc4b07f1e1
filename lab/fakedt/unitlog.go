package fakedt

import (
	"fmt"
	"path"
	"strings"
	"time"
)

// logPath is the unit's fake log file, where the component writes what a
// real one would log: rejected tokens, configuration errors.
func (u *unit) logPath() string { return path.Join(LogDir, "fake-"+u.name+".log") }

// logf appends one timestamped line to u's log. Logging is best effort: a
// component does not fail because it cannot log. Tokens never go into the
// log, as a real component masks them.
func (s *session) logf(u *unit, format string, args ...any) {
	old, _ := s.FS.ReadFile(u.logPath())
	line := fmt.Sprintf("%s %s\n", time.Now().UTC().Format(time.RFC3339), fmt.Sprintf(format, args...))
	_ = s.FS.WriteFile(u.logPath(), append(old, line...), 0o644)
}

// logTail returns the last n lines of u's log.
func (s *session) logTail(u *unit, n int) []string {
	data, err := s.FS.ReadFile(u.logPath())
	if err != nil {
		return nil
	}
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return lines
}
