// Package winrm is the transport to Windows hosts over WinRM
// (WS-Management), built on github.com/masterzen/winrm. The host needs its
// WinRM service with an HTTPS listener (port 5986), or HTTP when the
// inventory asks for it, and Windows PowerShell; nothing is installed
// there. docs/windows.md is the user's guide.
//
// The client is pinned by exact pseudo-version in go.mod: the repository
// has no tags, so `go get ...@latest` resolves to a 2021 commit
// (v0.0.0-20211231115050-232efb40349e) with more defects than the
// 2025-09 commit we use, which is also what hashicorp/packer-plugin-sdk
// requires. Update it only by naming an exact newer pseudo-version.
//
// What is used of it: its SOAP request builders and response parsers, so
// that the envelopes are the ones a maintained client sends. Not used: its
// Client's Run* methods and Command, whose defects the research note lists
// (P1-P12); this package drives the protocol itself:
//
//   - Transport: our own winrm.Transporter (strictTransport) turns every
//     non-200 answer into an *HTTPError with the parsed SOAP fault (the
//     library's own lets an HTTP 500 fault pass for success, and a 413
//     silently drop stdin), carries a context, refuses NTLM's silent
//     fallback to Basic, and keeps one TCP connection per shell, which
//     NTLM authenticates.
//   - Run loop (execute): Create, Command, then all of stdin with
//     End="true" before any Receive (as Ansible does), every write error
//     returned; Receive until Done, a w:TimedOut fault meaning "poll
//     again"; then Delete. When ctx ends, the in-flight request is
//     aborted at once and a Signal terminate and Delete are sent in the
//     background, bounded; the library's Command only looks at ctx between
//     Receives, up to one OperationTimeout later.
//   - Timeouts: the OperationTimeout a Receive is held for is well below
//     the HTTP response timeout, so a quiet command is never cut off by
//     the client; parameters come from winrm.NewParameters, never the
//     shared winrm.DefaultParameters (a pointer the README's example
//     mutates); the envelope size is 100 KiB, which fits hosts whose
//     MaxEnvelopeSizekb is still the old default of 150.
//
// Commands: Run sends the command line as given; the host runs it with
// `cmd.exe /c` (cmd.exe's quoting, 8,191 characters at most). Each call
// runs in its own remote shell; at most 8 run at once per Conn, the rest
// wait.
//
// Files and facts: constant PowerShell scripts (package scripts), sent
// with -EncodedCommand; their input, paths and file content included,
// goes as one JSON line on stdin and never appears in a command line.
// Paths may use %VARS%, which the host expands. Files of more than
// 1,500 KiB are refused: the content travels base64-encoded in that JSON
// line, which must stay under the 2 MB that Windows PowerShell before 5.0
// can parse. Windows has no POSIX modes or owners: FileInfo.Mode is 0644
// for files and 0755 for directories, UID and GID are -1, WriteOptions'
// Mode is ignored (a new file gets its directory's inherited ACL, a
// replaced one keeps its own), and Chown fails for a new file.
//
// Privilege: commands and files run as the WinRM user; become is not
// supported.
package winrm
