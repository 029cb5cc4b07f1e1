package oneagentctl

import (
	"errors"
	"strings"

	"github.com/rotplay/rotplay/modules"
)

const (
	// pathVar is the host variable naming oneagentctl on hosts installed
	// with a custom INSTALL_PATH.
	pathVar = "oneagentctl_path"
	// unixPath is the default on Linux and AIX.
	unixPath = "/opt/dynatrace/oneagent/agent/tools/oneagentctl"
	// windowsPath is the default on Windows; %PROGRAMFILES% is expanded on
	// the host.
	windowsPath = `%PROGRAMFILES%\dynatrace\oneagent\agent\tools\oneagentctl.exe`
)

// resolvePath returns the oneagentctl to run on h: the path argument, else
// the host var oneagentctl_path, else the default location for the host's
// OS.
func resolvePath(h modules.Host, arg string) (string, error) {
	if arg != "" {
		return arg, nil
	}
	v, ok := h.Vars[pathVar]
	if !ok {
		if hostOS(h) == "windows" {
			return windowsPath, nil
		}
		return unixPath, nil
	}
	if p, isString := v.(string); isString && hostOS(h) == "windows" && p != "" {
		return p, nil
	}
	p, isString := v.(string)
	if !isString || !strings.HasPrefix(p, "/") {
		return "", errors.New(moduleName + ": the host var " + pathVar + " must be an absolute path to oneagentctl")
	}
	return p, nil
}

// hostOS is the host's OS as the engine sees it: the inventory var os
// when set, else what the transport found.
func hostOS(h modules.Host) string {
	if v, ok := h.Vars["os"].(string); ok && v != "" {
		return strings.ToLower(v)
	}
	return h.Conn.Facts().OS
}
