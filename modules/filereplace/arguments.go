package filereplace

import (
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/rotplay/rotplay/diag"
	"github.com/rotplay/rotplay/tmpl"
)

// arguments are file_replace's task arguments, as decoded by args.Decode.
type arguments struct {
	Path    string `yaml:"path" args:"required"`
	Key     string `yaml:"key"`
	Value   string `yaml:"value"`
	Regexp  string `yaml:"regexp"`
	Replace string `yaml:"replace"`
	Section string `yaml:"section"`
	Expect  *int   `yaml:"expect"` // nil: at least one match
	Missing string `yaml:"missing"`
	Backup  bool   `yaml:"backup"`
	// Secret marks the values of matching lines, old and new, as secrets
	// to redact everywhere (diffs included). nil: true when the key's name
	// says it holds a token, password or secret.
	Secret *bool `yaml:"secret"`
}

// secret reports whether the values this task touches are secrets.
func (a arguments) secret() bool {
	if a.Secret != nil {
		return *a.Secret
	}
	return sensitiveKey(a.Key)
}

// What to do when the file does not exist.
const (
	missingFail = "fail"
	missingSkip = "skip"
)

// modeHint is the hint for every error about choosing a mode.
const modeHint = "use key and value to set the value of a `key = value` line, " +
	"or regexp and replace to rewrite what a regular expression matches"

// checker validates decoded arguments against the YAML they came from, so
// that each problem points at the argument at fault. It adds to errs and
// never stops at the first problem.
type checker struct {
	file   string
	args   *yaml.Node            // the arguments mapping; may be nil
	keys   map[string]*yaml.Node // argument name -> its key node
	values map[string]*yaml.Node // argument name -> its value node
	errs   *diag.List
}

func newChecker(file string, n *yaml.Node, errs *diag.List) *checker {
	c := &checker{file: file, args: n, keys: map[string]*yaml.Node{}, values: map[string]*yaml.Node{}, errs: errs}
	if n == nil || n.Kind != yaml.MappingNode {
		return c
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		name := n.Content[i].Value
		if c.keys[name] == nil { // args.Decode reports duplicates
			c.keys[name], c.values[name] = n.Content[i], n.Content[i+1]
		}
	}
	return c
}

// given reports whether the task sets the argument name.
func (c *checker) given(name string) bool { return c.keys[name] != nil }

// valueNode returns the value node of argument name, or nil.
func (c *checker) valueNode(name string) *yaml.Node { return c.values[name] }

// scalar reports whether argument name is given as a scalar: other kinds
// were already reported by args.Decode, and checking them again would only
// repeat the problem.
func (c *checker) scalar(name string) bool {
	return c.given(name) && c.valueNode(name).Kind == yaml.ScalarNode
}

// at returns the position of argument name's value, or of the arguments
// when it is not given.
func (c *checker) at(name string) diag.Pos {
	if c.given(name) {
		return diag.At(c.file, c.valueNode(name))
	}
	return diag.At(c.file, c.args)
}

func (c *checker) addf(pos diag.Pos, format string, a ...any) *diag.Error {
	return c.errs.Addf(pos, moduleName+": "+format, a...)
}

// mode checks that exactly one of the two modes is chosen, completely.
func (c *checker) mode() {
	key, re := c.given("key"), c.given("regexp")
	switch {
	case key && re:
		c.addf(diag.At(c.file, c.keys["regexp"]), "both key and regexp given").WithHint(modeHint)
	case !key && !re:
		c.addf(diag.At(c.file, c.args), "neither key nor regexp given").WithHint(modeHint)
	case key:
		c.pair("key", "value", "replace")
	default:
		c.pair("regexp", "replace", "value")
	}
}

// pair checks that lead comes with its partner and not with other, the
// partner of the other mode.
func (c *checker) pair(lead, partner, other string) {
	if !c.given(partner) {
		c.addf(diag.At(c.file, c.keys[lead]), "%s needs %s", lead, partner).
			WithHint("add %s: with the new text", partner)
	}
	if c.given(other) {
		c.addf(diag.At(c.file, c.keys[other]), "%s does not go with %s", other, lead).
			WithHint(modeHint)
	}
}

