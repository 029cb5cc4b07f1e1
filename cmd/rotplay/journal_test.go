package main

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/rotplay/rotplay/engine"
	"github.com/rotplay/rotplay/lab/dtsim"
	"github.com/rotplay/rotplay/secret"
	"github.com/rotplay/rotplay/state"
)

// journalLab is a simulated API, a state directory and three practice
// token files for testdata/journal/rotation.yaml.
type journalLab struct {
	t        *testing.T
	sim      *dtsim.Simulator
	url      string
	dir      string // the hosts' files
	stateDir string
	apiToken string
	initial  string // the tenant token before the rotation
}

func newJournalLab(t *testing.T) *journalLab {
	t.Helper()
	l := &journalLab{t: t, dir: t.TempDir(), stateDir: filepath.Join(t.TempDir(), "state"),
		apiToken: "dt0c01.JOURNALTEST.apitokensecretvalue", initial: "initialTenantToken0000"}
	l.sim = dtsim.New(dtsim.Options{APIToken: l.apiToken, InitialToken: l.initial})
	srv := httptest.NewServer(l.sim.Handler())
	t.Cleanup(srv.Close)
	l.url = srv.URL
	for _, h := range []string{"h1", "h2", "h3"} {
		l.write(h+".properties", "tenantToken="+l.initial+"\n")
	}
	l.write("api-token", l.apiToken+"\n")
	return l
}

func (l *journalLab) write(name, content string) {
	l.t.Helper()
	if err := os.WriteFile(filepath.Join(l.dir, name), []byte(content), 0o600); err != nil {
		l.t.Fatal(err)
	}
}

func (l *journalLab) run(extra ...string) cliResult {
	l.t.Helper()
	args := append([]string{"run", "testdata/journal/rotation.yaml", "--state-dir", l.stateDir,
		"-e", "dt_environment_url=" + l.url, "-e", "api_token_file=" + filepath.Join(l.dir, "api-token"),
		"-e", "dir=" + l.dir}, extra...)
	return runCLI(l.t, context.Background(), args...)
}

func (l *journalLab) status() cliResult {
	l.t.Helper()
	return runCLI(l.t, context.Background(), "status", "--state-dir", l.stateDir)
}

