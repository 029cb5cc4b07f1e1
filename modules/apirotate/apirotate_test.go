package apirotate

import (
	"context"
	"errors"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/rotplay/rotplay/dynatrace"
	"github.com/rotplay/rotplay/lab/dtsim"
	"github.com/rotplay/rotplay/modules"
	"github.com/rotplay/rotplay/state"
)

type env struct {
	t     *testing.T
	sim   *dtsim.Simulator
	url   string
	state string
	mod   modules.Module
}

// newEnv starts a simulated environment on loopback. Tests using it set
// DT_API_TOKEN, so they cannot run in parallel.
func newEnv(t *testing.T) *env {
	sim := dtsim.New(dtsim.Options{})
	srv := httptest.NewServer(sim.Handler())
	t.Cleanup(srv.Close)
	t.Setenv(DefaultTokenEnv, sim.APIToken())
	dir := filepath.Join(t.TempDir(), "state")
	e := &env{t: t, sim: sim, url: srv.URL, state: dir}
	e.mod = New(Options{StateDir: dir, Now: func() time.Time { return time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC) }})
	return e
}

func (e *env) action(yamlArgs string) modules.Action {
	e.t.Helper()
	var n yaml.Node
	if err := yaml.Unmarshal([]byte(strings.ReplaceAll(yamlArgs, "URL", e.url)), &n); err != nil {
		e.t.Fatal(err)
	}
	a, err := e.mod.Decode("play.yaml", n.Content[0])
	if err != nil {
		e.t.Fatal(err)
	}
	return a
}

func (e *env) apply(action string) (modules.Result, error) {
	return e.action("{action: "+action+", environment: URL}").Apply(context.Background(), modules.Host{Name: "controller"})
}

func noSecretsIn(t *testing.T, res modules.Result, err error, secrets ...string) {
	t.Helper()
	text := res.Msg
	if err != nil {
		text += err.Error()
	}
	for _, s := range secrets {
		if s != "" && strings.Contains(text, s) {
			t.Fatalf("secret leaked into %q", text)
		}
	}
}

func TestStartSavesBeforeUseAndResumes(t *testing.T) {
	e := newEnv(t)
	res, err := e.apply("start")
	if err != nil || !res.Changed || res.Failed {
		t.Fatalf("start: %+v, %v", res, err)
	}
	active, old := e.sim.Tokens()
	if res.Values["active"] != active || res.Values["old"] != old {
		t.Fatalf("registered %v, simulator has active %s", res.Values, active)
	}
	for _, s := range []string{active, old, e.sim.APIToken()} {
		if !contains(res.Secrets, s) {
			t.Fatalf("secret %q not reported for redaction", s[:4])
		}
	}
	noSecretsIn(t, res, err, active, old, e.sim.APIToken())
	st, _ := state.Open(e.state)
	saved, err := st.LoadRotation(e.url)
	if err != nil || saved.Active != active {
		t.Fatalf("saved rotation %v, %v", saved, err)
	}
	files, _ := filepath.Glob(filepath.Join(e.state, "*.json"))
	for _, f := range files {
		if fi, _ := os.Stat(f); fi.Mode().Perm() != 0o600 {
			t.Fatalf("%s has mode %v, want 0600", f, fi.Mode())
		}
	}

	// A second start, e.g. the run after a crash, resumes without calling the API.
	res, err = e.apply("start")
	if err != nil || res.Changed || res.Values["active"] != active || res.Values["resumed"] != true {
		t.Fatalf("resume: %+v, %v", res, err)
	}
	if n := e.sim.Requests("start"); n != 1 {
		t.Fatalf("start called %d times, want 1", n)
	}
}

func TestFinishClearsState(t *testing.T) {
	e := newEnv(t)
	if _, err := e.apply("start"); err != nil {
		t.Fatal(err)
	}
	res, err := e.apply("finish")
	if err != nil || !res.Changed {
		t.Fatalf("finish: %+v %v", res, err)
	}
	st, _ := state.Open(e.state)
	if _, err := st.LoadRotation(e.url); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("state after finish: %v", err)
	}
	if _, err := e.apply("finish"); err == nil || !strings.Contains(err.Error(), "no rotation is in progress") {
		t.Fatalf("second finish: %v", err)
	}
	if got := strings.Join(e.sim.Calls(), ","); got != "start,finish" {
		t.Fatalf("calls %s", got)
	}
}

func TestCancel(t *testing.T) {
	e := newEnv(t)
	_, _ = e.apply("start")
	_, old := e.sim.Tokens()
	res, err := e.apply("cancel")
	if err != nil || res.Values["active"] != old {
		t.Fatalf("cancel: %+v %v", res, err)
	}
}

