package service

import (
	"strings"
	"time"
	"unicode"

	"go.yaml.in/yaml/v3"

	"github.com/rotplay/rotplay/diag"
	"github.com/rotplay/rotplay/modules/args"
	"github.com/rotplay/rotplay/tmpl"
)

// arguments are the service module's task arguments, as args.Decode fills
// them.
type arguments struct {
	Name    string `yaml:"name" args:"required"`
	State   string `yaml:"state" args:"required"`
	Timeout string `yaml:"timeout"` // "": defaultTimeout
	Manager string `yaml:"manager"` // "": managerAuto
}

// The states a task can ask for.
const (
	started   = "started"
	stopped   = "stopped"
	restarted = "restarted"
)

// The service managers.
const (
	managerAuto    = "auto"
	managerSystemd = "systemd"
	managerSysV    = "sysv"
)

const defaultTimeout = 60 * time.Second

// checker validates decoded arguments against the YAML they came from, so
// that each problem points at the argument at fault. Arguments given as
// something other than a scalar were reported by args.Decode.
type checker struct {
	file   string
	values map[string]*yaml.Node
	errs   *diag.List
}

func newChecker(file string, n *yaml.Node, errs *diag.List) *checker {
	c := &checker{file: file, values: map[string]*yaml.Node{}, errs: errs}
	if n == nil || n.Kind != yaml.MappingNode {
		return c
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if name := n.Content[i].Value; c.values[name] == nil {
			c.values[name] = n.Content[i+1]
		}
	}
	return c
}

// literal reports whether argument name is a scalar known now, not a
// template left for the run-time Decode.
func (c *checker) literal(name string) bool {
	n := c.values[name]
	return n != nil && n.Kind == yaml.ScalarNode && !tmpl.IsTemplate(n.Value)
}

func (c *checker) addf(name, format string, a ...any) *diag.Error {
	return c.errs.Addf(diag.At(c.file, c.values[name]), moduleName+": "+format, a...)
}

// check validates every argument and returns the timeout.
func (c *checker) check(a arguments) time.Duration {
	c.name(a.Name)
	c.oneOf("state", a.State, started, stopped, restarted)
	c.oneOf("manager", a.Manager, managerAuto, managerSystemd, managerSysV)
	return c.timeout(a.Timeout)
}

// name refuses names that would not reach systemctl or service as one
// plain service name: a leading - would be read as an option, a / would
// make `service` run a script from elsewhere.
func (c *checker) name(s string) {
	if !c.literal("name") {
		return
	}
	switch {
	case s == "":
		c.addf("name", "name is empty").WithHint("give the service's name, e.g. dynatracegateway")
	case strings.HasPrefix(s, "-"):
		c.addf("name", "name %q starts with -, which systemctl and service would take for an option", s)
	case strings.ContainsFunc(s, func(r rune) bool { return r == '/' || unicode.IsControl(r) }):
		// Blanks are allowed: Windows services are called "Dynatrace Gateway".
		c.addf("name", "name %q holds a / or a control character", s).
			WithHint("give the unit, init script or Windows service name, e.g. dynatracegateway")
	}
}

func (c *checker) oneOf(name, value string, allowed ...string) {
	if !c.literal(name) {
		return
	}
	for _, a := range allowed {
		if value == a {
			return
		}
	}
	e := c.addf(name, "%s is %q, it must be %s", name, value, orList(allowed))
	if s := diag.Suggest(value, allowed); s != "" {
		e.WithHint("did you mean %q?", s)
	}
}

func orList(words []string) string {
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}

// timeout parses the timeout; a template or a bad value gives the
// default, which only matters at compile time.
func (c *checker) timeout(s string) time.Duration {
	if !c.literal("timeout") {
		return defaultTimeout
	}
	d, err := args.PositiveDuration(s)
	if err != nil {
		c.addf("timeout", "timeout: %v", err).WithHint("write a duration such as 90s or 2m, or a number of seconds")
		return defaultTimeout
	}
	return d
}
