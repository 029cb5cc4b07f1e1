package sshserver

import (
	"context"
	"fmt"
	"maps"

	"golang.org/x/crypto/ssh"
)

// Limits on a session's environment, so that a client cannot make the
// server hold unbounded memory with "env" requests.
const (
	maxEnvVars    = 64
	maxEnvNameLen = 256
	maxEnvLen     = 32 << 10
)

// session is the state of one session channel.
type session struct {
	user    string
	ch      ssh.Channel
	env     map[string]string
	started bool
	done    chan int // the ExecFunc's result, once started
}

// serveSession answers the requests of one session channel: env, one exec,
// signal; everything else (pty-req, shell, subsystem, ...) is refused. It
// returns once the channel is closed, calling release first so that the
// client may open another session as soon as it sees this one close.
func (s *Server) serveSession(ctx context.Context, user string, ch ssh.Channel, reqs <-chan *ssh.Request, release func()) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ss := &session{user: user, ch: ch, env: map[string]string{}, done: make(chan int, 1)}
	for {
		select {
		case req, ok := <-reqs:
			if !ok {
				// The client closed the channel, or the connection is gone.
				cancel()
				ss.wait()
				release()
				_ = ch.Close()
				return
			}
			ss.handle(ctx, s, req, cancel)
		case code := <-ss.done:
			release()
			sendExit(ch, code)
			_ = ch.Close()
			// Requests keep coming until the client's close arrives; an
			// unread request queue would stall the whole connection.
			for req := range reqs {
				reply(req, false)
			}
			return
		}
	}
}

// handle answers one channel request.
func (ss *session) handle(ctx context.Context, s *Server, req *ssh.Request, cancel context.CancelFunc) {
	switch req.Type {
	case "env":
		reply(req, ss.setEnv(req.Payload))
	case "exec":
		var msg struct{ Command string }
		if ss.started || ssh.Unmarshal(req.Payload, &msg) != nil || msg.Command == "" {
			reply(req, false)
			return
		}
		ss.started = true
		reply(req, true)
		ss.start(ctx, s.exec, msg.Command)
	case "signal":
		// The ExecFunc sees its ctx end; which signal is not passed on.
		cancel()
		reply(req, true)
	default:
		reply(req, false)
	}
}

// setEnv records an "env" request, within the limits.
func (ss *session) setEnv(payload []byte) bool {
	var msg struct{ Name, Value string }
	if ss.started || ssh.Unmarshal(payload, &msg) != nil {
		return false
	}
	_, replace := ss.env[msg.Name]
	if len(msg.Name) == 0 || len(msg.Name) > maxEnvNameLen || len(msg.Value) > maxEnvLen ||
		(!replace && len(ss.env) >= maxEnvVars) {
		return false
	}
	ss.env[msg.Name] = msg.Value
	return true
}

// start runs the ExecFunc in its own goroutine; its status arrives on done.
func (ss *session) start(ctx context.Context, exec ExecFunc, command string) {
	req := ExecRequest{
		User:    ss.user,
		Command: command,
		Env:     maps.Clone(ss.env),
		Stdin:   ss.ch,
		Stdout:  ss.ch,
		Stderr:  ss.ch.Stderr(),
	}
	go func() {
		code := 255
		defer func() {
			if p := recover(); p != nil {
				fmt.Fprintf(req.Stderr, "sshserver: command panicked: %v\n", p)
			}
			ss.done <- code
		}()
		code = exec(ctx, req)
	}()
}

// wait waits for a started ExecFunc to return.
func (ss *session) wait() {
	if ss.started {
		<-ss.done
	}
}

// signals maps signal numbers to the names RFC 4254 uses in exit-signal.
var signals = map[int]string{
	1: "HUP", 2: "INT", 3: "QUIT", 4: "ILL", 6: "ABRT", 8: "FPE",
	9: "KILL", 11: "SEGV", 13: "PIPE", 14: "ALRM", 15: "TERM", 10: "USR1", 12: "USR2",
}

// sendExit tells the client how the command ended, after EOF on its
// output, as OpenSSH does.
func sendExit(ch ssh.Channel, code int) {
	_ = ch.CloseWrite()
	if name, ok := signals[-code]; ok {
		msg := struct {
			Signal     string
			CoreDumped bool
			Error      string
			Lang       string
		}{Signal: name}
		_, _ = ch.SendRequest("exit-signal", false, ssh.Marshal(&msg))
		return
	}
	if code < 0 {
		code = 128 - code // a signal without an RFC name: report it as sh does
	}
	_, _ = ch.SendRequest("exit-status", false, ssh.Marshal(&struct{ Status uint32 }{uint32(code)}))
}

func reply(req *ssh.Request, ok bool) {
	if req.WantReply {
		_ = req.Reply(ok, nil)
	}
}
