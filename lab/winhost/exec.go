package winhost

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/rotplay/rotplay/internal/powershell"
	"github.com/rotplay/rotplay/internal/winrmfake"
)

// maxInput bounds what is kept of a script's stdin; the rest is read and
// dropped, so that the client is never blocked.
const maxInput = 16 << 20

// Exec runs one command line as cmd.exe would hand it on: an optional
// `cd /d "DIR" && ` prefix, then a rotplay PowerShell script (see the
// package comment). Anything else is a command cmd.exe does not know:
// exit 9009 with its message. It is a winrmfake.Handler.
func (h *Host) Exec(ctx context.Context, req winrmfake.Request) int {
	if err := h.prepare(); err != nil {
		fmt.Fprintf(req.Stderr, "winhost: %v\r\n", err)
		return 1
	}
	sess, err := h.newSession(req.User)
	if err != nil {
		fmt.Fprintf(req.Stderr, "winhost: %v\r\n", err)
		return 1
	}
	line := req.CommandLine
	if dir, rest, ok := cutChdir(line); ok {
		p, err := fullPath(dir, sess.cwd())
		if err != nil || !h.isDir(p) {
			fmt.Fprint(req.Stderr, "The system cannot find the path specified.\r\n")
			return 1
		}
		sess.Dir, line = p.String(), rest
	}
	if !strings.HasPrefix(strings.ToLower(line), "powershell.exe ") {
		name, _, _ := strings.Cut(line, " ")
		fmt.Fprintf(req.Stderr, "'%s' is not recognized as an internal or external command,\r\noperable program or batch file.\r\n", name)
		return 9009
	}
	return h.runScript(context.WithValue(ctx, sessionKey{}, sess), line, req)
}

// cutChdir splits `cd /d "DIR" && LINE`, the prefix the winrm transport
// puts before a command with a working directory.
func cutChdir(line string) (dir, rest string, ok bool) {
	after, found := strings.CutPrefix(line, `cd /d "`)
	if !found {
		return "", "", false
	}
	dir, rest, found = strings.Cut(after, `" && `)
	return dir, rest, found && dir != ""
}

// runScript decodes line's script, finds its emulation and runs it with
// the script's input.
func (h *Host) runScript(ctx context.Context, line string, req winrmfake.Request) int {
	text, err := powershell.Decode(line)
	if err != nil {
		WriteError(req.Stderr, "winhost runs only rotplay's -EncodedCommand scripts: "+err.Error())
		return 1
	}
	script, err := powershell.ParseScript(text)
	if err != nil {
		WriteError(req.Stderr, "winhost: "+err.Error())
		return 1
	}
	hd, ok := h.script(script.ID())
	switch {
	case !ok:
		WriteError(req.Stderr, fmt.Sprintf("winhost: no emulation of script %s on this simulated host", script.ID()))
		return 1
	case hd.text != script.Text:
		WriteError(req.Stderr, fmt.Sprintf("winhost: script %s differs from the text its emulation was written for: "+
			"change the script's version and its emulation together", script.ID()))
		return 1
	}
	input, err := readInput(req.Stdin)
	if err != nil {
		WriteError(req.Stderr, "winhost: read stdin: "+err.Error())
		return 1
	}
	return hd.fn(ctx, h, input, req.Stdout, req.Stderr)
}

// readInput reads stdin to its end, as the scripts' @($input) does, and
// returns its first line: the JSON the script decodes.
func readInput(r io.Reader) (json.RawMessage, error) {
	br := bufio.NewReader(io.LimitReader(r, maxInput))
	first, err := br.ReadBytes('\n')
	if err != nil && err != io.EOF {
		return nil, err
	}
	if _, err := io.Copy(io.Discard, r); err != nil {
		return nil, err
	}
	return json.RawMessage(bytes.TrimRight(first, "\r\n")), nil
}

// WriteError writes msg to w as powershell.exe reports an error on a
// redirected stderr: a #< CLIXML block with the error record.
func WriteError(w io.Writer, msg string) {
	fmt.Fprintf(w, "#< CLIXML\r\n<Objs Version=\"1.1.0.1\" xmlns=\"http://schemas.microsoft.com/powershell/2004/04\">"+
		"<S S=\"Error\">%s</S></Objs>", clixmlText(msg))
}

// clixmlText escapes s for a CLIXML string: "_x" itself, line ends as
// _x000D__x000A_, then XML; every record ends with a line end.
func clixmlText(s string) string {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "_x", "_x005F_x"), "\r\n", "\n")
	var b bytes.Buffer
	for _, line := range strings.Split(s, "\n") {
		_ = xml.EscapeText(&b, []byte(line))
		b.WriteString("_x000D__x000A_")
	}
	return b.String()
}
