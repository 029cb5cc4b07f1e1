package transport

import (
	"errors"
	"fmt"
)

// MaxOutput bounds what the controller keeps of one command's stdout, and
// of its stderr: 16 MiB each. The command still runs to its end and its
// output is still read (a writer that stopped reading would stall it),
// but beyond the bound it is discarded and the call fails with an error
// wrapping ErrOutputTooLarge. A transport that reads files through a
// command (ssh) fails ReadFile the same way for a file larger than that:
// part of a file is never returned as the whole of it.
const MaxOutput = 16 << 20

// ErrOutputTooLarge marks a call whose command printed more than
// MaxOutput on stdout or stderr.
var ErrOutputTooLarge = errors.New("output larger than the limit")

// OutputTooLarge is the error of a call whose stream ("stdout" or
// "stderr") went over limit bytes.
func OutputTooLarge(stream string, limit int) error {
	return fmt.Errorf("the command printed more than %d MiB on %s, more than rotplay keeps of one command "+
		"(a file read through a command must be smaller too): make it print less, e.g. send bulk output to a file on the host: %w",
		limit>>20, stream, ErrOutputTooLarge)
}

// Capture is an io.Writer that keeps the first Max bytes written to it and
// discards the rest, remembering that it did. It never fails, so whatever
// copies a command's output into it keeps draining the command.
type Capture struct {
	Max  int
	buf  []byte
	over bool
}

// Write implements io.Writer.
func (c *Capture) Write(p []byte) (int, error) {
	c.buf, c.over = Keep(c.buf, p, c.Max, c.over)
	return len(p), nil
}

// Bytes returns what was kept.
func (c *Capture) Bytes() []byte { return c.buf }

// Over reports whether anything was discarded.
func (c *Capture) Over() bool { return c.over }

// Keep appends p to kept up to limit bytes in all, and reports whether
// anything was ever left out (over, once true, stays true).
func Keep(kept, p []byte, limit int, over bool) ([]byte, bool) {
	if over {
		return kept, true
	}
	if room := limit - len(kept); len(p) > room {
		return append(kept, p[:max(room, 0)]...), true
	}
	return append(kept, p...), false
}
