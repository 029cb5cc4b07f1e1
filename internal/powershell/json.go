package powershell

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"unicode/utf16"
	"unicode/utf8"
)

// Input returns v as one line of JSON and a newline, for a script's stdin.
// All variable data goes there, secrets included, never into a script or a
// command line. Non-ASCII characters are written as \uXXXX escapes, so the
// line is pure ASCII and reads the same whatever code page PowerShell
// decodes stdin with. encoding/json never writes a raw newline, so the
// script reads the value as its first line.
func Input(v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode script input: %w", err)
	}
	return append(asciiJSON(b), '\n'), nil
}

// asciiJSON replaces every non-ASCII character of the JSON text b with its
// \u escape. Outside strings JSON is ASCII, so only strings change.
func asciiJSON(b []byte) []byte {
	if isASCII(b) {
		return b
	}
	out := make([]byte, 0, len(b)+len(b)/4)
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		b = b[size:]
		switch {
		case r < utf8.RuneSelf:
			out = append(out, byte(r))
		case r > 0xFFFF:
			hi, lo := utf16.EncodeRune(r)
			out = fmt.Appendf(out, `\u%04x\u%04x`, hi, lo)
		default:
			out = fmt.Appendf(out, `\u%04x`, r)
		}
	}
	return out
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// ErrNoResult is returned by ParseResult when stdout holds no line at all.
var ErrNoResult = errors.New("the script printed no result line")

// ParseResult decodes the last non-empty line of stdout, which is where a
// script prints its result, into dst. Earlier lines (a stray message of a
// cmdlet) are ignored. Errors do not quote the line: it may hold file
// content.
func ParseResult(stdout []byte, dst any) error {
	line := lastLine(stdout)
	if len(line) == 0 {
		return ErrNoResult
	}
	if err := json.Unmarshal(line, dst); err != nil {
		return fmt.Errorf("the script's result line (%d bytes) is not the JSON expected: %w", len(line), err)
	}
	return nil
}

// lastLine is the last line of b that is not blank, without its line end.
func lastLine(b []byte) []byte {
	for len(b) > 0 {
		i := bytes.LastIndexByte(b, '\n')
		line := bytes.TrimSpace(b[i+1:])
		if len(line) > 0 {
			return line
		}
		if i < 0 {
			break
		}
		b = b[:i]
	}
	return nil
}
