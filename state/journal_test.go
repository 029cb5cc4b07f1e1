package state

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sync"
	"testing"
	"time"
)

func openJournal(t *testing.T, d *Dir) *Journal {
	t.Helper()
	j, err := d.Journal()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { j.Close() })
	return j
}

func TestJournalAppendRead(t *testing.T) {
	t.Parallel()
	d := open(t)
	d.now = func() time.Time { return fixedNow }
	if recs, err := d.ReadJournal(); err != nil || len(recs) != 0 {
		t.Fatalf("ReadJournal with no journal = %v, %v", recs, err)
	}
	j := openJournal(t, d)
	local := time.Date(2025, 3, 4, 7, 0, 0, 0, time.FixedZone("CET", 3600))
	in := []Record{
		{RunID: "r1", Kind: KindRunStarted, Environment: "https://user:pw@abc.live.dynatrace.com"},
		{Time: local, RunID: "r1", Rotation: "abcd1234", Kind: KindHostPhaseDone, Phase: "ActiveGates", Host: "ag-1"},
	}
	for _, r := range in {
		if err := j.Append(r); err != nil {
			t.Fatal(err)
		}
	}
	got, err := d.ReadJournal()
	if err != nil {
		t.Fatal(err)
	}
	want := []Record{
		{Time: fixedNow, RunID: "r1", Kind: KindRunStarted, Environment: "https://user:xxxxx@abc.live.dynatrace.com"},
		{Time: local.UTC(), RunID: "r1", Rotation: "abcd1234", Kind: KindHostPhaseDone, Phase: "ActiveGates", Host: "ag-1"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("ReadJournal =\n%+v\nwant\n%+v", got, want)
	}
	if got[1].Time.Location() != time.UTC {
		t.Errorf("time not stored in UTC: %v", got[1].Time)
	}
	skipOnWindows(t)
	if m := mode(t, filepath.Join(d.Path(), journalFile)); m != 0o600 {
		t.Errorf("journal mode %04o, want 0600", m)
	}
}

// TestJournalAppendSeveral: records appended together come back in
// order; appending none writes nothing.
func TestJournalAppendSeveral(t *testing.T) {
	t.Parallel()
	d := open(t)
	j := openJournal(t, d)
	in := []Record{
		{RunID: "r1", Kind: KindHostPhaseDone, Phase: "ActiveGates", Host: "ag-1"},
		{RunID: "r1", Kind: KindHostPhaseDone, Phase: "ActiveGates", Host: "ag-2"},
	}
	if err := j.Append(in...); err != nil {
		t.Fatal(err)
	}
	if err := j.Append(); err != nil {
		t.Fatalf("Append() with no record = %v", err)
	}
	got, err := d.ReadJournal()
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Host != "ag-1" || got[1].Host != "ag-2" {
		t.Fatalf("ReadJournal = %+v, want ag-1 then ag-2", got)
	}
}

// TestJournalTornLine: a crash in the middle of an append leaves a torn
// last line; reading skips it, and reopening cuts it off so the next
// record starts on its own line. A damaged line before the last is an
// error.
func TestJournalTornLine(t *testing.T) {
	t.Parallel()
	d := open(t)
	j := openJournal(t, d)
	if err := j.Append(Record{RunID: "r1", Kind: KindRunStarted}); err != nil {
		t.Fatal(err)
	}
	j.Close()
	path := filepath.Join(d.Path(), journalFile)
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(`{"time":"2025-03-04T05:06:07Z","run_id":"r1","kind":"ta`)
	f.Close()
	if recs, err := d.ReadJournal(); err != nil || len(recs) != 1 {
		t.Fatalf("ReadJournal with a torn last line = %v, %v; want the one whole record", recs, err)
	}
	j = openJournal(t, d)
	if err := j.Append(Record{RunID: "r2", Kind: KindRunStarted}); err != nil {
		t.Fatal(err)
	}
	recs, err := d.ReadJournal()
	if err != nil || len(recs) != 2 || recs[1].RunID != "r2" {
		t.Fatalf("after reopening: %v, %v; want r1 and r2", recs, err)
	}
	data, _ := os.ReadFile(path)
	os.WriteFile(path, append([]byte("not json\n"), data...), 0o600)
	if _, err := d.ReadJournal(); err == nil {
		t.Fatal("a damaged line before the last must be an error")
	}
}

// TestJournalConcurrentAppends: appends from many goroutines never
// interleave within a line.
func TestJournalConcurrentAppends(t *testing.T) {
	t.Parallel()
	d := open(t)
	j := openJournal(t, d)
	const n, each = 8, 25
	var wg sync.WaitGroup
	for g := range n {
		wg.Go(func() {
			for i := range each {
				msg := fmt.Sprintf("g%d-%d %0200d", g, i, 0) // long lines make interleaving visible
				if err := j.Append(Record{RunID: "r", Kind: KindTask, Host: fmt.Sprint(g), Msg: msg}); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	recs, err := d.ReadJournal()
	if err != nil || len(recs) != n*each {
		t.Fatalf("read %d records, %v; want %d", len(recs), err, n*each)
	}
}

func TestDoneHosts(t *testing.T) {
	t.Parallel()
	at := func(m int) time.Time { return fixedNow.Add(time.Duration(m) * time.Minute) }
	rec := func(m int, rot, kind, phase, host, status string) Record {
		return Record{Time: at(m), Rotation: rot, Kind: kind, Phase: phase, Host: host, Status: status}
	}
	records := []Record{
		rec(0, "", KindRunStarted, "", "", ""),
		rec(1, "R1", KindTask, "AG", "ag-1", "changed"),
		rec(2, "R1", KindHostPhaseDone, "AG", "ag-1", ""),
		rec(3, "R1", KindHostPhaseDone, "AG", "ag-2", ""),
		rec(4, "R1", KindHostPhaseDone, "AG", "ag-3", ""),
		rec(5, "R1", KindHostPhaseDone, "OA", "oa-1", ""),
		rec(6, "R0", KindHostPhaseDone, "OA", "oa-9", ""), // another rotation
		rec(7, "", KindHostPhaseDone, "OA", "oa-8", ""),   // rotation unknown
		// a later run: ag-2 is being redone (interrupted: no completion), ag-3 fails
		rec(8, "R1", KindTask, "AG", "ag-2", "ok"),
		rec(9, "R1", KindTask, "AG", "ag-3", "failed"),
		rec(10, "R1", KindHostFailed, "AG", "ag-3", "failed"),
		// a rollback run touched oa-1
		{Time: at(11), Rotation: "R1", Kind: KindHostPhaseDone, Mode: ModeRollback, Phase: "OA", Host: "oa-1"},
	}
	got := DoneHosts(records, "R1")
	want := map[string]map[string]bool{"ag-1": {"AG": true}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("DoneHosts = %v, want %v", got, want)
	}
	if p := Progress(records, "R1")["ag-1"]; !p.DoneAt.Equal(at(2)) {
		t.Errorf("ag-1 done at %v, want %v", p.DoneAt, at(2))
	}
	if got := DoneHosts(records, ""); len(got) != 0 {
		t.Errorf("an unknown rotation matched %v", got)
	}
	if got := DoneHosts(records, "R0"); !got["oa-9"]["OA"] || len(got) != 1 {
		t.Errorf("DoneHosts(R0) = %v", got)
	}
}

func TestOpenRotations(t *testing.T) {
	t.Parallel()
	d := open(t)
	if rs, err := d.OpenRotations(); err != nil || len(rs) != 0 {
		t.Fatalf("OpenRotations of an empty dir = %v, %v", rs, err)
	}
	for _, env := range []string{"https://a.example.com", "https://b.example.com"} {
		if err := d.SaveRotation(testRotation(env)); err != nil {
			t.Fatal(err)
		}
	}
	if err := d.ClearRotation("https://a.example.com"); err != nil {
		t.Fatal(err)
	}
	rs, err := d.OpenRotations()
	if err != nil || len(rs) != 1 || rs[0].Environment != "https://b.example.com" {
		t.Fatalf("OpenRotations = %v, %v; want only b", rs, err)
	}
	if p := d.RotationPath("https://b.example.com/"); filepath.Dir(p) != d.Path() {
		t.Errorf("RotationPath = %s", p)
	}
	if _, err := os.Stat(d.RotationPath("https://b.example.com/")); err != nil {
		t.Errorf("RotationPath does not name the saved file: %v", err)
	}
}
