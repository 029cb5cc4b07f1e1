package winemu

import (
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"strings"
	"sync"
)

// OneAgent is a simulated Windows OneAgent with its oneagentctl.exe.
// Safe for concurrent use.
type OneAgent struct {
	mu sync.Mutex
	// Path is where oneagentctl.exe is installed, with %VARIABLES%
	// expanded as the host would; "" means OneAgent is not installed.
	Path     string
	Tenant   string
	Token    string // the token in the configuration
	Server   string
	Running  string // the token the running agent connected with
	Elevated bool   // the WinRM session has an administrator token
	// OnRestart, if set, is told the token the agent restarts with.
	OnRestart func(token string)
}

// Config returns the configured and the running token.
func (a *OneAgent) Config() (token, running string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.Token, a.Running
}

var tokenRE = regexp.MustCompile(`^[A-Za-z0-9._-]{1,512}$`)

type oneAgentCtlInput struct {
	Path  string   `json:"path"`
	Args  []string `json:"args"`
	Token string   `json:"token"`
}

// OneAgentCtl emulates oneagentctl/1 (modules/oneagentctl): oneagentctl.exe
// run with the given arguments, output and exit code passed through.
// expand expands %VARIABLES% in the path as the host would.
func (a *OneAgent) OneAgentCtl(input []byte, expand func(string) string, stdout, stderr io.Writer) int {
	var in oneAgentCtlInput
	if err := json.Unmarshal(input, &in); err != nil {
		fmt.Fprintln(stderr, "Invalid JSON primitive")
		return 1
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	// Windows takes / for \ in paths and ignores case.
	if a.Path == "" || !strings.EqualFold(strings.ReplaceAll(expand(in.Path), "/", `\`), a.Path) {
		fmt.Fprintf(stderr, "oneagentctl not found at %s\n", expand(in.Path))
		return 127
	}
	if !a.Elevated {
		fmt.Fprintln(stderr, "oneagentctl requires administrator privileges: this session is not elevated")
		return 126
	}
	args := in.Args
	if in.Token != "" {
		if !tokenRE.MatchString(in.Token) {
			fmt.Fprintln(stderr, "refusing a tenant token with characters a token never has")
			return 2
		}
		args = append([]string{"--set-tenant-token=" + in.Token}, args...)
	}
	return a.run(args, stdout)
}

// run is oneagentctl.exe itself: setters first, then getters, then the
// restart, as the Linux fake does. Output goes to stdout (the script merges
// oneagentctl's stderr into it).
func (a *OneAgent) run(args []string, out io.Writer) int {
	restart := false
	var gets []string
	for _, arg := range args {
		name, value, hasValue := strings.Cut(arg, "=")
		switch {
		case name == "--set-tenant-token" && hasValue && value != "":
			a.Token = value
		case name == "--set-tenant" && hasValue && value != "":
			a.Tenant = value
		case name == "--set-server" && hasValue && value != "":
			a.Server = value
		case arg == "--restart-service":
			restart = true
		case arg == "--get-tenant-token" || arg == "--get-tenant" || arg == "--get-server":
			gets = append(gets, arg)
		default:
			fmt.Fprintf(out, "Unknown option: %s\n", arg)
			return 1
		}
	}
	for _, g := range gets {
		fmt.Fprintln(out, map[string]string{"--get-tenant-token": a.Token, "--get-tenant": a.Tenant, "--get-server": a.Server}[g])
	}
	if restart {
		a.Running = a.Token
		if a.OnRestart != nil {
			a.OnRestart(a.Token)
		}
	}
	return 0
}
