package oneagentctl

import (
	"strings"
	"unicode"

	"go.yaml.in/yaml/v3"

	"github.com/rotplay/rotplay/diag"
	"github.com/rotplay/rotplay/tmpl"
)

// arguments are the oneagentctl module's task arguments, as args.Decode
// fills them.
type arguments struct {
	TenantToken string `yaml:"tenant_token"`
	Tenant      string `yaml:"tenant"`
	Server      string `yaml:"server"`
	Restart     *bool  `yaml:"restart"` // nil: true
	Path        string `yaml:"path"`
	GetOnly     bool   `yaml:"get_only"`
	// ForceRestart restarts OneAgent even when it already has the token:
	// after a run that died between setting it and the restart, the agent
	// may be stopped or still running with the old token in memory.
	ForceRestart bool `yaml:"force_restart"`
}

// setters are the arguments that only make sense when setting.
var setters = []string{"tenant_token", "tenant", "server", "restart", "force_restart"}

const tokenHint = `give the new token, e.g. tenant_token: "{{ rotation.active }}", or set get_only: true to only read the current one`

// checker validates decoded arguments against the YAML they came from, so
// that each problem points at the argument at fault. It never stops at
// the first problem. Arguments given as something other than a scalar
// were reported by args.Decode and are not checked again.
type checker struct {
	file   string
	args   *yaml.Node // the arguments mapping; may be nil
	keys   map[string]*yaml.Node
	values map[string]*yaml.Node
	errs   *diag.List
}

func newChecker(file string, n *yaml.Node, errs *diag.List) *checker {
	c := &checker{file: file, args: n, keys: map[string]*yaml.Node{}, values: map[string]*yaml.Node{}, errs: errs}
	if n == nil || n.Kind != yaml.MappingNode {
		return c
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if name := n.Content[i].Value; c.keys[name] == nil {
			c.keys[name], c.values[name] = n.Content[i], n.Content[i+1]
		}
	}
	return c
}

func (c *checker) given(name string) bool { return c.keys[name] != nil }

// literal reports whether argument name is a scalar known now: not a
// template, which is checked when the run-time Decode sees it rendered.
func (c *checker) literal(name string) bool {
	return c.given(name) && c.values[name].Kind == yaml.ScalarNode && !tmpl.IsTemplate(c.values[name].Value)
}

func (c *checker) addf(n *yaml.Node, format string, a ...any) *diag.Error {
	return c.errs.Addf(diag.At(c.file, n), moduleName+": "+format, a...)
}

func (c *checker) check(a arguments) {
	c.mode(a.GetOnly)
	c.token(a.TenantToken)
	c.tenant(a.Tenant)
	c.server(a.Server)
	c.path(a.Path)
}

// mode checks that get_only and the setting arguments exclude each other,
// unless get_only is a template, which only the run-time Decode can judge.
func (c *checker) mode(getOnly bool) {
	if c.given("get_only") && !c.literal("get_only") {
		return
	}
	if !getOnly {
		if !c.given("tenant_token") {
			c.addf(c.args, "missing required argument %q", "tenant_token").WithHint(tokenHint)
		}
		return
	}
	for _, name := range setters {
		if c.given(name) {
			c.addf(c.keys[name], "%s does not go with get_only: true", name).
				WithHint("get_only only reads the current token; remove %s or get_only", name)
		}
	}
}

// token checks the token's shape without ever quoting it: it is a secret,
// and diagnostics are printed.
func (c *checker) token(t string) {
	if !c.literal("tenant_token") {
		return
	}
	n := c.values["tenant_token"]
	switch {
	case n.Tag == "!!null" || t == "":
		c.addf(n, "tenant_token is empty").WithHint(tokenHint)
	case strings.IndexFunc(t, notTokenRune) >= 0:
		c.addf(n, "tenant_token holds a blank, a line break or a control character, which no tenant token does").
			WithHint("check where the value comes from; it is passed to oneagentctl as one line")
	}
}

func notTokenRune(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }

func (c *checker) tenant(t string) {
	if !c.literal("tenant") {
		return
	}
	n := c.values["tenant"]
	switch {
	case t == "":
		c.addf(n, "tenant is empty").WithHint("leave tenant out to keep the environment ID the agent has")
	case strings.Trim(t, idChars) != "":
		c.addf(n, "tenant %q is not an environment ID", t).
			WithHint("an environment ID is letters, digits, - and _, e.g. abc12345")
	}
}

const idChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_"

func (c *checker) server(s string) {
	if !c.literal("server") {
		return
	}
	n := c.values["server"]
	switch {
	case s == "":
		c.addf(n, "server is empty").WithHint("leave server out to keep the endpoints the agent has")
	case strings.IndexFunc(s, notTokenRune) >= 0:
		c.addf(n, "server holds a blank or a control character").
			WithHint("separate endpoints with ; and group them in {}, as oneagentctl --set-server expects")
	}
}

func (c *checker) path(p string) {
	if !c.literal("path") {
		return
	}
	n := c.values["path"]
	switch {
	case p == "":
		c.addf(n, "path is empty").WithHint("leave path out to use oneagentctl's default location")
	case !absolute(p):
		c.addf(n, "path must be absolute, got %q", p).
			WithHint("give the full path, e.g. /opt/dynatrace/oneagent/agent/tools/oneagentctl")
	}
}

// absolute reports whether p is an absolute path on Linux/AIX (/...) or
// Windows (C:\..., C:/..., \\server\..., or starting with a %VARIABLE%
// the host expands, such as %PROGRAMFILES%).
func absolute(p string) bool {
	switch {
	case strings.HasPrefix(p, "/"), strings.HasPrefix(p, `\\`), strings.HasPrefix(p, "%"):
		return true
	case len(p) >= 3 && p[1] == ':' && (p[2] == '\\' || p[2] == '/'):
		c := p[0] | 0x20
		return c >= 'a' && c <= 'z'
	}
	return false
}
