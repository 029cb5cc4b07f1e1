package winhost

import (
	"maps"
	"slices"
	"strings"
)

// envVar keeps a variable's name as spelt; lookups ignore case.
type envVar struct{ name, value string }

// defaultEnv is the system environment of a fresh 64-bit Windows Server.
func defaultEnv(computer string) map[string]envVar {
	env := map[string]envVar{}
	for _, kv := range [][2]string{
		{"ALLUSERSPROFILE", `C:\ProgramData`},
		{"CommonProgramFiles", `C:\Program Files\Common Files`},
		{"COMPUTERNAME", computer},
		{"ComSpec", `C:\Windows\system32\cmd.exe`},
		{"NUMBER_OF_PROCESSORS", "2"},
		{"OS", "Windows_NT"},
		{"Path", `C:\Windows\system32;C:\Windows;C:\Windows\System32\WindowsPowerShell\v1.0\`},
		{"PATHEXT", ".COM;.EXE;.BAT;.CMD;.VBS;.VBE;.JS;.JSE;.WSF;.WSH;.MSC"},
		{"PROCESSOR_ARCHITECTURE", "AMD64"},
		{"ProgramData", `C:\ProgramData`},
		{"ProgramFiles", `C:\Program Files`},
		{"ProgramFiles(x86)", `C:\Program Files (x86)`},
		{"ProgramW6432", `C:\Program Files`},
		{"PUBLIC", `C:\Users\Public`},
		{"SystemDrive", "C:"},
		{"SystemRoot", `C:\Windows`},
		{"TEMP", `C:\Windows\TEMP`},
		{"TMP", `C:\Windows\TEMP`},
		{"windir", `C:\Windows`},
	} {
		env[strings.ToUpper(kv[0])] = envVar{kv[0], kv[1]}
	}
	return env
}

// Setenv sets a system environment variable; an empty value removes it.
func (h *Host) Setenv(name, value string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if value == "" {
		delete(h.env, strings.ToUpper(name))
		return
	}
	h.env[strings.ToUpper(name)] = envVar{name, value}
}

// Getenv returns a system environment variable, ignoring case.
func (h *Host) Getenv(name string) (string, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	v, ok := h.env[strings.ToUpper(name)]
	return v.value, ok
}

// Environ returns the environment a user's commands see, as NAME=value,
// sorted: the system's, plus the user's profile variables.
func (h *Host) Environ(s Session) []string {
	env := h.sessionEnv(s)
	out := make([]string, 0, len(env))
	for _, v := range env {
		out = append(out, v.name+"="+v.value)
	}
	slices.Sort(out)
	return out
}

// sessionEnv is the system environment with the user's variables on top.
func (h *Host) sessionEnv(s Session) map[string]envVar {
	h.mu.Lock()
	env := maps.Clone(h.env)
	computer := env["COMPUTERNAME"].value
	h.mu.Unlock()
	domain, user := splitUser(s.User)
	if domain == "" {
		domain = computer
	}
	profile := `C:\Users\` + user
	for _, kv := range [][2]string{
		{"USERNAME", user},
		{"USERDOMAIN", domain},
		{"USERPROFILE", profile},
		{"HOMEDRIVE", "C:"},
		{"HOMEPATH", `\Users\` + user},
		{"APPDATA", profile + `\AppData\Roaming`},
		{"LOCALAPPDATA", profile + `\AppData\Local`},
		{"TEMP", profile + `\AppData\Local\Temp`},
		{"TMP", profile + `\AppData\Local\Temp`},
	} {
		env[strings.ToUpper(kv[0])] = envVar{kv[0], kv[1]}
	}
	return env
}

// Expand replaces %NAME% with the value of NAME in s's environment,
// ignoring case, as [Environment]::ExpandEnvironmentVariables does: an
// undefined name is left as written, and its closing % may open the next
// reference.
func (h *Host) Expand(s Session, text string) string {
	env := h.sessionEnv(s)
	var b strings.Builder
	for {
		start := strings.IndexByte(text, '%')
		if start < 0 {
			break
		}
		end := strings.IndexByte(text[start+1:], '%')
		if end < 0 {
			break
		}
		end += start + 1
		name := text[start+1 : end]
		if v, ok := env[strings.ToUpper(name)]; ok && name != "" {
			b.WriteString(text[:start] + v.value)
			text = text[end+1:]
			continue
		}
		b.WriteString(text[:end])
		text = text[end:]
	}
	b.WriteString(text)
	return b.String()
}

// splitUser splits "DOMAIN\user" (and "user@domain") into domain and user.
func splitUser(name string) (domain, user string) {
	if d, u, ok := strings.Cut(name, `\`); ok {
		return d, u
	}
	if u, d, ok := strings.Cut(name, "@"); ok {
		return d, u
	}
	return "", name
}
