package engine_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/rotplay/rotplay/engine"
	"github.com/rotplay/rotplay/inventory"
	"github.com/rotplay/rotplay/modules"
	"github.com/rotplay/rotplay/playbook"
	"github.com/rotplay/rotplay/secret"
	"github.com/rotplay/rotplay/transport"
	"github.com/rotplay/rotplay/transport/fake"
)

const benchPlaybook = `
vars:
  token: "{{ secret('NEWTOKENVALUE0001') }}"
phases:
  - name: start
    hosts: controller
    tasks:
      - probe: {values: {active: "{{ token }}"}}
        register: rotation
  - name: gates
    hosts: activegates
    tasks:
      - probe: {msg: "stop {{ host.name }}"}
      - probe: {msg: "{{ rotation.active }}", changed: true}
      - probe: {msg: "start"}
  - name: agents
    hosts: oneagents
    tasks:
      - probe: {msg: "{{ rotation.active }}", changed: true}
        when: host.os == "linux"
`

func benchInventory(n int) string {
	var b strings.Builder
	b.WriteString("all:\n  vars: {ansible_connection: fake}\n  children:\n    activegates:\n      hosts:\n")
	for i := 0; i < n/10; i++ {
		fmt.Fprintf(&b, "        ag-%05d:\n", i)
	}
	b.WriteString("    oneagents:\n      hosts:\n")
	for i := 0; i < n-n/10; i++ {
		fmt.Fprintf(&b, "        oa-%05d:\n", i)
	}
	return b.String()
}

func benchPlan(b *testing.B, n int) (*engine.Plan, *fake.Network) {
	b.Helper()
	pb, err := playbook.Parse("bench.yaml", []byte(benchPlaybook))
	if err != nil {
		b.Fatal(err)
	}
	inv, err := inventory.Parse("inv.yaml", []byte(benchInventory(n)))
	if err != nil {
		b.Fatal(err)
	}
	plan, err := engine.Compile(pb, inv, engine.CompileOptions{
		Modules: modules.NewRegistry(probe{rec: newRecorder()}), Connections: []string{"fake", "local"},
	})
	if err != nil {
		b.Fatal(err)
	}
	net := fake.NewNetwork(&fake.Host{Name: engine.ControllerHost})
	for _, h := range inv.Hosts() {
		net.Add(&fake.Host{Name: h.Name})
	}
	return plan, net
}

// BenchmarkCompile measures compiling a rotation-shaped playbook for 1,000
// hosts (parsing, host selection, per-host variable checks).
func BenchmarkCompile1000(b *testing.B) {
	inv := benchInventory(1000)
	for b.Loop() {
		pb, _ := playbook.Parse("bench.yaml", []byte(benchPlaybook))
		iv, _ := inventory.Parse("inv.yaml", []byte(inv))
		if _, err := engine.Compile(pb, iv, engine.CompileOptions{
			Modules: modules.NewRegistry(probe{rec: newRecorder()}), Connections: []string{"fake", "local"},
		}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRun1000 measures the engine's own cost of running the plan on
// 1,000 in-memory hosts whose tasks take no time.
func BenchmarkRun1000(b *testing.B) {
	plan, net := benchPlan(b, 1000)
	for b.Loop() {
		r := &engine.Runner{Dialers: map[string]transport.Dialer{"fake": net, "local": net}, Secrets: &secret.Redactor{}}
		if _, err := r.Run(context.Background(), plan); err != nil {
			b.Fatal(err)
		}
	}
}
