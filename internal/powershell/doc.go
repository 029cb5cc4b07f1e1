// Package powershell builds the command lines rotplay runs on Windows hosts
// and reads what comes back, so that no variable data ever has to be quoted.
//
// The design (see docs/windows.md and the WinRM research note):
//
//   - A script is a constant: an embedded .ps1 file whose first line is the
//     marker `# rotplay-script: NAME/VERSION` (see Script), so that it can
//     be golden-tested, syntax-checked, budget-checked and recognised by a
//     simulated host.
//   - Command sends it with powershell.exe -EncodedCommand (base64 of
//     UTF-16LE), which removes every cmd.exe and PowerShell quoting problem
//     for the script text. It refuses a script whose command line would pass
//     cmd.exe's 8,191-character limit (MaxCommandLine): WinRM runs every
//     command line through `cmd.exe /c`.
//   - All variable data (paths, file content, tokens) travels on stdin as
//     one line of JSON (Input), never in the script text or the command
//     line, where process auditing and script-block logging would record it.
//   - A script answers with one line of JSON as the last line of its stdout
//     (ParseResult); PowerShell's serialized error records on stderr are
//     turned back into text by CleanStderr.
package powershell
