package playbook

import (
	"math"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/rotplay/rotplay/diag"
)

var phaseKeys = []string{"name", "hosts", "vars", "forks", "max_fail_percentage", "tasks"}

func (p *parser) phase(n *yaml.Node) *Phase {
	ph := &Phase{Pos: p.at(n)}
	var tasks *yaml.Node
	for _, kv := range p.mapping(n, "phase") {
		k, v := kv[0], kv[1]
		switch k.Value {
		case "name":
			ph.Name = p.str(v, "name")
		case "hosts":
			ph.Hosts, ph.HostsPos = p.str(v, "hosts"), p.at(v)
		case "vars":
			ph.Vars = p.vars(v, "phase vars")
		case "forks":
			ph.Forks = p.intMin(v, "forks", 1)
		case "max_fail_percentage":
			ph.MaxFailPercentage, ph.MaxFailPos = p.percent(v), p.at(v)
		case "tasks":
			tasks = v
		default:
			p.unknownKey(k, "a phase", phaseKeys)
		}
	}
	if ph.Hosts == "" && n.Kind == yaml.MappingNode {
		p.errs.Addf(ph.Pos, "phase %q has no hosts", ph.Name).
			WithHint("add `hosts:` with a group, a host, a pattern, or %q", Controller)
	}
	if tasks == nil || tasks.Kind != yaml.SequenceNode || len(tasks.Content) == 0 {
		if n.Kind == yaml.MappingNode {
			pos := ph.Pos
			if tasks != nil {
				pos = p.at(tasks)
			}
			p.errs.Addf(pos, "phase %q has no tasks", ph.Name).WithHint("add `tasks:` with a list of tasks")
		}
		return ph
	}
	for _, t := range tasks.Content {
		ph.Tasks = append(ph.Tasks, p.task(t))
	}
	return ph
}

// TaskKeywords are the keys of a task that are not its module.
var TaskKeywords = []string{"name", "when", "register", "retries", "delay", "timeout",
	"ignore_errors", "no_log", "changed_when", "failed_when", "check_mode"}

func isKeyword(s string) bool {
	for _, k := range TaskKeywords {
		if k == s {
			return true
		}
	}
	return false
}

func (p *parser) task(n *yaml.Node) *Task {
	t := &Task{Pos: p.at(n)}
	var others [][2]*yaml.Node
	for _, kv := range p.mapping(n, "task") {
		if !isKeyword(kv[0].Value) {
			others = append(others, kv)
			continue
		}
		p.taskKeyword(t, kv[0], kv[1])
	}
	for _, kv := range p.misspeltKeywords(others) {
		p.taskModule(t, kv[0], kv[1])
	}
	if t.Module == "" && n.Kind == yaml.MappingNode {
		p.errs.Addf(t.Pos, "task %q names no module", t.Name).
			WithHint("add one module key, e.g. `command: ...` or `file_replace:` with its arguments")
	}
	if t.Register != "" {
		p.checkName(t.Register, t.RegisterPos, "register name")
	}
	if t.DelaySet && t.Retries == 0 {
		p.errs.Addf(t.Pos, "task %q sets delay without retries", t.Title()).WithHint("add `retries: N` or remove delay")
	}
	return t
}

// misspeltKeywords reports, among several candidate module keys, those that
// look like a misspelt task keyword, and returns the rest.
func (p *parser) misspeltKeywords(keys [][2]*yaml.Node) [][2]*yaml.Node {
	if len(keys) < 2 {
		return keys
	}
	var rest [][2]*yaml.Node
	for _, kv := range keys {
		if s := diag.Suggest(kv[0].Value, TaskKeywords); s != "" {
			p.errs.Addf(p.at(kv[0]), "unknown task keyword %q", kv[0].Value).WithHint("did you mean %q?", s)
			continue
		}
		rest = append(rest, kv)
	}
	return rest
}

