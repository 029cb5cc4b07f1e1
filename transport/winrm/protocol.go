package winrm

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/masterzen/winrm"
	"github.com/masterzen/winrm/soap"

	"github.com/rotplay/rotplay/transport"
)

// runner speaks the Windows Remote Shell protocol over one strictTransport:
// the library's request builders and response parsers, our own sequence.
type runner struct {
	t      *strictTransport
	params *winrm.Parameters // from winrm.NewParameters, never DefaultParameters (P6)
	// maxOutput is what is kept of a command's stdout and of its stderr
	// (0: transport.MaxOutput; tests lower it).
	maxOutput int
}

// outputLimit is what is kept of a command's stdout, and of its stderr.
func (r *runner) outputLimit() int {
	if r.maxOutput > 0 {
		return r.maxOutput
	}
	return transport.MaxOutput
}

func newRunner(t *strictTransport, opts Options) *runner {
	p := winrm.NewParameters(wsmanDuration(opts.operationTimeout()), "en-US", envelopeSize)
	return &runner{t: t, params: p}
}

const (
	shellURI     = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd"
	commandURI   = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/Command"
	anonymousURI = "http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous"
)

func (r *runner) createShell(ctx context.Context) (string, error) {
	body, err := r.t.post(ctx, winrm.NewOpenShellRequest(r.t.url, r.params))
	if err != nil {
		return "", err
	}
	return winrm.ParseOpenShellResponse(body)
}

func (r *runner) startCommand(ctx context.Context, shell, line string) (string, error) {
	body, err := r.t.post(ctx, commandRequest(r.t.url, shell, line, r.params))
	if err != nil {
		return "", err
	}
	return winrm.ParseExecuteCommandResponse(body)
}

// commandRequest is winrm.NewExecuteCommandRequest with one option changed:
// WINRS_CONSOLEMODE_STDIN=FALSE makes stdin a pipe, which PowerShell reads
// to its end; this is what Ansible sends when it pipes input to
// PowerShell, while the library hard-codes TRUE (P9).
func commandRequest(url, shell, line string, p *winrm.Parameters) *soap.SoapMessage {
	msg := soap.NewMessage()
	msg.Header().To(url).ReplyTo(anonymousURI).MaxEnvelopeSize(p.EnvelopeSize).Id(newMessageID()).
		Locale(p.Locale).Timeout(p.Timeout).Action(commandURI).ResourceURI(shellURI).ShellId(shell).
		AddOption(soap.NewHeaderOption("WINRS_CONSOLEMODE_STDIN", "FALSE")).
		AddOption(soap.NewHeaderOption("WINRS_SKIP_CMD_SHELL", "FALSE")).
		Build()
	body := msg.CreateBodyElement("CommandLine", soap.DOM_NS_WIN_SHELL)
	// CDATA keeps & and < as they are; a "]]>" in the line is split over
	// two sections, which the library does not do.
	cdata := "<![CDATA[" + strings.ReplaceAll(line, "]]>", "]]]]><![CDATA[>") + "]]>"
	msg.CreateElement(body, "Command", soap.DOM_NS_WIN_SHELL).SetContent(cdata)
	return msg
}

