package winrmfake

import (
	"context"
	"errors"
	"io"
	"sync"
	"time"
)

// streamLimit is how much output of one stream is buffered before the
// command's writes block, as a pipe's would, until the client receives.
const streamLimit = 1 << 20

// errTimedOut is a Receive that found nothing within its OperationTimeout.
var errTimedOut = errors.New("operation timed out")

// inbox is a command's stdin: Send data, queued without bound (a Send is
// answered at once, as Windows queues input), and EOF after End="true".
type inbox struct {
	ctx    context.Context // the command's: reads fail once it ends
	mu     sync.Mutex
	data   []byte
	closed bool
	wake   chan struct{} // closed and replaced at every change
}

func newInbox(ctx context.Context) *inbox { return &inbox{ctx: ctx, wake: make(chan struct{})} }

// Read implements io.Reader for the Handler.
func (in *inbox) Read(p []byte) (int, error) {
	for {
		in.mu.Lock()
		if len(in.data) > 0 {
			n := copy(p, in.data)
			in.data = in.data[n:]
			in.mu.Unlock()
			return n, nil
		}
		if in.closed {
			in.mu.Unlock()
			return 0, io.EOF
		}
		wake := in.wake
		in.mu.Unlock()
		select {
		case <-wake:
		case <-in.ctx.Done():
			return 0, in.ctx.Err()
		}
	}
}

// add queues data from a Send, and ends the input when end is set.
func (in *inbox) add(data []byte, end bool) error {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.closed {
		return errors.New("stdin already ended")
	}
	in.data = append(in.data, data...)
	in.closed = end
	close(in.wake)
	in.wake = make(chan struct{})
	return nil
}

// outbox holds a command's output until Receive takes it, and how it
// ended.
type outbox struct {
	mu             sync.Mutex
	stdout, stderr []byte
	finished       bool
	code           int
	wake           chan struct{} // closed and replaced at every change
}

func newOutbox() *outbox { return &outbox{wake: make(chan struct{})} }

// notify wakes every waiter; o.mu is held.
func (o *outbox) notify() {
	close(o.wake)
	o.wake = make(chan struct{})
}

// streamWriter is the Handler's Stdout or Stderr.
type streamWriter struct {
	o      *outbox
	ctx    context.Context
	stderr bool
}

// Write appends p to the stream, blocking while it is full, and fails once
// the command's ctx has ended.
func (w streamWriter) Write(p []byte) (int, error) {
	written := 0
	for len(p) > 0 {
		if err := w.ctx.Err(); err != nil {
			return written, err
		}
		w.o.mu.Lock()
		buf := &w.o.stdout
		if w.stderr {
			buf = &w.o.stderr
		}
		if room := streamLimit - len(*buf); room > 0 {
			n := min(room, len(p))
			*buf = append(*buf, p[:n]...)
			p, written = p[n:], written+n
			w.o.notify()
			w.o.mu.Unlock()
			continue
		}
		wake := w.o.wake
		w.o.mu.Unlock()
		select {
		case <-wake:
		case <-w.ctx.Done():
		}
	}
	return written, nil
}

// finish records the exit code of a command that has returned.
func (o *outbox) finish(code int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.finished, o.code = true, code
	o.notify()
}

// wait blocks until there is output to take or the command has finished
// (nil), timeout passes (errTimedOut), or ctx ends.
func (o *outbox) wait(ctx context.Context, timeout time.Duration) error {
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for {
		o.mu.Lock()
		ready := len(o.stdout) > 0 || len(o.stderr) > 0 || o.finished
		wake := o.wake
		o.mu.Unlock()
		if ready {
			return nil
		}
		select {
		case <-wake:
		case <-timer.C:
			return errTimedOut
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// received is what one Receive answer carries.
type received struct {
	stdout, stderr []byte
	done           bool // all output delivered and the command finished
	code           int
}

// take removes up to max bytes of output, shared between the streams so
// that neither starves, and says whether the command is done.
func (o *outbox) take(max int) received {
	o.mu.Lock()
	defer o.mu.Unlock()
	nErr := min(len(o.stderr), max/2)
	nOut := min(len(o.stdout), max-nErr)
	nErr = min(len(o.stderr), max-nOut)
	r := received{stdout: clone(o.stdout[:nOut]), stderr: clone(o.stderr[:nErr])}
	o.stdout, o.stderr = o.stdout[nOut:], o.stderr[nErr:]
	r.done = o.finished && len(o.stdout) == 0 && len(o.stderr) == 0
	r.code = o.code
	o.notify()
	return r
}

func clone(b []byte) []byte { return append([]byte(nil), b...) }
