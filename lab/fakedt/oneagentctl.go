package fakedt

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"
)

// oneAgentVersion is what `oneagentctl --version` prints.
const oneAgentVersion = "1.311.72.20250320-141012"

// oneAgentCall is a parsed oneagentctl command line.
type oneAgentCall struct {
	sets    []setting // in order; later ones win
	gets    []string  // getter flags in order
	restart bool
	help    bool
	version bool
}

type setting struct{ key, value string }

// settable maps --set-X flags to configuration keys; gettable likewise.
var (
	settable = map[string]string{"--set-tenant-token": "tenantToken", "--set-tenant": "tenant", "--set-server": "server"}
	gettable = map[string]string{"--get-tenant-token": "tenantToken", "--get-tenant": "tenant", "--get-server": "server"}
)

// OneAgentCtl fakes oneagentctl. It needs root. Setters write the agent's
// configuration, getters print bare values, and --restart-service restarts
// the agent, which then connects with the configured token: a token set
// without a restart is not used. A rejected token still exits 0 (the real
// agent starts and fails to connect) and is logged in
// /var/log/dynatrace/fake-oneagent.log.
func OneAgentCtl(ctx context.Context, e Env) int {
	e = e.withDefaults()
	if e.UID != 0 {
		fmt.Fprintln(e.Stderr, "oneagentctl: This command requires root privileges")
		return 1
	}
	call, err := parseOneAgentCtl(e.Args)
	if err != nil {
		fmt.Fprintln(e.Stderr, err)
		return 1
	}
	if call.help {
		fmt.Fprint(e.Stdout, oneAgentHelp)
		return 0
	}
	if call.version {
		fmt.Fprintln(e.Stdout, oneAgentVersion)
	}
	s, err := newSession(e)
	if err != nil {
		fmt.Fprintf(e.Stderr, "oneagentctl: %v\n", err)
		return 1
	}
	return s.oneAgentCtl(ctx, call)
}

func (s *session) oneAgentCtl(ctx context.Context, call oneAgentCall) int {
	cfg, err := ReadOneAgentConfig(s.FS)
	if errors.Is(err, fs.ErrNotExist) {
		return s.errorf(1, "OneAgent is not installed")
	}
	if err != nil {
		return s.errorf(1, "oneagentctl: cannot read the configuration: %v", err)
	}
	if len(call.sets) > 0 {
		for _, st := range call.sets {
			cfg.set(st.key, st.value)
		}
		if err := WriteOneAgentConfig(s.FS, cfg); err != nil {
			return s.errorf(1, "oneagentctl: cannot write the configuration: %v", err)
		}
	}
	for _, key := range call.gets {
		fmt.Fprintln(s.Stdout, cfg.get(key))
	}
	if !call.restart {
		return 0
	}
	if err := s.restart(ctx, oneagentUnit); err != nil {
		return s.errorf(1, "oneagentctl: restarting OneAgent failed: %v", err)
	}
	return 0
}

func parseOneAgentCtl(args []string) (oneAgentCall, error) {
	var c oneAgentCall
	if len(args) == 0 {
		return c, errors.New("oneagentctl: no option given; see --help")
	}
	for _, a := range args {
		flag, value, hasValue := strings.Cut(a, "=")
		switch key := settable[flag]; {
		case key != "" && hasValue:
			if value == "" {
				return c, fmt.Errorf("Invalid value for %s: empty", flag)
			}
			c.sets = append(c.sets, setting{key, value})
		case gettable[a] != "":
			c.gets = append(c.gets, gettable[a])
		case a == "--restart-service":
			c.restart = true
		case a == "--help":
			c.help = true
		case a == "--version":
			c.version = true
		default:
			return c, fmt.Errorf("Unknown option: %s", a)
		}
	}
	return c, nil
}

func (c *OneAgentConfig) set(key, value string) {
	switch key {
	case "tenantToken":
		c.TenantToken = value
	case "tenant":
		c.Tenant = value
	case "server":
		c.Server = value
	}
}

func (c OneAgentConfig) get(key string) string {
	return map[string]string{"tenantToken": c.TenantToken, "tenant": c.Tenant, "server": c.Server}[key]
}

const oneAgentHelp = `Usage: oneagentctl [options]
  --get-tenant-token          print the tenant token
  --set-tenant-token=<token>  set the tenant token (applies after a restart)
  --get-tenant                print the environment ID
  --set-tenant=<id>           set the environment ID
  --get-server                print the communication endpoints
  --set-server=<endpoints>    set the communication endpoints
  --restart-service           restart OneAgent
  --version                   print the version
  --help                      print this help
`
