package powershell

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode/utf16"
)

// MaxCommandLine is the longest command line cmd.exe accepts, in UTF-16
// code units. WinRM runs commands as `cmd.exe /c LINE` (the client always
// sends WINRS_SKIP_CMD_SHELL=FALSE), which answers a longer line with "The
// command line is too long." and exit code 1.
const MaxCommandLine = 8191

// commandPrefix starts every PowerShell command line: no profile (a
// profile could print or fail), no prompts, and no execution policy in the
// way of a script that never touches the disk. Ansible's is the same with
// Unrestricted.
const commandPrefix = "powershell.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -EncodedCommand "

// Command returns the command line that runs script with powershell.exe:
// commandPrefix and base64 of the script in UTF-16LE. It fails when the
// line would be longer than MaxCommandLine: shorten the script (each
// script character costs 8/3 characters of command line), or pass data on
// stdin instead.
func Command(script string) (string, error) {
	line := commandPrefix + encode(script)
	if n := lineLen(line); n > MaxCommandLine {
		return "", fmt.Errorf("powershell script %s: command line of %d characters exceeds cmd.exe's limit of %d by %d",
			describe(script), n, MaxCommandLine, n-MaxCommandLine)
	}
	return line, nil
}

// Budget returns how many characters of cmd.exe's command line are left
// when script is sent with Command; negative when it does not fit. Tests
// check every shipped script with it.
func Budget(script string) int {
	return MaxCommandLine - lineLen(commandPrefix+encode(script))
}

// Decode returns the script of a command line made by Command. A
// simulated host uses it to see which script it is asked to run.
func Decode(line string) (string, error) {
	enc, ok := strings.CutPrefix(line, commandPrefix)
	if !ok {
		return "", errors.New("not a powershell.exe -EncodedCommand line made by rotplay")
	}
	raw, err := base64.StdEncoding.DecodeString(enc)
	if err != nil {
		return "", fmt.Errorf("decode -EncodedCommand: %w", err)
	}
	if len(raw)%2 != 0 {
		return "", errors.New("decode -EncodedCommand: odd number of bytes for UTF-16")
	}
	units := make([]uint16, len(raw)/2)
	for i := range units {
		units[i] = uint16(raw[2*i]) | uint16(raw[2*i+1])<<8
	}
	return string(utf16.Decode(units)), nil
}

// encode is base64(UTF-16LE(script)), what -EncodedCommand takes.
func encode(script string) string {
	units := utf16.Encode([]rune(script))
	raw := make([]byte, 2*len(units))
	for i, u := range units {
		raw[2*i], raw[2*i+1] = byte(u), byte(u>>8)
	}
	return base64.StdEncoding.EncodeToString(raw)
}

// lineLen is the length of line as cmd.exe counts it: UTF-16 code units.
// Command's lines are ASCII, where that is the byte length.
func lineLen(line string) int { return len(utf16.Encode([]rune(line))) }

// describe names a script in messages by its marker, or its first line.
func describe(script string) string {
	if s, err := ParseScript(script); err == nil {
		return s.ID()
	}
	first, _, _ := strings.Cut(script, "\n")
	if len(first) > 40 {
		first = first[:40] + "..."
	}
	return fmt.Sprintf("%q", first)
}
