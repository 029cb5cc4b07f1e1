package winrm

import (
	"strconv"
	"time"
)

// Options configure the winrm transport for a whole run; they apply to
// every host dialed with the Dialer. The zero value is usable.
type Options struct {
	// ConnectTimeout bounds Dial: TCP connect, TLS handshake,
	// authentication and the facts round trip. Default 30s.
	ConnectTimeout time.Duration

	// OperationTimeout is the WS-Management OperationTimeout: how long
	// the host holds a Receive open while a command is quiet, before it
	// answers "timed out" and the transport asks again. Default 20s. The
	// HTTP response timeout is this plus 30s, so that the host always
	// answers first (the research note's P3).
	OperationTimeout time.Duration

	// Secrets, if not nil, is told every password the transport uses,
	// before it uses it, so that the caller can redact it from logs. It
	// may be called concurrently.
	Secrets func(string)
}

const (
	defaultConnectTimeout   = 30 * time.Second
	defaultOperationTimeout = 20 * time.Second

	// httpMargin is how much longer than OperationTimeout the client
	// waits for an answer before it gives up on the host.
	httpMargin = 30 * time.Second

	// envelopeSize is the MaxEnvelopeSize rotplay announces and the
	// largest request it sends: 100 KiB fits hosts still at the old
	// default MaxEnvelopeSizekb of 150 (P7).
	envelopeSize = 100 << 10

	// stdinChunk is the raw stdin one Send carries: base64 grows it by
	// 4/3, and the envelope around it takes less than 4 KiB.
	stdinChunk = (envelopeSize - 4<<10) / 4 * 3

	// maxShells bounds the shells one Conn has open at once; Windows
	// allows 30 per user by default (MaxShellsPerUser).
	maxShells = 8

	// cleanupTimeout bounds the Signal and Delete that end an interrupted
	// command.
	cleanupTimeout = 5 * time.Second

	// maxFileSize is the largest file ReadFile and WriteFile move: its
	// base64 form (2,048,000 characters) and the rest of the JSON line
	// stay under the 2,097,152 characters Windows PowerShell before 5.0
	// parses.
	maxFileSize = 1500 << 10
)

func (o Options) connectTimeout() time.Duration {
	if o.ConnectTimeout > 0 {
		return o.ConnectTimeout
	}
	return defaultConnectTimeout
}

func (o Options) operationTimeout() time.Duration {
	if o.OperationTimeout > 0 {
		return o.OperationTimeout
	}
	return defaultOperationTimeout
}

// wsmanDuration spells d as an xs:duration: PT20S, PT0.5S.
func wsmanDuration(d time.Duration) string {
	return "PT" + strconv.FormatFloat(d.Seconds(), 'f', -1, 64) + "S"
}

func (o Options) secret(s string) {
	if o.Secrets != nil && s != "" {
		o.Secrets(s)
	}
}
