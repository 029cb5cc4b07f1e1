package apirotate

import (
	"fmt"
	"slices"
	"strings"

	"github.com/rotplay/rotplay/modules"
)

// gate is the finish (and cancel) gate: finishing invalidates the old
// token, and cancelling invalidates the new one, so every host of the
// earlier phases must be done (its tasks all succeeded, read-backs
// included: on the new token before finish, back on the old one before a
// cancel) unless the operator named it with --finish-anyway. It returns the
// refusal, or the hosts accepted as lost.
func gate(f *modules.Fleet, action string) (refusal string, accepted []string) {
	if f == nil {
		return "", nil
	}
	var blockers []string
	for _, h := range f.Hosts {
		if h.Status == "done" {
			continue
		}
		desc := fmt.Sprintf("%s (%s: %s)", h.Name, h.Status, firstLine(h.Reason))
		if slices.Contains(f.FinishAnyway, h.Name) {
			accepted = append(accepted, desc)
			continue
		}
		blockers = append(blockers, desc)
	}
	if len(blockers) == 0 {
		return "", accepted
	}
	names := make([]string, 0, len(blockers))
	for _, b := range blockers {
		name, _, _ := strings.Cut(b, " ")
		names = append(names, name)
	}
	want := "the new token"
	if action == "cancel" {
		want = "the old token"
	}
	return fmt.Sprintf("refusing to %s the rotation: %d host(s) are not verified on %s and would be cut off: %s. "+
		"Rotate them first (run again, without --limit: the open rotation resumes and hosts already done are left alone), "+
		"or accept losing them with --finish-anyway %s", action, len(blockers), want, strings.Join(blockers, "; "), strings.Join(names, ",")), accepted
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	if line == "" {
		return "no reason recorded"
	}
	return line
}

// gated applies the gate to a finish: a refusal is the task's failure, and
// hosts accepted as lost are said loudly in the message.
func gated(h modules.Host, action string, run func() (modules.Result, error)) (modules.Result, error) {
	refusal, accepted := gate(h.Fleet, action)
	if refusal != "" {
		return modules.Result{Failed: true, Msg: refusal}, nil
	}
	res, err := run()
	if len(accepted) > 0 && err == nil && !res.Failed {
		res.Msg += fmt.Sprintf("; WARNING: %s with %d host(s) accepted as lost (--finish-anyway): %s",
			action, len(accepted), strings.Join(accepted, "; "))
	}
	return res, err
}
