// Package winrmfake is a WS-Management server that runs inside a Go
// process and speaks the part of WinRM that rotplay's winrm transport
// uses: the Windows Remote Shell (resource URI
// http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd) with its
// Create, Command, Send, Receive, Signal and Delete actions, in SOAP 1.2
// envelopes shaped as github.com/masterzen/winrm sends and expects them
// (a:Action, a:RelatesTo, the ShellId selector, rsp:Stream with base64
// and End, CommandState Done with ExitCode, w:TimedOut faults).
//
// Tests and the practice lab use it as the Windows host at the other end
// of a real client: authentication (Basic and NTLMv2, checked against the
// configured passwords, NTLM per TCP connection as Windows does it), HTTP
// and HTTPS (a certificate from a CA generated per server, which clients
// pin), output split over several Receive calls, stdin ended by
// End="true", exit codes, cmd.exe's 8,191-character command-line limit,
// and injected failures (SOAP faults, HTTP 413 above MaxEnvelopeSize, hung
// requests, dropped connections). What a command does is up to the
// Handler in Config; package lab/winhost simulates a Windows host there.
//
// It is written from the protocol and the client's source, not from a real
// Windows host: fault codes other than w:TimedOut's, 413's body and the
// exact long-poll behaviour of Windows are placeholders (see
// docs/windows.md). It listens on the address given, meant to be
// loopback, and keeps everything in memory.
package winrmfake