// check validates every argument, after mode. It returns the compiled
// regexp when there is one that is not a template.
func (c *checker) check(a arguments) *regexp.Regexp {
	c.mode()
	c.path(a.Path)
	c.key(a.Key)
	c.newText("value")
	c.newText("replace")
	c.section(a.Section)
	c.expect()
	c.missing(a.Missing)
	return c.compileRegexp(a.Regexp)
}

func (c *checker) path(p string) {
	if c.scalar("path") && p == "" {
		c.addf(c.at("path"), "path is empty").WithHint("set path to the file to edit")
	}
}

// key checks that the key could ever match: parseKeyValue ends a key at the
// first blank or '=' and never reads one from a comment or header line.
func (c *checker) key(k string) {
	if !c.scalar("key") || tmpl.IsTemplate(k) {
		return
	}
	switch {
	case k == "":
		c.addf(c.at("key"), "key is empty").WithHint("set key to the name before the = or blank, e.g. tenantToken")
	case strings.ContainsAny(k, "= \t\r\n\v\f"):
		c.addf(c.at("key"), "key %q holds a blank or =, so it can never match", k).
			WithHint("set key to the name before the = or blank only")
	case strings.IndexByte(notKeyChars, k[0]) >= 0:
		c.addf(c.at("key"), "key %q starts with %q, which starts a comment or section header, so it can never match", k, k[:1]).
			WithHint("to rewrite such lines use regexp and replace")
	}
}

// newText checks value or replace: the new text of part of one line.
func (c *checker) newText(name string) {
	if !c.scalar(name) {
		return
	}
	n := c.valueNode(name)
	switch {
	case n.Tag == "!!null":
		c.addf(c.at(name), "%s is null", name).
			WithHint(`write %s: "" if the text should really become empty`, name)
	case strings.ContainsAny(n.Value, "\r\n"):
		c.addf(c.at(name), "%s holds a line break", name).
			WithHint("file_replace edits within a line; a block scalar (| or >) ends with a line break, use a quoted string")
	case name == "value" && !tmpl.IsTemplate(n.Value) && !readsBack("k="+n.Value, "k", n.Value):
		c.addf(c.at(name), "value would not read back as the key's value: "+
			"it starts or ends with a blank, or holds a # or ; after a blank, which starts a comment").
			WithHint("remove the blanks around the value; a value with an inline comment cannot be set in key mode, use regexp")
	}
}

func (c *checker) section(s string) {
	if !c.scalar("section") {
		return
	}
	switch {
	case s == "":
		c.addf(c.at("section"), "section is empty").WithHint("leave section out to edit the whole file")
	case strings.ContainsAny(s, "[]\r\n"):
		c.addf(c.at("section"), "section %q holds brackets or a line break", s).
			WithHint("write the name only: section: %s", strings.Trim(s, "[] \r\n"))
	}
}

// expect decodes the node again: a value args.Decode rejected leaves a
// zero behind that must not be reported a second time. A null expect is
// left unset, as args.Decode leaves it.
func (c *checker) expect() {
	var n int
	if !c.scalar("expect") || c.valueNode("expect").Tag == "!!null" ||
		c.valueNode("expect").Decode(&n) != nil || n >= 1 {
		return
	}
	c.addf(c.at("expect"), "expect is %d, it must be 1 or more", n).
		WithHint("finding no line always fails; leave expect out to require at least one")
}

func (c *checker) missing(m string) {
	if !c.scalar("missing") || tmpl.IsTemplate(m) || m == missingFail || m == missingSkip {
		return
	}
	e := c.addf(c.at("missing"), "missing is %q, it must be %s or %s", m, missingFail, missingSkip)
	if s := diag.Suggest(m, []string{missingFail, missingSkip}); s != "" {
		e.WithHint("did you mean %q?", s)
	}
}

// compileRegexp compiles re unless it is a template, which is compiled when the
// task is decoded again with rendered arguments.
func (c *checker) compileRegexp(re string) *regexp.Regexp {
	if !c.scalar("regexp") || tmpl.IsTemplate(re) {
		return nil
	}
	if re == "" {
		c.addf(c.at("regexp"), "regexp is empty").WithHint("an empty regexp matches every line; write what to find")
		return nil
	}
	compiled, err := regexp.Compile(re)
	if err != nil {
		c.addf(c.at("regexp"), "regexp does not compile: %v", err).
			WithHint("regexp uses Go syntax, see https://pkg.go.dev/regexp/syntax")
		return nil
	}
	return compiled
}
