package report

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rotplay/rotplay/engine"
	"github.com/rotplay/rotplay/internal/golden"
	"github.com/rotplay/rotplay/modules"
	"github.com/rotplay/rotplay/modules/command"
	"github.com/rotplay/rotplay/playbook"
	"github.com/rotplay/rotplay/secret"
	"github.com/rotplay/rotplay/transport"
	"github.com/rotplay/rotplay/transport/local"
	"github.com/rotplay/rotplay/ui"
)

const leaked = "s3cretTokenZZZZ9999"

const leakPlaybook = `name: leak check
vars:
  token: '{{ secret("` + leaked + `") }}'
phases:
  - name: use
    hosts: controller
    tasks:
      - name: echo it
        command: "echo token is {{ token }}"
      - name: fail echoing it
        command: "echo bad token {{ token }} >&2; exit 2"
  - name: never
    hosts: controller
    tasks:
      - command: "true"
`

// TestRealRunLeaksNoSecret runs a playbook on the controller with the
// local transport whose tasks echo a secret, one of them failing, with
// every output at once, and looks for the secret in each.
func TestRealRunLeaksNoSecret(t *testing.T) {
	t.Parallel()
	pb, err := playbook.Parse("leak.yaml", []byte(leakPlaybook))
	if err != nil {
		t.Fatal(err)
	}
	plan, err := engine.Compile(pb, nil, engine.CompileOptions{Modules: modules.NewRegistry(command.New()),
		Connections: []string{"local"}})
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "report-run")
	os.Mkdir(dir, 0o700)
	secrets := &secret.Redactor{}
	var text, lines bytes.Buffer
	js := NewJSON(filepath.Join(dir, "report.json"), plan, secrets)
	ju := NewJUnit(filepath.Join(dir, "junit.xml"), plan, secrets)
	r := &engine.Runner{Forks: 1, Secrets: secrets, Dialers: map[string]transport.Dialer{"local": local.NewDialer()},
		Observer: engine.Observers{&ui.Text{W: &text, Verbose: 1}, NewJSONLines(&lines), js, ju}}
	if _, err := r.Run(context.Background(), plan); err == nil {
		t.Fatal("the run should fail")
	}
	if js.Err() != nil || ju.Err() != nil {
		t.Fatal(js.Err(), ju.Err())
	}
	outputs := map[string]string{"text": text.String(), "jsonl": lines.String(),
		"report.json": readFile(t, filepath.Join(dir, "report.json")), "junit.xml": readFile(t, filepath.Join(dir, "junit.xml"))}
	for name, s := range outputs {
		if strings.Contains(s, leaked) {
			t.Errorf("the secret leaked into %s:\n%s", name, s)
		}
		if !strings.Contains(s, secret.Mask(leaked)) {
			t.Errorf("%s does not show the masked secret, so the test proves nothing:\n%s", name, s)
		}
	}
	checkSchema(t, []byte(outputs["report.json"]))
	golden.Check(t, "testdata/run/report.json", normalise(outputs["report.json"]))
	golden.Check(t, "testdata/run/junit.xml", normalise(outputs["junit.xml"]))
	golden.Check(t, "testdata/run/events.jsonl", normalise(outputs["jsonl"]))
}
