package service

import (
	"errors"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/rotplay/rotplay/diag"
	"github.com/rotplay/rotplay/modules"
)

// testModule polls every millisecond, so waits are short.
func testModule() *module { return &module{poll: time.Millisecond} }

// decode decodes the arguments of the task in src, a mapping whose one key
// is service, as the engine hands them over.
func decode(t *testing.T, src string) (modules.Action, error) {
	t.Helper()
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
		t.Fatal(err)
	}
	return testModule().Decode("play.yml", doc.Content[0].Content[1])
}

func TestDecodeErrors(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, src, want string }{
		{"no arguments", "service:\n",
			"play.yml:1:9: service: missing required argument \"name\"\nplay.yml:1:9: service: missing required argument \"state\""},
		{"not a mapping", "service: dynatracegateway\n",
			`play.yml:1:10: service: arguments must be a mapping of key: value, got "dynatracegateway" (write the arguments indented below "service:")`},
		{"bad state", "service:\n  name: oneagent\n  state: start\n",
			`play.yml:3:10: service: state is "start", it must be started, stopped or restarted (did you mean "started"?)`},
		{"bad manager", "service:\n  name: oneagent\n  state: started\n  manager: upstart\n",
			`play.yml:4:12: service: manager is "upstart", it must be auto, systemd or sysv`},
		{"option-like name", "service:\n  name: --user\n  state: started\n",
			`play.yml:2:9: service: name "--user" starts with -, which systemctl and service would take for an option`},
		{"name with a slash", "service:\n  name: ../../tmp/x\n  state: started\n",
			`play.yml:2:9: service: name "../../tmp/x" holds a / or a control character (give the unit, init script or Windows service name, e.g. dynatracegateway)`},
		{"empty name", "service:\n  name: ''\n  state: started\n",
			`play.yml:2:9: service: name is empty (give the service's name, e.g. dynatracegateway)`},
		{"bad timeout", "service:\n  name: oneagent\n  state: started\n  timeout: soon\n",
			`play.yml:4:12: service: timeout: "soon" is not a duration (write a duration such as 90s or 2m, or a number of seconds)`},
		{"zero timeout", "service:\n  name: oneagent\n  state: started\n  timeout: 0\n",
			`play.yml:4:12: service: timeout: "0" is not more than zero (write a duration such as 90s or 2m, or a number of seconds)`},
		{"all problems at once, in order", "service:\n  state: stoped\n  timeout: -1s\n  nmae: x\n",
			"play.yml:2:3: service: missing required argument \"name\"\n" +
				`play.yml:2:10: service: state is "stoped", it must be started, stopped or restarted (did you mean "stopped"?)` + "\n" +
				`play.yml:3:12: service: timeout: "-1s" is not more than zero (write a duration such as 90s or 2m, or a number of seconds)` + "\n" +
				`play.yml:4:3: service: unknown argument "nmae" (did you mean "name"?)`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			act, err := decode(t, tc.src)
			if err == nil || err.Error() != tc.want || act != nil {
				t.Fatalf("Decode error:\n%v\nwant:\n%s", err, tc.want)
			}
			var list diag.List
			if !errors.As(err, &list) {
				t.Errorf("error %T is not a diag.List", err)
			}
		})
	}
}

func TestDecode(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, src string
		want      action
	}{
		{"defaults", "service:\n  name: dynatracegateway\n  state: started\n",
			action{args: arguments{Name: "dynatracegateway", State: started, Manager: managerAuto}, timeout: time.Minute}},
		{"everything", "service:\n  name: oneagent\n  state: restarted\n  timeout: 2m30s\n  manager: sysv\n",
			action{args: arguments{Name: "oneagent", State: restarted, Timeout: "2m30s", Manager: managerSysV}, timeout: 150 * time.Second}},
		{"seconds", "service:\n  name: oneagent\n  state: stopped\n  timeout: 1.5\n  manager: systemd\n",
			action{args: arguments{Name: "oneagent", State: stopped, Timeout: "1.5", Manager: managerSystemd}, timeout: 1500 * time.Millisecond}},
		{"templates are checked later", "service:\n  name: '{{ svc }}'\n  state: '{{ how }}'\n  timeout: '{{ t }}'\n  manager: '{{ m }}'\n",
			action{args: arguments{Name: "{{ svc }}", State: "{{ how }}", Timeout: "{{ t }}", Manager: "{{ m }}"}, timeout: time.Minute}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			act, err := decode(t, tc.src)
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			tc.want.poll = time.Millisecond
			if got := *act.(*action); got != tc.want {
				t.Errorf("Decode = %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestInfo(t *testing.T) {
	t.Parallel()
	if info := New().Info(); info.Name != "service" || info.Controller || info.Summary == "" {
		t.Errorf("Info() = %+v", info)
	}
}