// newMessageID is a random "uuid:..." WS-Addressing message ID.
func newMessageID() string {
	var u [16]byte
	_, _ = rand.Read(u[:])
	u[6], u[8] = u[6]&0x0f|0x40, u[8]&0x3f|0x80
	return fmt.Sprintf("uuid:%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:])
}

// sendStdin sends all of stdin (nil: none), chunked to fit the envelope,
// and ends it with End="true" in the last Send, so that a command reading
// to EOF finishes. Any failure is an error (P4, P7). stdin is read in a
// goroutine of its own, so that ctx ending returns at once even when a
// Read blocks; that goroutine ends when the Read returns.
func (r *runner) sendStdin(ctx context.Context, shell, cmd string, stdin io.Reader) error {
	if stdin == nil {
		return r.send(ctx, shell, cmd, nil, true)
	}
	chunks := make(chan stdinChunkRead)
	done := make(chan struct{})
	defer close(done)
	go readChunks(stdin, chunks, done)
	for {
		var c stdinChunkRead
		select {
		case c = <-chunks:
		case <-ctx.Done():
			return ctx.Err()
		}
		if c.err != nil {
			return fmt.Errorf("read stdin: %w", c.err)
		}
		if err := r.send(ctx, shell, cmd, c.data, c.end); err != nil || c.end {
			return err
		}
	}
}

// stdinChunkRead is one Send's worth of stdin, or why there is none.
type stdinChunkRead struct {
	data []byte
	end  bool // the last chunk
	err  error
}

// readChunks reads stdin in stdinChunk pieces onto chunks until the end,
// an error, or done.
func readChunks(stdin io.Reader, chunks chan<- stdinChunkRead, done <-chan struct{}) {
	for {
		buf := make([]byte, stdinChunk)
		n, err := io.ReadFull(stdin, buf)
		c := stdinChunkRead{data: buf[:n]}
		switch {
		case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
			c.end = true
		case err != nil:
			c.err = err
		}
		select {
		case chunks <- c:
		case <-done:
			return
		}
		if c.end || c.err != nil {
			return
		}
	}
}

func (r *runner) send(ctx context.Context, shell, cmd string, data []byte, end bool) error {
	_, err := r.t.post(ctx, winrm.NewSendInputRequest(r.t.url, shell, cmd, data, end, r.params))
	return err
}

// outcome is how a remote command ended.
type outcome struct {
	code           int
	stdout, stderr []byte
}

// collect receives output until the command is done. A w:TimedOut fault
// means the command was quiet for an OperationTimeout: ask again.
func (r *runner) collect(ctx context.Context, shell, cmd string) (outcome, error) {
	stdout, stderr := transport.Capture{Max: r.outputLimit()}, transport.Capture{Max: r.outputLimit()}
	for {
		if err := ctx.Err(); err != nil {
			return outcome{}, err
		}
		body, err := r.t.post(ctx, winrm.NewGetOutputRequest(r.t.url, shell, cmd, "stdout stderr", r.params))
		var httpErr *HTTPError
		if errors.As(err, &httpErr) && httpErr.timedOut() {
			continue
		}
		if err != nil {
			return outcome{}, err
		}
		done, code, err := winrm.ParseSlurpOutputErrResponse(body, &stdout, &stderr)
		if err != nil {
			return outcome{}, fmt.Errorf("unexpected Receive answer: %w", err)
		}
		switch {
		case !done:
			continue
		case stdout.Over():
			return outcome{}, transport.OutputTooLarge("stdout", r.outputLimit())
		case stderr.Over():
			return outcome{}, transport.OutputTooLarge("stderr", r.outputLimit())
		}
		return outcome{code: code, stdout: stdout.Bytes(), stderr: stderr.Bytes()}, nil
	}
}

func (r *runner) signal(ctx context.Context, shell, cmd string) error {
	_, err := r.t.post(ctx, winrm.NewSignalRequest(r.t.url, shell, cmd, r.params))
	return err
}

func (r *runner) deleteShell(ctx context.Context, shell string) error {
	_, err := r.t.post(ctx, winrm.NewDeleteShellRequest(r.t.url, shell, r.params))
	return err
}

// run runs line in a new shell: Create, Command, all of stdin, Receive
// until done, Delete. When it fails after the shell exists, it returns
// the cleanup to run (Signal terminate, Delete), which must not use ctx:
// ctx may be what failed.
func (r *runner) run(ctx context.Context, line string, stdin io.Reader) (outcome, func(), error) {
	shell, err := r.createShell(ctx)
	if err != nil {
		return outcome{}, nil, fmt.Errorf("create shell: %w", err)
	}
	cmd, err := r.startCommand(ctx, shell, line)
	if err != nil {
		return outcome{}, r.cleanup(shell, ""), fmt.Errorf("start command: %w", err)
	}
	if err := r.sendStdin(ctx, shell, cmd, stdin); err != nil {
		return outcome{}, r.cleanup(shell, cmd), fmt.Errorf("send stdin: %w", err)
	}
	out, err := r.collect(ctx, shell, cmd)
	if err != nil {
		return outcome{}, r.cleanup(shell, cmd), fmt.Errorf("receive output: %w", err)
	}
	// The command is done; a failed Delete leaves only an idle shell,
	// which the host drops after its IdleTimeout.
	dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
	defer cancel()
	_ = r.deleteShell(dctx, shell)
	return out, nil, nil
}

// cleanup ends an interrupted command and its shell, bounded by
// cleanupTimeout.
func (r *runner) cleanup(shell, cmd string) func() {
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), cleanupTimeout)
		defer cancel()
		if cmd != "" {
			_ = r.signal(ctx, shell, cmd)
		}
		_ = r.deleteShell(ctx, shell)
	}
}
