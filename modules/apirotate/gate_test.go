package apirotate

import (
	"context"
	"strings"
	"testing"

	"github.com/rotplay/rotplay/modules"
)

func TestGate(t *testing.T) {
	t.Parallel()
	fleet := &modules.Fleet{Hosts: []modules.FleetHost{
		{Name: "ag-1", Status: "done"},
		{Name: "oa-1", Status: "unreachable", Reason: "connect: refused"},
		{Name: "oa-2", Status: "excluded", Reason: "left out by --limit"},
	}}
	refusal, _ := gate(fleet, "finish")
	for _, want := range []string{"2 host(s)", "oa-1 (unreachable: connect: refused)", "oa-2 (excluded", "--finish-anyway oa-1,oa-2"} {
		if !strings.Contains(refusal, want) {
			t.Errorf("refusal %q lacks %q", refusal, want)
		}
	}
	fleet.FinishAnyway = []string{"oa-1", "oa-2"}
	if refusal, accepted := gate(fleet, "finish"); refusal != "" || len(accepted) != 2 {
		t.Fatalf("accepted hosts: %q %v", refusal, accepted)
	}
	if refusal, _ := gate(&modules.Fleet{Hosts: []modules.FleetHost{{Name: "a", Status: "done"}}}, "finish"); refusal != "" {
		t.Fatal("all done must pass")
	}
}

// TestFinishRefusedCallsNothing: a refused finish never reaches the API.
func TestFinishRefusedCallsNothing(t *testing.T) {
	e := newEnv(t)
	if _, err := e.apply("start"); err != nil {
		t.Fatal(err)
	}
	host := modules.Host{Name: "controller", Fleet: &modules.Fleet{Hosts: []modules.FleetHost{{Name: "oa-9", Status: "failed", Reason: "exit 1"}}}}
	for _, run := range []func(context.Context, modules.Host) (modules.Result, error){
		e.action("{action: finish, environment: URL}").Check,
		e.action("{action: finish, environment: URL}").Apply,
	} {
		res, err := run(context.Background(), host)
		if err != nil || !res.Failed || !strings.Contains(res.Msg, "refusing to finish") {
			t.Fatalf("got %+v %v", res, err)
		}
	}
	if n := e.sim.Requests("finish"); n != 0 {
		t.Fatalf("finish reached the API %d times", n)
	}
}
