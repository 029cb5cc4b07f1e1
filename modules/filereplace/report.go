package filereplace

import (
	"fmt"

	"github.com/rotplay/rotplay/modules"
)

// report is the Result of a successful Check or Apply; verb says what
// happens to changed lines ("changed", "would change").
func (a *action) report(fe fileEdit, ed lineEditor, verb string) modules.Result {
	r := modules.Result{Changed: fe.changedBytes(), Values: a.values(fe.textEdit)}
	if a.args.secret() {
		r.Secrets = fe.sensitive
	}
	if !r.Changed {
		r.Msg = fmt.Sprintf("already up to date: %s in %s", countOf(fe.matches, "matching line"), a.args.Path)
		return r
	}
	r.Msg = fmt.Sprintf("%s %s in %s", countOf(fe.changed, "line"), verb, a.args.Path)
	d := modules.Diff{Path: a.args.Path, Before: fe.before, After: fe.text}
	if a.args.secret() {
		d.Before, d.After = redactText(d.Before, ed), redactText(d.After, ed)
	}
	r.Diffs = []modules.Diff{d}
	return r
}

// values are registered with the task's result.
func (a *action) values(te textEdit) map[string]any {
	return map[string]any{"path": a.args.Path, "matches": te.matches, "changed_lines": te.changed}
}

// absent is the Result when the file does not exist.
func (a *action) absent() modules.Result {
	r := modules.Result{Values: map[string]any{"path": a.args.Path}}
	if a.args.Missing == missingSkip {
		r.Skipped, r.Msg = true, a.args.Path+" absent, skipped"
		return r
	}
	r.Failed = true
	r.Msg = a.args.Path + " does not exist; check the path, or set missing: skip if the file is optional on some hosts"
	return r
}

// countProblem returns why the number of matching lines is wrong, or "".
// Zero matches is always wrong: a rotation that silently edits nothing
// would leave the old token in place.
func (a *action) countProblem(te textEdit) string {
	want, ok := "at least 1", te.matches >= 1
	if a.args.Expect != nil {
		want, ok = fmt.Sprintf("exactly %d", *a.args.Expect), te.matches == *a.args.Expect
	}
	if ok {
		return ""
	}
	return fmt.Sprintf("%s: found %s %s%s, expected %s; nothing was changed: %s",
		a.args.Path, countOf(te.matches, "line"), a.target(), a.where(), want, a.countHint(te))
}

func (a *action) target() string {
	if a.keyMode {
		return fmt.Sprintf("with key %q", a.args.Key)
	}
	return fmt.Sprintf("matching regexp %q", a.args.Regexp)
}

func (a *action) where() string {
	if a.args.Section == "" {
		return ""
	}
	return fmt.Sprintf(" in section [%s]", a.args.Section)
}

// countHint says what to check, from the most likely cause down.
func (a *action) countHint(te textEdit) string {
	switch {
	case !te.sectionFound:
		return fmt.Sprintf("the file has no section [%s]; check the name, which must match exactly, case included", a.args.Section)
	case te.matches == 0 && a.keyMode:
		return "check the key, which matches ignoring case in `key = value`, `key=value` and `key value` lines " +
			"(comment lines do not count), and that this is the right file"
	case te.matches == 0:
		return "check the regexp, which is matched against each line without its line ending, and that this is the right file"
	case a.args.Section == "":
		return "check that this is the right file; set section to edit one INI section only, " +
			"or expect to the number of lines that should change"
	default:
		return "check that this is the right file, or set expect to the number of lines that should change"
	}
}

// countOf renders "1 line" or "2 lines"; noun is singular.
func countOf(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
