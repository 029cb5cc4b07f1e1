package ssh

import (
	"context"
	"errors"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rotplay/rotplay/transport"
)

// TestConnectTimeout: a listener that accepts and never speaks makes Dial
// fail after ConnectTimeout, as unreachable, saying what timed out.
func TestConnectTimeout(t *testing.T) {
	t.Parallel()
	th := newTestHost(t, hostConfig{})
	ln := silentListener(t)
	tgt := th.target(nil)
	tgt.Port = ln.Addr().(*net.TCPAddr).Port
	start := time.Now()
	_, err := th.dialer(Options{ConnectTimeout: 300 * time.Millisecond}, nil).Dial(ctxFor(t), tgt)
	if elapsed := time.Since(start); elapsed > 3*time.Second {
		t.Errorf("Dial took %v with a 300ms ConnectTimeout", elapsed)
	}
	wantErr(t, "silent listener", err, transport.ErrUnreachable, "testhost", "no SSH session after 300ms")
}

// TestDialCancelled: the caller's ctx ending stops Dial with ctx's error.
func TestDialCancelled(t *testing.T) {
	t.Parallel()
	th := newTestHost(t, hostConfig{})
	ln := silentListener(t)
	tgt := th.target(nil)
	tgt.Port = ln.Addr().(*net.TCPAddr).Port
	ctx, cancel := context.WithCancel(t.Context())
	time.AfterFunc(200*time.Millisecond, cancel)
	start := time.Now()
	_, err := th.dialer(Options{}, nil).Dial(ctx, tgt)
	if !errors.Is(err, context.Canceled) || time.Since(start) > 3*time.Second {
		t.Errorf("Dial returned %v after %v, want context.Canceled promptly", err, time.Since(start))
	}
}

func TestDialRefused(t *testing.T) {
	t.Parallel()
	th := newTestHost(t, hostConfig{})
	ln := silentListener(t)
	tgt := th.target(nil)
	tgt.Port = ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	_, err := th.dialer(Options{}, nil).Dial(ctxFor(t), tgt)
	wantErr(t, "closed port", err, transport.ErrUnreachable, "connection refused", "ansible_port")
}

// silentListener accepts connections on 127.0.0.1 and never answers.
func silentListener(t *testing.T) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			nc, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, nc)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	return ln
}

// TestDroppedConnection: once the host drops the connection, calls fail
// quickly with ErrUnreachable, and keep failing fast.
func TestDroppedConnection(t *testing.T) {
	t.Parallel()
	th := newTestHost(t, hostConfig{})
	c := th.dial(t, Options{KeepaliveInterval: 100 * time.Millisecond}, th.target(nil))
	th.server.DropConnections()
	start := time.Now()
	_, err := c.Run(ctxFor(t), transport.Command{Line: "true"})
	wantErr(t, "Run after drop", err, transport.ErrUnreachable, "connection to testhost lost")
	if elapsed := time.Since(start); elapsed > 2*time.Second {
		t.Errorf("first call after the drop took %v", elapsed)
	}
	start = time.Now()
	for range 3 {
		_, err := c.Stat(ctxFor(t), "/")
		wantErr(t, "Stat after drop", err, transport.ErrUnreachable)
	}
	if elapsed := time.Since(start); elapsed > 100*time.Millisecond {
		t.Errorf("later calls took %v, want them to fail fast", elapsed)
	}
	if err := c.Close(); err != nil {
		t.Errorf("Close after drop: %v", err)
	}
}

// TestDroppedDuringRun: a command running when the connection drops
// fails as unreachable, not as an exit code.
func TestDroppedDuringRun(t *testing.T) {
	t.Parallel()
	th := newTestHost(t, hostConfig{})
	c := th.dial(t, Options{}, th.target(nil))
	time.AfterFunc(200*time.Millisecond, th.server.DropConnections)
	_, err := c.Run(ctxFor(t), transport.Command{Line: "sleep 30"})
	wantErr(t, "Run across drop", err, transport.ErrUnreachable)
}

// TestKeepaliveDetectsSilence: a network that stops delivering anything
// (no reset, no EOF) is found dead after keepaliveMisses intervals.
func TestKeepaliveDetectsSilence(t *testing.T) {
	t.Parallel()
	th := newTestHost(t, hostConfig{})
	px := newProxy(t, th.server.Addr())
	tgt := th.target(nil)
	tgt.Port = px.port
	file := writeTemp(t, "")
	opts := Options{KnownHostsFiles: []string{file}, AcceptNewHostKeys: true, KeepaliveInterval: 50 * time.Millisecond}
	c := th.dial(t, opts, tgt)
	if _, err := c.Run(ctxFor(t), transport.Command{Line: "true"}); err != nil {
		t.Fatalf("Run through the proxy: %v", err)
	}
	px.freeze()
	if !waitFor(func() bool { return c.usable(t.Context()) != nil }) {
		t.Fatal("a silent connection was not declared lost")
	}
	_, err := c.Run(ctxFor(t), transport.Command{Line: "true"})
	wantErr(t, "Run on a silent connection", err, transport.ErrUnreachable, "no reply to 3 keepalives")
}

// proxy forwards TCP to a server until frozen, then forwards nothing and
// closes nothing, like a network that silently drops packets.
type proxy struct {
	port   int
	frozen atomic.Bool
	thaw   chan struct{}
}

func newProxy(t *testing.T, to string) *proxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	px := &proxy{port: ln.Addr().(*net.TCPAddr).Port, thaw: make(chan struct{})}
	var wg sync.WaitGroup
	t.Cleanup(func() { ln.Close(); close(px.thaw); wg.Wait() })
	wg.Go(func() {
		for {
			in, err := ln.Accept()
			if err != nil {
				return
			}
			out, err := net.Dial("tcp", to)
			if err != nil {
				in.Close()
				continue
			}
			wg.Go(func() { px.pipe(in, out) })
			wg.Go(func() { px.pipe(out, in) })
		}
	})
	return px
}

func (px *proxy) freeze() { px.frozen.Store(true) }

// pipe copies from src to dst until either fails; frozen, it holds what it
// read until the test ends.
func (px *proxy) pipe(dst, src net.Conn) {
	defer dst.Close()
	defer src.Close()
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if px.frozen.Load() {
			<-px.thaw
			return
		}
		if n > 0 {
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// TestCloseDuringRun: Close makes a call in progress fail with ErrClosed,
// and calls after it too.
func TestCloseDuringRun(t *testing.T) {
	t.Parallel()
	th := newTestHost(t, hostConfig{})
	c := th.dial(t, Options{KeepaliveInterval: time.Second}, th.target(nil))
	time.AfterFunc(200*time.Millisecond, func() { c.Close() })
	_, err := c.Run(ctxFor(t), transport.Command{Line: "sleep 30"})
	wantErr(t, "Run across Close", err, transport.ErrClosed)
	if !waitFor(func() bool { return th.server.Connections() == 0 }) {
		t.Error("the connection stayed open after Close")
	}
}
