package main

import (
	"context"
	"strings"
	"testing"
)

func TestSchedulePrints(t *testing.T) {
	t.Parallel()
	res := runCLI(t, context.Background(), "schedule", "--print", "systemd", "testdata/run/edit.yaml", "-i", "inv.yaml",
		"--on-calendar", "Sun 04:00")
	if res.code != 0 {
		t.Fatalf("%s", res)
	}
	for _, want := range []string{"[Service]", "Type=oneshot", "EnvironmentFile=/etc/rotplay/env", "OnCalendar=Sun 04:00",
		"/cmd/rotplay/testdata/run/edit.yaml -i ", "--state-dir /var/lib/rotplay"} {
		if !strings.Contains(res.stdout, want) {
			t.Errorf("systemd units lack %q:\n%s", want, res.stdout)
		}
	}
	res = runCLI(t, context.Background(), "schedule", "--print", "cron", "testdata/run/edit.yaml")
	if res.code != 0 || !strings.Contains(res.stdout, "30 3 1 */3 * root set -a && . /etc/rotplay/env && set +a && ") {
		t.Fatalf("cron line: %s", res)
	}
	if res := runCLI(t, context.Background(), "schedule", "--print", "at", "x.yaml"); res.code != ExitUsage {
		t.Fatalf("unknown format: %s", res)
	}
}