func (p *parser) taskModule(t *Task, k, v *yaml.Node) {
	if t.Module != "" {
		p.errs.Addf(p.at(k), "task names two modules, %q and %q", t.Module, k.Value).
			WithHint("a task runs exactly one module; split it into two tasks, or fix a misspelt keyword")
		return
	}
	t.Module, t.ModulePos, t.Args = k.Value, p.at(k), v
	if v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
		t.Args = nil
	}
}

func (p *parser) taskKeyword(t *Task, k, v *yaml.Node) {
	switch k.Value {
	case "name":
		t.Name = p.str(v, "name")
	case "when":
		t.When = p.cond(v, "when")
	case "changed_when":
		t.ChangedWhen = p.cond(v, "changed_when")
	case "failed_when":
		t.FailedWhen = p.cond(v, "failed_when")
	case "register":
		t.Register, t.RegisterPos = p.str(v, "register"), p.at(v)
	case "retries":
		t.Retries = p.intMin(v, "retries", 0)
	case "delay":
		t.Delay, t.DelaySet = p.duration(v, "delay"), true
	case "timeout":
		t.Timeout = p.duration(v, "timeout")
	case "ignore_errors":
		t.IgnoreErrors = p.boolean(v, "ignore_errors")
	case "no_log":
		t.NoLog = p.boolean(v, "no_log")
	case "check_mode":
		b := p.boolean(v, "check_mode")
		t.CheckMode = &b
	}
}

// cond reads an expression keyword. A YAML boolean is accepted as the
// expression true/false.
func (p *parser) cond(v *yaml.Node, key string) Cond {
	if v.Kind != yaml.ScalarNode {
		p.errs.Addf(p.at(v), "%s must be an expression", key).WithHint(`e.g. %s: host.os == "linux"`, key)
		return Cond{}
	}
	src := strings.TrimSpace(v.Value)
	if strings.HasPrefix(src, "{{") && strings.HasSuffix(src, "}}") {
		src = strings.TrimSpace(src[2 : len(src)-2])
	}
	return Cond{Src: src, Pos: p.at(v)}
}

func (p *parser) str(v *yaml.Node, key string) string {
	if v.Kind != yaml.ScalarNode || v.Tag == "!!null" {
		p.errs.Addf(p.at(v), "%s must be a string", key)
		return ""
	}
	return v.Value
}

func (p *parser) intMin(v *yaml.Node, key string, lo int) int {
	n, err := strconv.Atoi(v.Value)
	if v.Kind != yaml.ScalarNode || err != nil || n < lo {
		p.errs.Addf(p.at(v), "%s must be a whole number of at least %d, got %q", key, lo, v.Value)
		return 0
	}
	return n
}

func (p *parser) boolean(v *yaml.Node, key string) bool {
	var b bool
	if v.Kind != yaml.ScalarNode || v.Decode(&b) != nil {
		p.errs.Addf(p.at(v), "%s must be true or false, got %q", key, v.Value)
	}
	return b
}

// duration accepts a Go duration ("90s", "2m") or a number of seconds.
// maxSeconds is the first number of seconds a time.Duration cannot hold.
const maxSeconds = float64(math.MaxInt64) / float64(time.Second)

func (p *parser) duration(v *yaml.Node, key string) time.Duration {
	if v.Kind == yaml.ScalarNode {
		// A number of seconds; NaN, infinities and more than a Duration
		// holds fail the range check and are reported below.
		if n, err := strconv.ParseFloat(v.Value, 64); err == nil && n >= 0 && n < maxSeconds {
			return time.Duration(n * float64(time.Second))
		}
		if d, err := time.ParseDuration(v.Value); err == nil && d >= 0 {
			return d
		}
	}
	p.errs.Addf(p.at(v), "%s must be a duration such as 30s or 2m, or a number of seconds, got %q", key, v.Value)
	return 0
}

func (p *parser) percent(v *yaml.Node) *float64 {
	s := strings.TrimSuffix(v.Value, "%")
	f, err := strconv.ParseFloat(s, 64)
	if v.Kind != yaml.ScalarNode || err != nil || f < 0 || f > 100 {
		p.errs.Addf(p.at(v), "max_fail_percentage must be a number from 0 to 100, got %q", v.Value)
		return nil
	}
	return &f
}
