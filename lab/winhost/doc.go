// Package winhost is a simulated Windows host for tests and the practice
// lab. It runs behind internal/winrmfake (Host.Exec is a winrmfake.Handler)
// and stands in for cmd.exe and powershell.exe: it accepts the command
// lines rotplay sends (`powershell.exe ... -EncodedCommand X`, optionally
// after `cd /d "DIR" && `), recognises each script by its marker line, and
// runs a Go emulation of it registered with Handle. A script it has no
// emulation for, or whose text differs from the one the emulation was
// written for, fails as PowerShell would fail, so that a script and its
// emulation cannot drift apart unnoticed.
//
// The host's state:
//   - files in a directory tree on the real disk: drive C: is root/C, and
//     paths are matched case-insensitively, as NTFS does;
//   - environment variables, the system's and each user's (%PROGRAMDATA%,
//     %USERPROFILE%, ...), expanded as [Environment]::ExpandEnvironmentVariables;
//   - file ACLs, modelled as an opaque string per file, inherited from the
//     directory at creation, kept by [IO.File]::Replace and carried by Move;
//
// The registry, services and oneagentctl.exe that module scripts act on are
// kept by their emulations in package lab/winemu, registered with Handle.
//
// The emulations of the winrm transport's own scripts (package
// transport/winrm/scripts) are registered by New. Each follows its script
// line by line: same JSON in, same JSON out, same failures. What real
// Windows would do beyond that (locks, long paths, reparse points) is not
// simulated.
package winhost
