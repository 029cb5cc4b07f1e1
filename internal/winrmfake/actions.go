package winrmfake

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// receiveChunk is the most raw bytes one rsp:Stream element carries;
// Windows too splits a Receive answer's output over several elements.
const receiveChunk = 16 << 10

// serveAction answers one request of an authenticated user.
func (s *Server) serveAction(w http.ResponseWriter, r *http.Request, user string, action Action, env *envelope) {
	msgID := env.Header.MessageID
	switch {
	case action == "":
		writeFault(w, msgID, faultBadAction)
		return
	case env.Header.ResourceURI != shellResourceURI:
		writeFault(w, msgID, faultBadResource)
		return
	case action == ActionCreate:
		sh := s.newShell(user)
		writeSOAP(w, http.StatusOK, answer(answerURIs[action], msgID, createdBody(r, sh.id)))
		return
	}
	sh := s.shells.get(env.selector("ShellId"))
	switch {
	case sh == nil:
		writeFault(w, msgID, faultNoShell)
		return
	case !strings.EqualFold(sh.user, user):
		writeFault(w, msgID, faultAccessDenied)
		return
	}
	body, fault := s.shellAction(r, sh, action, env)
	if fault != nil {
		writeFault(w, msgID, *fault)
		return
	}
	writeSOAP(w, http.StatusOK, answer(answerURIs[action], msgID, body))
}

// shellAction runs an action on an existing shell and returns the body
// of the answer, or a fault.
func (s *Server) shellAction(r *http.Request, sh *shell, action Action, env *envelope) (string, *wsmanFault) {
	switch action {
	case ActionCommand:
		return s.commandAction(sh, env)
	case ActionSend:
		return s.sendAction(sh, env)
	case ActionReceive:
		return s.receiveAction(r, sh, env)
	case ActionSignal:
		return signalAction(sh, env)
	case ActionDelete:
		if s.shells.remove(sh.id) != nil {
			sh.delete()
		}
		return "", nil
	}
	return "", &faultBadAction
}

func createdBody(r *http.Request, id string) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return `<x:ResourceCreated><a:Address>` + esc(scheme+"://"+r.Host+"/wsman") + `</a:Address><a:ReferenceParameters>` +
		`<w:ResourceURI>` + shellResourceURI + `</w:ResourceURI><w:SelectorSet><w:Selector Name="ShellId">` + id +
		`</w:Selector></w:SelectorSet></a:ReferenceParameters></x:ResourceCreated>` +
		`<rsp:Shell><rsp:ShellId>` + id + `</rsp:ShellId><rsp:ResourceUri>` + shellResourceURI + `</rsp:ResourceUri>` +
		`<rsp:InputStreams>stdin</rsp:InputStreams><rsp:OutputStreams>stdout stderr</rsp:OutputStreams></rsp:Shell>`
}

func (s *Server) commandAction(sh *shell, env *envelope) (string, *wsmanFault) {
	if env.Body.CommandLine == nil {
		return "", &faultBadRequest
	}
	c, err := s.start(sh, commandLine(env))
	if err != nil {
		return "", &faultInternal
	}
	return `<rsp:CommandResponse><rsp:CommandId>` + c.id + `</rsp:CommandId></rsp:CommandResponse>`, nil
}

func (s *Server) sendAction(sh *shell, env *envelope) (string, *wsmanFault) {
	if env.Body.Send == nil {
		return "", &faultBadRequest
	}
	for _, st := range env.Body.Send.Streams {
		c := sh.command(st.CommandID)
		if c == nil {
			return "", &faultNoCommand
		}
		data, err := base64.StdEncoding.DecodeString(strings.TrimSpace(st.Data))
		if err != nil || st.Name != "stdin" {
			return "", &faultBadRequest
		}
		if err := c.stdin.add(data, st.End == "true"); err != nil {
			return "", &faultBadRequest
		}
	}
	return `<rsp:SendResponse/>`, nil
}

// receiveAction long-polls for output: it answers as soon as there is
// some, or the command is done, and with a w:TimedOut fault when the
// request's OperationTimeout passes first, as Windows does.
func (s *Server) receiveAction(r *http.Request, sh *shell, env *envelope) (string, *wsmanFault) {
	if env.Body.Receive == nil {
		return "", &faultBadRequest
	}
	id := env.Body.Receive.DesiredStream.CommandID
	c := sh.command(id)
	if c == nil {
		return "", &faultNoCommand
	}
	err := c.out.wait(r.Context(), env.operationTimeout())
	switch {
	case errors.Is(err, errTimedOut):
		return "", &faultTimedOut
	case err != nil:
		return "", &faultInternal // the client is gone, or the server closing
	}
	return receiveBody(id, c.out.take(s.receiveBudget(env))), nil
}

// receiveBudget is how many output bytes fit one answer: Config's cap, or
// what base64 and the envelope leave of the client's MaxEnvelopeSize.
func (s *Server) receiveBudget(env *envelope) int {
	if s.cfg.MaxReceiveBytes > 0 {
		return s.cfg.MaxReceiveBytes
	}
	size := s.cfg.MaxEnvelopeSize
	if _, err := fmt.Sscan(env.Header.MaxEnvelopeSize, &size); err != nil || size <= 0 {
		size = s.cfg.MaxEnvelopeSize
	}
	return max(1024, (size-4096)/4*3)
}

func receiveBody(id string, rec received) string {
	var b strings.Builder
	b.WriteString("<rsp:ReceiveResponse>")
	streamElements(&b, "stdout", id, rec.stdout)
	streamElements(&b, "stderr", id, rec.stderr)
	state := stateRunning
	if rec.done {
		state = stateDone
		fmt.Fprintf(&b, `<rsp:Stream Name="stdout" CommandId="%s" End="true"></rsp:Stream>`, id)
		fmt.Fprintf(&b, `<rsp:Stream Name="stderr" CommandId="%s" End="true"></rsp:Stream>`, id)
	}
	fmt.Fprintf(&b, `<rsp:CommandState CommandId="%s" State="%s">`, id, state)
	if rec.done {
		fmt.Fprintf(&b, "<rsp:ExitCode>%d</rsp:ExitCode>", rec.code)
	}
	b.WriteString("</rsp:CommandState></rsp:ReceiveResponse>")
	return b.String()
}

func streamElements(b *strings.Builder, name, id string, data []byte) {
	for len(data) > 0 {
		n := min(len(data), receiveChunk)
		fmt.Fprintf(b, `<rsp:Stream Name="%s" CommandId="%s">%s</rsp:Stream>`, name, id, base64.StdEncoding.EncodeToString(data[:n]))
		data = data[n:]
	}
}

// signalAction ends a command on terminate or ctrl_c: its Handler's ctx
// ends. The command stays until its shell is deleted, so that a last
// Receive still gets its exit code.
func signalAction(sh *shell, env *envelope) (string, *wsmanFault) {
	sig := env.Body.Signal
	if sig == nil {
		return "", &faultBadRequest
	}
	c := sh.command(sig.CommandID)
	if c == nil {
		return "", &faultNoCommand
	}
	if sig.Code == signalTerminate || sig.Code == signalCtrlC {
		c.cancel()
	}
	return `<rsp:SignalResponse/>`, nil
}
