package apirotate

import (
	"fmt"
	"slices"
	"strings"

	"github.com/rotplay/rotplay/modules"
)

// gate is the finish gate: finishing invalidates the old token, so every
// host of the rotation's earlier phases must be done (its tasks all
// succeeded, read-backs included) unless the operator named it with
// --finish-anyway. It returns the refusal, or the hosts accepted as lost.
func gate(f *modules.Fleet) (refusal string, accepted []string) {
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
	return fmt.Sprintf("refusing to finish the rotation: %d host(s) are not verified on the new token and would be cut off: %s. "+
		"Rotate them first (run again, without --limit: the open rotation resumes and hosts already done are left alone), "+
		"or accept losing them with --finish-anyway %s", len(blockers), strings.Join(blockers, "; "), strings.Join(names, ",")), accepted
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
func gated(h modules.Host, run func() (modules.Result, error)) (modules.Result, error) {
	refusal, accepted := gate(h.Fleet)
	if refusal != "" {
		return modules.Result{Failed: true, Msg: refusal}, nil
	}
	res, err := run()
	if len(accepted) > 0 && err == nil && !res.Failed {
		res.Msg += fmt.Sprintf("; WARNING: finished with %d host(s) accepted as lost (--finish-anyway): %s",
			len(accepted), strings.Join(accepted, "; "))
	}
	return res, err
}
