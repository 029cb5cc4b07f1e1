package oneagentctl

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/rotplay/rotplay/transport"
	"github.com/rotplay/rotplay/transport/fake"
)

// agent emulates a OneAgent and its oneagentctl on a fake host, as far as
// the documentation tells: getters print the bare value, --set-* flags
// take =value, several may be given at once with --restart-service,
// unknown flags are refused with exit 1, and only root may use it.
type agent struct {
	path   string // where oneagentctl is installed
	user   bool   // the session runs as an ordinary user, not root
	stale  bool   // sets report success but change nothing
	reject string // when set, set calls fail printing this and the flag given

	mu                    sync.Mutex
	token, tenant, server string
	sets, restarts        int
}

// runFunc is the fake host's shell, with oneagentctl installed.
func (ag *agent) runFunc() fake.RunFunc {
	return func(_ context.Context, _ *fake.Host, cmd transport.Command, stdin []byte) (transport.Result, error) {
		return runShell(cmd.Line, stdin, ag.oneagentctl), nil
	}
}

func (ag *agent) oneagentctl(argv []string, stdout, stderr io.Writer) int {
	if argv[0] != ag.path {
		fmt.Fprintf(stderr, "sh: 1: %s: not found\n", argv[0])
		return 127
	}
	if ag.user {
		fmt.Fprintln(stderr, "Insufficient privileges: oneagentctl must be run as root.")
		return 1
	}
	ag.mu.Lock()
	defer ag.mu.Unlock()
	if len(argv) == 2 && strings.HasPrefix(argv[1], "--get-") {
		return ag.get(argv[1], stdout, stderr)
	}
	return ag.set(argv[1:], stderr)
}

func (ag *agent) get(flag string, stdout, stderr io.Writer) int {
	switch flag {
	case "--get-tenant-token":
		fmt.Fprintln(stdout, ag.token)
	case "--get-tenant":
		fmt.Fprintln(stdout, ag.tenant)
	case "--get-server":
		// The endpoint in use is marked with *.
		fmt.Fprintln(stdout, strings.Replace(ag.server, "{", "{*", 1))
	default:
		fmt.Fprintf(stderr, "Unknown option: %s\n", flag)
		return 1
	}
	return 0
}

func (ag *agent) set(flags []string, stderr io.Writer) int {
	token, tenant, server, restart := ag.token, ag.tenant, ag.server, false
	for _, f := range flags {
		name, value, _ := strings.Cut(f, "=")
		switch {
		case ag.reject != "":
			fmt.Fprintf(stderr, "%s: %s\n", ag.reject, f)
			return 1
		case name == "--set-tenant-token" && value != "":
			token = value
		case name == "--set-tenant" && value != "":
			tenant = value
		case name == "--set-server" && value != "":
			server = value
		case f == "--restart-service":
			restart = true
		default:
			fmt.Fprintf(stderr, "Unknown option or missing value: %s\n", f)
			return 1
		}
	}
	ag.sets++
	if restart {
		ag.restarts++
	}
	if !ag.stale {
		ag.token, ag.tenant, ag.server = token, tenant, server
	}
	return 0
}

// state returns what the agent has, and how often it was set and
// restarted.
func (ag *agent) state() (token, tenant, server string, sets, restarts int) {
	ag.mu.Lock()
	defer ag.mu.Unlock()
	return ag.token, ag.tenant, ag.server, ag.sets, ag.restarts
}
