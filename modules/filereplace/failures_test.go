package filereplace

import (
	"context"
	"testing"

	"github.com/rotplay/rotplay/modules"
)

// TestFailures checks the outcomes that end a task without writing: Check
// and Apply must agree on them, word for word.
func TestFailures(t *testing.T) {
	t.Parallel()
	const conf = "/etc/app.conf"
	keyHint := "check the key, which matches ignoring case in `key = value`, `key=value` and `key value` lines " +
		"(comment lines do not count), and that this is the right file"
	tests := []struct {
		name    string
		args    string
		files   []hostFile
		want    modules.Result
		matches int
	}{
		{
			name:  "no line with the key",
			args:  "{path: " + conf + ", key: TenantToken, value: NEW}",
			files: []hostFile{{conf, []byte("# TenantToken=commented\nTenantToken: colon\nTenant=abc\n"), agInfo}},
			want: modules.Result{Failed: true, Msg: conf + `: found 0 lines with key "TenantToken", expected at least 1; ` +
				"nothing was changed: " + keyHint},
		},
		{
			name:  "section does not exist",
			args:  "{path: " + authPath + ", section: env3, key: tenantToken, value: NEW}",
			files: []hostFile{{authPath, []byte(authProps), agInfo}},
			want: modules.Result{Failed: true, Msg: authPath + `: found 0 lines with key "tenantToken" in section [env3], ` +
				"expected at least 1; nothing was changed: the file has no section [env3]; " +
				"check the name, which must match exactly, case included"},
		},
		{
			name:  "key not in the section",
			args:  "{path: " + authPath + ", section: env1, key: mainTenant, value: 'true'}",
			files: []hostFile{{authPath, []byte(authProps), agInfo}},
			want: modules.Result{Failed: true, Msg: authPath + `: found 0 lines with key "mainTenant" in section [env1], ` +
				"expected at least 1; nothing was changed: " + keyHint},
		},
		{
			name:  "more lines than expected",
			args:  "{path: " + authPath + ", key: tenantToken, value: NEW, expect: 1}",
			files: []hostFile{{authPath, []byte(authProps), agInfo}},
			want: modules.Result{Failed: true, Msg: authPath + `: found 2 lines with key "tenantToken", expected exactly 1; ` +
				"nothing was changed: check that this is the right file; set section to edit one INI section only, " +
				"or expect to the number of lines that should change"},
			matches: 2,
		},
		{
			name:  "fewer lines than expected in a section",
			args:  "{path: " + authPath + ", section: env2, key: tenantToken, value: NEW, expect: 2}",
			files: []hostFile{{authPath, []byte(authProps), agInfo}},
			want: modules.Result{Failed: true, Msg: authPath + `: found 1 line with key "tenantToken" in section [env2], ` +
				"expected exactly 2; nothing was changed: check that this is the right file, " +
				"or set expect to the number of lines that should change"},
			matches: 1,
		},
		{
			name:  "regexp matching nothing",
			args:  "{path: " + conf + ", regexp: '^Server=(.*)$', replace: 'Server=x'}",
			files: []hostFile{{conf, []byte("server = y\n"), agInfo}},
			want: modules.Result{Failed: true, Msg: conf + `: found 0 lines matching regexp "^Server=(.*)$", expected at least 1; ` +
				"nothing was changed: check the regexp, which is matched against each line without its line ending, " +
				"and that this is the right file"},
		},
		{
			name:  "empty file",
			args:  "{path: " + conf + ", key: k, value: v}",
			files: []hostFile{{conf, nil, agInfo}},
			want: modules.Result{Failed: true, Msg: conf + `: found 0 lines with key "k", expected at least 1; ` +
				"nothing was changed: " + keyHint},
		},
	}
	for _, tt := range tests {
		for _, op := range []string{"check", "apply"} {
			t.Run(tt.name+"/"+op, func(t *testing.T) {
				t.Parallel()
				h, host := newHost(t, tt.files...)
				res := run(t, decodeTask(t, tt.args), op, host)
				assertResult(t, res, tt.want)
				path := tt.files[0].path
				assertValues(t, res.Values, map[string]any{"path": path, "matches": tt.matches, "changed_lines": 0})
				assertOps(t, h, 0, "read "+path)
				assertFile(t, h, path, tt.files[0].data, agInfo)
			})
		}
	}
}

// TestMissingFile checks both answers to a file that does not exist.
func TestMissingFile(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		missing string
		want    modules.Result
	}{
		{"default fails", "", modules.Result{Failed: true,
			Msg: extPath + " does not exist; check the path, or set missing: skip if the file is optional on some hosts"}},
		{"fail", ", missing: fail", modules.Result{Failed: true,
			Msg: extPath + " does not exist; check the path, or set missing: skip if the file is optional on some hosts"}},
		{"skip", ", missing: skip", modules.Result{Skipped: true, Msg: extPath + " absent, skipped"}},
	}
	for _, tt := range tests {
		for _, op := range []string{"check", "apply"} {
			t.Run(tt.name+"/"+op, func(t *testing.T) {
				t.Parallel()
				h, host := newHost(t, hostFile{authPath, []byte(authProps), agInfo})
				act := decodeTask(t, "{path: "+extPath+", key: TenantToken, value: NEW"+tt.missing+"}")
				res := run(t, act, op, host)
				assertResult(t, res, tt.want)
				assertValues(t, res.Values, map[string]any{"path": extPath})
				assertOps(t, h, 0, "read "+extPath)
				if _, ok := h.File(extPath); ok {
					t.Errorf("%s was created", extPath)
				}
			})
		}
	}
}

// run calls Check or Apply and fails the test on an error.
func run(t *testing.T, act modules.Action, op string, host modules.Host) modules.Result {
	t.Helper()
	var res modules.Result
	var err error
	if op == "check" {
		res, err = act.Check(context.Background(), host)
	} else {
		res, err = act.Apply(context.Background(), host)
	}
	if err != nil {
		t.Fatalf("%s: %v", op, err)
	}
	return res
}

// assertResult compares the flags, message and diffs of a Result.
func assertResult(t *testing.T, got, want modules.Result) {
	t.Helper()
	if got.Changed != want.Changed || got.Failed != want.Failed || got.Skipped != want.Skipped {
		t.Errorf("changed/failed/skipped = %v/%v/%v, want %v/%v/%v",
			got.Changed, got.Failed, got.Skipped, want.Changed, want.Failed, want.Skipped)
	}
	if got.Msg != want.Msg {
		t.Errorf("Msg =\n  %s\nwant\n  %s", got.Msg, want.Msg)
	}
	if len(got.Diffs) != len(want.Diffs) {
		t.Errorf("Diffs = %q, want %q", got.Diffs, want.Diffs)
	}
}
