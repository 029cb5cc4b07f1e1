package winhost

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/rotplay/rotplay/transport/winrm/scripts"
)

// The emulations of the winrm transport's scripts follow the .ps1 files
// in transport/winrm/scripts statement by statement; the comments name
// the .NET call each step stands for.

func registerTransportScripts(h *Host) {
	h.Handle(scripts.Facts, facts)
	h.Handle(scripts.StatFile, statFile)
	h.Handle(scripts.ReadFile, readFile)
	h.Handle(scripts.WriteFile, writeFile)
}

// errNullJSON is what ConvertFrom-Json says of an empty stdin.
const errNullJSON = "Cannot bind argument to parameter 'InputObject' because it is null."

// decode is `@($input)[0] | ConvertFrom-Json`.
func decode(input json.RawMessage, v any) error {
	if len(input) == 0 {
		return errors.New(errNullJSON)
	}
	if err := json.Unmarshal(input, v); err != nil {
		return fmt.Errorf("Invalid JSON primitive: %v", err)
	}
	return nil
}

func facts(ctx context.Context, h *Host, _ json.RawMessage, stdout, _ io.Writer) int {
	sess := SessionOf(ctx)
	env := h.sessionEnv(sess)
	arch := env["PROCESSOR_ARCHITEW6432"].value
	if arch == "" {
		arch = env["PROCESSOR_ARCHITECTURE"].value
	}
	// WindowsIdentity.Name: DOMAIN\user, the computer for local accounts.
	reply(stdout, struct {
		Arch     string `json:"arch"`
		Hostname string `json:"hostname"`
		User     string `json:"user"`
	}{arch, env["COMPUTERNAME"].value, env["USERDOMAIN"].value + `\` + env["USERNAME"].value})
	return 0
}

// pathInput is the input of the file scripts.
type pathInput struct {
	Path  *string `json:"path"`
	Max   int64   `json:"max"`
	Size  int64   `json:"size"`
	Data  string  `json:"data"`
	Chown bool    `json:"chown"`
}

// expandedPath is [Environment]::ExpandEnvironmentVariables($in.path),
// which fails on a missing path.
func (h *Host) expandedPath(ctx context.Context, in pathInput) (string, error) {
	if in.Path == nil {
		return "", errors.New("Value cannot be null.\r\nParameter name: name")
	}
	return h.Expand(SessionOf(ctx), *in.Path), nil
}

func statFile(ctx context.Context, h *Host, input json.RawMessage, stdout, _ io.Writer) int {
	var in pathInput
	if err := decode(input, &in); err != nil {
		return failure(stdout, "other", err.Error())
	}
	p, err := h.expandedPath(ctx, in)
	if err != nil {
		return failure(stdout, "other", err.Error())
	}
	wp, err := fullPath(p, SessionOf(ctx).cwd()) // New-Object IO.FileInfo $p
	if err != nil {
		return failure(stdout, "other", err.Error())
	}
	fi, err := os.Stat(h.local(wp))
	switch {
	case err == nil && fi.IsDir(): // [IO.Directory]::Exists
		reply(stdout, struct {
			IsDir bool  `json:"isDir"`
			Size  int64 `json:"size"`
		}{true, 0})
		return 0
	case err != nil: // -not $f.Exists
		return failure(stdout, "notexist", p+" does not exist")
	}
	reply(stdout, struct {
		IsDir bool  `json:"isDir"`
		Size  int64 `json:"size"`
	}{false, fi.Size()})
	return 0
}

func readFile(ctx context.Context, h *Host, input json.RawMessage, stdout, _ io.Writer) int {
	var in pathInput
	if err := decode(input, &in); err != nil {
		return failure(stdout, "other", err.Error())
	}
	p, err := h.expandedPath(ctx, in)
	if err != nil {
		return failure(stdout, "other", err.Error())
	}
	wp, err := fullPath(p, SessionOf(ctx).cwd())
	if err != nil {
		return failure(stdout, "other", err.Error())
	}
	local := h.local(wp)
	fi, err := os.Stat(local)
	switch {
	case err == nil && fi.IsDir():
		return failure(stdout, "isdir", p+" is a directory")
	case err != nil:
		return failure(stdout, "notexist", p+" does not exist")
	case fi.Size() > in.Max:
		return failure(stdout, "toolarge", fmt.Sprintf("%s has %d bytes, more than %d", p, fi.Size(), in.Max))
	}
	b, err := os.ReadFile(local) // [IO.File]::ReadAllBytes
	if err != nil {
		return failure(stdout, kindOf(err), err.Error())
	}
	fmt.Fprintf(stdout, `{"size":%d,"data":"%s"}`+"\n", len(b), base64.StdEncoding.EncodeToString(b))
	return 0
}

func writeFile(ctx context.Context, h *Host, input json.RawMessage, stdout, _ io.Writer) int {
	var in pathInput
	if err := decode(input, &in); err != nil {
		return failure(stdout, "other", err.Error())
	}
	d, err := base64.StdEncoding.DecodeString(in.Data) // [Convert]::FromBase64String
	if err != nil {
		return failure(stdout, "other", "The input is not a valid Base-64 string as it contains a non-base 64 character.")
	}
	if int64(len(d)) != in.Size {
		return failure(stdout, "other", fmt.Sprintf("received %d of %d bytes", len(d), in.Size))
	}
	p, err := h.expandedPath(ctx, in)
	var wp winPath
	if err == nil {
		wp, err = fullPath(p, SessionOf(ctx).cwd()) // [IO.Path]::GetFullPath
	}
	if err != nil {
		return failure(stdout, "other", err.Error())
	}
	return h.replaceFile(wp, d, in.Chown, stdout)
}

// replaceFile is the second half of write-file.ps1, from the directory
// check to the swap.
func (h *Host) replaceFile(p winPath, d []byte, chown bool, stdout io.Writer) int {
	if h.isDir(p) {
		return failure(stdout, "isdir", p.String()+" is a directory")
	}
	dir := p.dir()
	if !h.isDir(dir) {
		return failure(stdout, "notexist", "directory "+dir.String()+" does not exist")
	}
	_, statErr := os.Stat(h.local(p))
	exists := statErr == nil // [IO.File]::Exists
	if chown && !exists {
		return failure(stdout, "unsupported", "Windows files have no UID/GID owner to set")
	}
	tmp := dir.join(".rotplay-" + newGUID() + ".tmp")
	err := h.createFlushed(tmp, d)
	if err == nil {
		err = h.swap(tmp, p, exists)
	}
	if err != nil {
		h.remove(tmp) // Remove-Item $tmp, then rethrow
		return failure(stdout, kindOf(err), err.Error())
	}
	reply(stdout, struct {
		Written int `json:"written"`
	}{len(d)})
	return 0
}

// createFlushed is FileStream(CreateNew) + Write + Flush($true): a new
// file, which inherits its directory's ACL.
func (h *Host) createFlushed(p winPath, d []byte) error {
	f, err := os.OpenFile(h.local(p), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	h.inheritACL(p)
	_, err = f.Write(d)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// newGUID is [Guid]::NewGuid().ToString('N').
func newGUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