func TestStartWhenOpenElsewhere(t *testing.T) {
	e := newEnv(t)
	other := newEnv(t) // a second state directory: the same environment, another machine
	other.sim, other.url = e.sim, e.url
	other.mod = New(Options{StateDir: filepath.Join(t.TempDir(), "elsewhere")})
	if _, err := other.apply("start"); err != nil {
		t.Fatal(err)
	}
	_, err := e.apply("start")
	if !errors.Is(err, dynatrace.ErrRotationInProgress) || !strings.Contains(err.Error(), "cancel it") {
		t.Fatalf("got %v", err)
	}
}

// TestStartResponseLost: the start answer is lost after the rotation began
// server-side; the new token is recovered through connectioninfo (which the
// simulator, like Dynatrace is believed to, answers with the new token),
// saved, and start is never sent twice.
func TestStartResponseLost(t *testing.T) {
	e := newEnv(t)
	oldTok, _ := e.sim.Tokens()
	e.sim.DropResponse("start")
	res, err := e.apply("start")
	active, _ := e.sim.Tokens()
	if err != nil || res.Values["active"] != active || res.Values["old"] != oldTok || !strings.Contains(res.Msg, "recovered through connectioninfo") {
		t.Fatalf("recovery: %+v %v", res, err)
	}
	if n := e.sim.Requests("start"); n != 1 {
		t.Fatalf("start was retried blindly: %d requests", n)
	}
	st, _ := state.Open(e.state)
	if saved, err := st.LoadRotation(e.url); err != nil || saved.Active != active {
		t.Fatalf("the recovered token must be saved: %v", err)
	}
}

// Without the InstallerDownload scope there is no connectioninfo: a lost
// start answer then fails with the advice to cancel.
func TestStartResponseLostWithoutRecovery(t *testing.T) {
	sim := dtsim.New(dtsim.Options{Scopes: []string{"tenantTokenRotation.write"}})
	srv := httptest.NewServer(sim.Handler())
	t.Cleanup(srv.Close)
	t.Setenv(DefaultTokenEnv, sim.APIToken())
	e := &env{t: t, sim: sim, url: srv.URL, state: filepath.Join(t.TempDir(), "state")}
	e.mod = New(Options{StateDir: e.state})
	sim.DropResponse("start")
	_, err := e.apply("start")
	if !errors.Is(err, dynatrace.ErrOutcomeUnknown) || !strings.Contains(err.Error(), "cancel") {
		t.Fatalf("got %v", err)
	}
	if n := sim.Requests("start"); n != 1 {
		t.Fatalf("start was retried blindly: %d requests", n)
	}
}

func TestCheckModeCallsNothing(t *testing.T) {
	e := newEnv(t)
	res, err := e.action("{action: start, environment: URL}").Check(context.Background(), modules.Host{})
	if err != nil || !res.Changed || res.Values["active"] != CheckPlaceholder {
		t.Fatalf("check start: %+v %v", res, err)
	}
	res, err = e.action("{action: finish, environment: URL}").Check(context.Background(), modules.Host{})
	if err != nil || !res.Changed || !strings.Contains(res.Msg, "would finish") {
		t.Fatalf("check finish: %+v %v", res, err)
	}
	if calls := e.sim.Calls(); len(calls) != 0 {
		t.Fatalf("check mode called the API: %v", calls)
	}
}

func TestTokenSources(t *testing.T) {
	e := newEnv(t)
	t.Setenv(DefaultTokenEnv, "")
	os.Unsetenv(DefaultTokenEnv)
	if _, err := e.apply("start"); err == nil || !strings.Contains(err.Error(), DefaultTokenEnv) {
		t.Fatalf("no token: %v", err)
	}
	file := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(file, []byte(e.sim.APIToken()+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	a := e.action("{action: start, environment: URL, api_token_file: " + file + "}")
	if _, err := a.Apply(context.Background(), modules.Host{}); err != nil {
		t.Fatalf("token file: %v", err)
	}
}

func TestDecodeErrors(t *testing.T) {
	t.Parallel()
	for src, want := range map[string]string{
		"{action: begin, environment: x}":                 `play.yaml:1:10: api_rotate: action must be start, finish or cancel, got "begin"`,
		"{action: start}":                                 `missing required argument "environment"`,
		"{action: start, environment: x, api_token: abc}": `unknown argument "api_token"`,
	} {
		var n yaml.Node
		_ = yaml.Unmarshal([]byte(src), &n)
		_, err := New(Options{}).Decode("play.yaml", n.Content[0])
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v, want %q", src, err, want)
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
