package state

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

var fixedNow = time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC)

func testRotation(env string) Rotation {
	return Rotation{Environment: env, StartedAt: fixedNow.Add(-time.Hour),
		Active: "dt0c01.ACTIVEACTIVEACTIVE", Old: "dt0c01.OLDOLDOLDOLDOLD"}
}

func TestRotationRoundTrip(t *testing.T) {
	t.Parallel()
	d := open(t)
	d.now = func() time.Time { return fixedNow }
	env := "https://abc12345.live.dynatrace.com"
	if _, err := d.LoadRotation(env); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("LoadRotation before any save = %v, want fs.ErrNotExist", err)
	}
	want := testRotation(env)
	if err := d.SaveRotation(want); err != nil {
		t.Fatal(err)
	}
	// Other spellings of the same URL find the same rotation.
	for _, spelling := range []string{env, "HTTPS://ABC12345.live.dynatrace.com/", env + ":443", " " + env + "// "} {
		got, err := d.LoadRotation(spelling)
		if err != nil || !got.StartedAt.Equal(want.StartedAt) || got.Active != want.Active || got.Old != want.Old || got.Environment != env {
			t.Errorf("LoadRotation(%q) = %v, %v", spelling, got, err)
		}
	}
	file := filepath.Join(d.Path(), rotationFile(env))
	if m := mode(t, file); m != 0o600 {
		t.Errorf("rotation file mode %04o, want 0600", m)
	}
	for range 2 { // a second clear of the same second gets its own name
		if err := d.SaveRotation(want); err != nil {
			t.Fatal(err)
		}
		if err := d.ClearRotation(env); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := d.LoadRotation(env); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("LoadRotation after clear = %v, want fs.ErrNotExist", err)
	}
	if err := d.ClearRotation(env); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("ClearRotation with nothing saved = %v, want fs.ErrNotExist", err)
	}
	for _, done := range []string{file + ".20250304T050607Z.done", file + ".20250304T050607Z-1.done"} {
		if m := mode(t, done); m != 0o600 {
			t.Errorf("%s has mode %04o, want 0600", done, m)
		}
	}
}

// TestRotationFileNames: names are safe file names, distinct for distinct
// environments, and show the host.
func TestRotationFileNames(t *testing.T) {
	t.Parallel()
	envs := map[string]string{
		"https://abc12345.live.dynatrace.com":               "rotation-abc12345.live.dynatrace.com-",
		"https://abc12345.live.dynatrace.com:8443":          "rotation-abc12345.live.dynatrace.com_8443-",
		"https://managed.example.com/e/env-1":               "rotation-managed.example.com-",
		"https://managed.example.com/e/env-2":               "rotation-managed.example.com-",
		"https://managed.example.com:9999/e/env-1?x=1#frag": "rotation-managed.example.com_9999-",
		"https://[2001:db8::1]:443/e/x":                     "rotation-_2001_db8__1_-",
		"https://user:pa55@host.example.com/e/../../etc":    "rotation-host.example.com-",
		"abc12345":         "rotation-abc12345-",
		"../../etc/passwd": "rotation-.._.._etc_passwd-",
		"https://" + strings.Repeat("x", 300) + ".com": "rotation-" + strings.Repeat("x", 64) + "-",
	}
	safe := regexp.MustCompile(`^rotation-[a-z0-9._-]{1,64}-[0-9a-f]{12}\.json$`)
	seen := map[string]string{}
	for env, prefix := range envs {
		name := rotationFile(env)
		if !safe.MatchString(name) || !strings.HasPrefix(name, prefix) {
			t.Errorf("rotationFile(%q) = %q, want a safe name starting %q", env, name, prefix)
		}
		if other, dup := seen[name]; dup {
			t.Errorf("%q and %q share the file name %s", env, other, name)
		}
		seen[name] = env
	}
}

func TestSaveRotationErrors(t *testing.T) {
	t.Parallel()
	d := open(t)
	for _, r := range []Rotation{{Active: "x"}, {Environment: " ", Active: "x"}, {Environment: "e"}} {
		if err := d.SaveRotation(r); err == nil {
			t.Errorf("SaveRotation(%v) succeeded", r)
		}
	}
}

func TestLoadRotationDamaged(t *testing.T) {
	t.Parallel()
	d := open(t)
	env, other := "https://a.example.com", "https://b.example.com"
	if err := d.WriteFileAtomic(rotationFile(env), []byte("{not json")); err != nil {
		t.Fatal(err)
	}
	if _, err := d.LoadRotation(env); err == nil || !strings.Contains(err.Error(), "damaged") {
		t.Errorf("LoadRotation of a damaged file = %v", err)
	}
	// A file holding another environment's rotation is not taken for it.
	data := fmt.Appendf(nil, `{"environment": %q, "active": "x"}`, other)
	if err := d.WriteFileAtomic(rotationFile(env), data); err != nil {
		t.Fatal(err)
	}
	if _, err := d.LoadRotation(env); err == nil || !strings.Contains(err.Error(), "holds the rotation of "+other) {
		t.Errorf("LoadRotation of another environment's file = %v", err)
	}
}

// TestRotationNeverPrintsTokens: every way of printing or logging a
// Rotation, and every error about one, leaves the tokens out.
func TestRotationNeverPrintsTokens(t *testing.T) {
	t.Parallel()
	r := testRotation("https://user:hunter22@abc.example.com")
	var js, txt bytes.Buffer
	slog.New(slog.NewJSONHandler(&js, nil)).Info("saved", "rotation", r)
	slog.New(slog.NewTextHandler(&txt, nil)).Info("saved", "rotation", r)
	d := open(t)
	_ = os.Chmod(d.Path(), 0o500) // root ignores it; then the save succeeds, which is fine
	saveErr := fmt.Sprint(d.SaveRotation(r))
	_ = os.Chmod(d.Path(), 0o700)
	for _, out := range []string{fmt.Sprint(r), fmt.Sprintf("%+v %#v %s", r, r, []Rotation{r}), js.String(), txt.String(), saveErr} {
		for _, token := range []string{r.Active, r.Old, "hunter22"} {
			if strings.Contains(out, token) {
				t.Errorf("%q shows %q", out, token)
			}
		}
	}
}
