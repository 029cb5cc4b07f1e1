package state

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/rotplay/rotplay/secret"
)

// Rotation is the saved response of a tenant-token rotation's start call
// for one environment: the token agents must switch to (Active) and the
// one that keeps working until the rotation finishes (Old).
//
// Active and Old are secrets. String, GoString and LogValue show only
// their fingerprints, so printing or logging a Rotation never leaks them;
// only the JSON written to the state file holds them.
type Rotation struct {
	Environment string    `json:"environment"` // the environment URL or ID
	StartedAt   time.Time `json:"started_at"`
	Active      string    `json:"active"`
	Old         string    `json:"old"`
}

func (r Rotation) String() string {
	return fmt.Sprintf("rotation of %s started %s: active %s, old %s",
		displayEnv(r.Environment), r.StartedAt.UTC().Format(time.RFC3339), secret.Mask(r.Active), secret.Mask(r.Old))
}

// GoString keeps %#v from printing the tokens.
func (r Rotation) GoString() string { return r.String() }

// LogValue keeps log/slog handlers (JSON ones included) from printing the
// tokens.
func (r Rotation) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("environment", displayEnv(r.Environment)),
		slog.Time("started_at", r.StartedAt),
		slog.String("active", secret.Mask(r.Active)),
		slog.String("old", secret.Mask(r.Old)))
}

// SaveRotation saves r, replacing any saved rotation of the same
// environment, atomically and with mode 0600 (see WriteFileAtomic).
// Environment and Active must be set.
func (d *Dir) SaveRotation(r Rotation) error {
	if strings.TrimSpace(r.Environment) == "" {
		return errors.New("save rotation: no environment given")
	}
	if r.Active == "" {
		return fmt.Errorf("save rotation of %s: no active token given", displayEnv(r.Environment))
	}
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return fmt.Errorf("save rotation of %s: %w", displayEnv(r.Environment), err)
	}
	if err := d.WriteFileAtomic(rotationFile(r.Environment), append(data, '\n')); err != nil {
		return fmt.Errorf("save rotation of %s: %w", displayEnv(r.Environment), err)
	}
	return nil
}

// LoadRotation returns the rotation saved for environment. When none is
// saved the error wraps fs.ErrNotExist. URLs that differ only in case of
// scheme and host, a default port or trailing slashes name the same
// environment.
func (d *Dir) LoadRotation(environment string) (Rotation, error) {
	data, err := d.ReadFile(rotationFile(environment))
	if err != nil {
		return Rotation{}, fmt.Errorf("load rotation of %s: %w", displayEnv(environment), err)
	}
	var r Rotation
	if err := json.Unmarshal(data, &r); err != nil {
		return Rotation{}, fmt.Errorf("load rotation of %s: state file %s is damaged: %w",
			displayEnv(environment), rotationFile(environment), err)
	}
	if normalize(r.Environment) != normalize(environment) {
		return Rotation{}, fmt.Errorf("load rotation of %s: state file %s holds the rotation of %s",
			displayEnv(environment), rotationFile(environment), displayEnv(r.Environment))
	}
	return r, nil
}

// ClearRotation ends the saved rotation of environment, after finish or
// cancel: the file is renamed to <name>.<UTC YYYYMMDDTHHMMSSZ>.done (with
// -1, -2... if taken), kept for audit with its 0600 mode. When no rotation
// is saved the error wraps fs.ErrNotExist.
func (d *Dir) ClearRotation(environment string) error {
	name := rotationFile(environment)
	src := filepath.Join(d.path, name)
	if _, err := os.Lstat(src); err != nil {
		return fmt.Errorf("clear rotation of %s: %w", displayEnv(environment), err)
	}
	dst, err := d.freeName(name + "." + d.now().UTC().Format("20060102T150405Z"))
	if err != nil {
		return fmt.Errorf("clear rotation of %s: %w", displayEnv(environment), err)
	}
	if err := os.Rename(src, dst); err != nil {
		return fmt.Errorf("clear rotation of %s: %w", displayEnv(environment), err)
	}
	return syncDir(d.path)
}

// freeName returns the path of base.done, or base-N.done for the first N
// not taken.
func (d *Dir) freeName(base string) (string, error) {
	for n := 0; n < 1000; n++ {
		name := base + ".done"
		if n > 0 {
			name = fmt.Sprintf("%s-%d.done", base, n)
		}
		p := filepath.Join(d.path, name)
		if _, err := os.Lstat(p); errors.Is(err, fs.ErrNotExist) {
			return p, nil
		} else if err != nil {
			return "", err
		}
	}
	return "", fmt.Errorf("no free name for %s.done", base)
}

// RotationPath returns the path of the state file that holds (or would
// hold) the rotation of environment.
func (d *Dir) RotationPath(environment string) string {
	return filepath.Join(d.path, rotationFile(environment))
}

// OpenRotations returns every rotation saved in the directory and not yet
// cleared, one per environment, ordered by file name.
func (d *Dir) OpenRotations() ([]Rotation, error) {
	names, err := filepath.Glob(filepath.Join(d.path, "rotation-*.json"))
	if err != nil {
		return nil, fmt.Errorf("list open rotations: %w", err)
	}
	var out []Rotation
	for _, p := range names {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("list open rotations: %w", err)
		}
		var r Rotation
		if err := json.Unmarshal(data, &r); err != nil {
			return nil, fmt.Errorf("list open rotations: state file %s is damaged: %w", p, err)
		}
		out = append(out, r)
	}
	return out, nil
}