var (
	runIDs = regexp.MustCompile(`\b[0-9a-f]{12}\b`)
	stamps = regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ`)
)

// TestJournalResumeWithLimit: a full run where one host fails stops
// before finish; status shows each host; a --limit run that fixes that
// host finishes, because the journal shows the others verified in the
// earlier run of the same rotation. No token ever reaches the journal.
func TestJournalResumeWithLimit(t *testing.T) {
	t.Parallel()
	l := newJournalLab(t)
	l.write("broken-h2", "")
	res := l.run()
	if res.code != ExitFailed || strings.Contains(res.stdout, "Finish the rotation") {
		t.Fatalf("first run should fail on h2 and stop before finish: %s", res)
	}
	d, err := state.Open(l.stateDir)
	if err != nil {
		t.Fatal(err)
	}
	rot, err := d.LoadRotation(l.url)
	if err != nil {
		t.Fatalf("the rotation should be open: %v", err)
	}

	st := l.status()
	if st.code != ExitFailed {
		t.Fatalf("status with h2 failed: %s", st)
	}
	for _, want := range []string{
		"Open rotation of " + l.url + "\n",
		"  active token: " + secret.Mask(rot.Active) + " (fingerprint " + secret.Fingerprint(rot.Active) + ")\n",
		"  state file:   " + d.RotationPath(l.url) + "\n",
	} {
		if !strings.Contains(st.stdout, want) {
			t.Errorf("status lacks %q:\n%s", want, st.stdout)
		}
	}
	got := stamps.ReplaceAllString(runIDs.ReplaceAllString(st.stdout, "RUNID"), "TIME")
	for _, want := range []string{
		"    h1                       done: Agents (run RUNID, TIME)\n",
		"    h2                       failed in Agents: ",
		"    h3                       done: Agents (run RUNID, TIME)\n",
		"  runs:\n    RUNID  TIME .. TIME  failed: 1 host(s) failed: h2; stopped at the barrier after phase 2 \"Agents\"\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("status lacks %q:\n%s", want, got)
		}
	}
	if !strings.Contains(st.stderr, "1 host(s) of the open rotation are not done: h2") {
		t.Errorf("status stderr: %s", st.stderr)
	}

	// A limited run without fixing h2 still fails: h2 failed in this run.
	if res := l.run("--limit", "h2"); res.code != ExitFailed {
		t.Fatalf("h2 still broken: %s", res)
	}
	os.Remove(filepath.Join(l.dir, "broken-h2"))
	res = l.run("--limit", "h2")
	if res.code != 0 || !strings.Contains(res.stdout, "rotation finished") {
		t.Fatalf("the limited run that fixes h2 should finish: %s", res)
	}
	if v := l.sim.Verdict(); !v.Finished {
		t.Fatalf("the simulator saw no finish: %+v", v)
	}
	if st := l.status(); st.code != 0 || !strings.Contains(st.stdout, "No rotation is open") {
		t.Fatalf("status after finish: %s", st)
	}
	for _, h := range []string{"h1", "h2", "h3"} {
		if b, _ := os.ReadFile(filepath.Join(l.dir, h+".properties")); string(b) != "tenantToken="+rot.Active+"\n" {
			t.Errorf("%s holds %q", h, b)
		}
	}
	assertNoTokens(t, filepath.Join(l.stateDir, "journal.jsonl"), rot.Active, rot.Old, l.initial, l.apiToken)
}

// TestJournalLimitDoesNotFinishUnverified: a --limit run cannot finish
// when the journal does not show the hosts it leaves out as done. status
// lists only the hosts some run touched, so it passes on h1 alone.
func TestJournalLimitDoesNotFinishUnverified(t *testing.T) {
	t.Parallel()
	l := newJournalLab(t)
	res := l.run("--limit", "h1", "-e", "{finish_rotation: false}")
	if res.code != ExitFailed || !strings.Contains(res.stdout, "refusing to finish") {
		t.Fatalf("a limited first run must not finish: %s", res)
	}
	if l.sim.Verdict().Finished {
		t.Fatal("the rotation was finished")
	}
	st := l.status()
	if st.code != 0 || !strings.Contains(st.stdout, "h1                       done") || strings.Contains(st.stdout, "h2 ") {
		t.Fatalf("status: %s", st)
	}
}

// assertNoTokens fails when the file holds any of the tokens.
func assertNoTokens(t *testing.T, path string, tokens ...string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(data) == 0 {
		t.Fatal("the journal is empty")
	}
	for _, tok := range tokens {
		if tok != "" && strings.Contains(string(data), tok) {
			t.Errorf("%s holds the token %s", path, secret.Mask(tok))
		}
	}
}

// TestStatusNoStateDir: nothing to show is success.
func TestStatusNoStateDir(t *testing.T) {
	t.Parallel()
	res := runCLI(t, context.Background(), "status", "--state-dir", filepath.Join(t.TempDir(), "none"))
	if res.code != 0 || !strings.Contains(res.stdout, "No rotation is open") {
		t.Fatalf("%s", res)
	}
}

// TestJournalRollbackRunCountsNothing: what earlier runs verified is the
// new token, so a rollback run (rollback: true) does not count it, and
// what a rollback run does never counts for a later forward run.
func TestJournalRollbackRunCountsNothing(t *testing.T) {
	t.Parallel()
	l := newJournalLab(t)
	l.write("broken-h2", "")
	if res := l.run(); res.code != ExitFailed {
		t.Fatalf("first run: %s", res)
	}
	os.Remove(filepath.Join(l.dir, "broken-h2"))
	res := l.run("--limit", "h2", "-e", "{rollback: true}")
	if res.code != ExitFailed || !strings.Contains(res.stdout, "refusing to finish") {
		t.Fatalf("a rollback-mode run must not count forward results: %s", res)
	}
	d, _ := state.Open(l.stateDir)
	recs, err := d.ReadJournal()
	if err != nil {
		t.Fatal(err)
	}
	rot, _ := d.LoadRotation(l.url)
	if done := state.DoneHosts(recs, secret.Fingerprint(rot.Active)); done["h2"] != nil || !done["h1"]["Agents"] {
		t.Fatalf("DoneHosts after the rollback-mode run = %v; want h1 and h3 only", done)
	}
}

// TestJournalObserverWarnsOnce: a journal that cannot be written does not
// stop anything; the first failure is reported, later ones are not.
func TestJournalObserverWarnsOnce(t *testing.T) {
	t.Parallel()
	d, err := state.Open(filepath.Join(t.TempDir(), "state"))
	if err != nil {
		t.Fatal(err)
	}
	j, err := d.Journal()
	if err != nil {
		t.Fatal(err)
	}
	j.Close() // every append now fails
	var stderr strings.Builder
	o := &journalObserver{j: j, dir: d, runID: "r", secrets: &secret.Redactor{}, stderr: &stderr}
	for range 3 {
		o.Event(engine.Event{Kind: engine.RunStarted})
	}
	if n := strings.Count(stderr.String(), "WARNING"); n != 1 {
		t.Fatalf("%d warnings, want 1:\n%s", n, stderr.String())
	}
}
