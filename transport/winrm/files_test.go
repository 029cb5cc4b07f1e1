package winrm

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"strings"
	"testing"

	"github.com/rotplay/rotplay/internal/golden"
	"github.com/rotplay/rotplay/lab/winhost"
	"github.com/rotplay/rotplay/transport"
	"github.com/rotplay/rotplay/transport/winrm/scripts"
)

// TestFileSemantics: what the file calls do beyond the conformance suite,
// on the simulated host: %VARS% expanded there, ACLs kept, Windows'
// answers for modes and owners, and the size limit.
func TestFileSemantics(t *testing.T) {
	t.Parallel()
	th := newTestHost(t, hostConfig{})
	c := th.dial(t, Options{}, th.target(t, nil))
	ctx := ctxFor(t)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(th.host.MkdirAll(`C:\ProgramData\dynatrace\oneagent`))
	must(th.host.SetACL(`C:\ProgramData\dynatrace`, "dir-acl"))
	must(th.host.WriteFile(`C:\ProgramData\dynatrace\oneagent\kept.conf`, []byte("old")))
	must(th.host.SetACL(`C:\ProgramData\dynatrace\oneagent\kept.conf`, "file-acl"))

	must(c.WriteFile(ctx, `%ProgramData%\Dynatrace\oneagent\kept.conf`, []byte("new"), transport.WriteOptions{Mode: 0o600}))
	must(c.WriteFile(ctx, `%PROGRAMDATA%\dynatrace\oneagent\new.conf`, []byte("n"), transport.WriteOptions{}))
	if got, _ := th.host.ReadFile(`C:\ProgramData\dynatrace\oneagent\kept.conf`); string(got) != "new" {
		t.Errorf("kept.conf holds %q", got)
	}
	if acl, _ := th.host.ACL(`C:\ProgramData\dynatrace\oneagent\kept.conf`); acl != "file-acl" {
		t.Errorf("rewritten file's ACL = %q, want file-acl kept", acl)
	}
	if acl, _ := th.host.ACL(`C:\ProgramData\dynatrace\oneagent\new.conf`); acl != "dir-acl" {
		t.Errorf("new file's ACL = %q, want the inherited dir-acl", acl)
	}
	info, err := c.Stat(ctx, `C:\ProgramData\dynatrace\oneagent\kept.conf`)
	if want := (transport.FileInfo{Size: 3, Mode: 0o644, UID: -1, GID: -1}); err != nil || info != want {
		t.Errorf("Stat(file) = %+v, %v; want %+v", info, err, want)
	}
	info, err = c.Stat(ctx, `%ProgramData%`)
	if want := (transport.FileInfo{Mode: 0o755, UID: -1, GID: -1, IsDir: true}); err != nil || info != want {
		t.Errorf("Stat(dir) = %+v, %v; want %+v", info, err, want)
	}

	_, _, err = c.ReadFile(ctx, `C:\ProgramData`)
	wantErr(t, "ReadFile(dir)", err, errIsDir, `C:\ProgramData is a directory`)
	err = c.WriteFile(ctx, `C:\ProgramData`, nil, transport.WriteOptions{})
	wantErr(t, "WriteFile(dir)", err, errIsDir)
	err = c.WriteFile(ctx, `C:\nosuch\x.conf`, nil, transport.WriteOptions{})
	wantErr(t, "WriteFile(no parent)", err, fs.ErrNotExist, `directory C:\nosuch does not exist`)
	err = c.WriteFile(ctx, `C:\ProgramData\owned.conf`, nil, transport.WriteOptions{Chown: true, UID: 1, GID: 1})
	wantErr(t, "WriteFile(Chown, new)", err, errors.ErrUnsupported, "Chown")
	must(c.WriteFile(ctx, `C:\ProgramData\dynatrace\oneagent\kept.conf`, []byte("x"), transport.WriteOptions{Chown: true}))
}

func TestFileSizeLimit(t *testing.T) {
	t.Parallel()
	th := newTestHost(t, hostConfig{})
	c := th.dial(t, Options{}, th.target(t, nil))
	big := bytes.Repeat([]byte{'x'}, maxFileSize+1)
	if err := th.host.WriteFile(`C:\big.log`, big); err != nil {
		t.Fatal(err)
	}
	_, _, err := c.ReadFile(ctxFor(t), `C:\big.log`)
	wantErr(t, "ReadFile(too large)", err, errTooLarge, "1536001 bytes")
	before := len(th.server.Log())
	err = c.WriteFile(ctxFor(t), `C:\big2.log`, big, transport.WriteOptions{})
	wantErr(t, "WriteFile(too large)", err, errTooLarge, "1500 KiB")
	if after := len(th.server.Log()); after != before {
		t.Errorf("a refused write still sent %d requests", after-before)
	}
	if err := c.WriteFile(ctxFor(t), `C:\max.log`, big[:maxFileSize], transport.WriteOptions{}); err != nil {
		t.Errorf("WriteFile of exactly the limit: %v", err)
	}
}

// TestScriptFailureMessage: a script that dies without its JSON answer is
// reported with PowerShell's error as text, not CLIXML.
func TestScriptFailureMessage(t *testing.T) {
	t.Parallel()
	th := newTestHost(t, hostConfig{})
	c := th.dial(t, Options{}, th.target(t, nil))
	th.host.Handle(scripts.StatFile, func(_ context.Context, _ *winhost.Host, _ json.RawMessage, _, stderr io.Writer) int {
		winhost.WriteError(stderr, "Exception calling \"Exists\": boom")
		return 1
	})
	_, err := c.Stat(ctxFor(t), `C:\x`)
	wantErr(t, "Stat", err, nil, "stat-file/1 failed on the host (exit 1)", `Exception calling "Exists": boom`)
	if strings.Contains(err.Error(), "CLIXML") {
		t.Errorf("error shows raw CLIXML: %v", err)
	}
}

// TestScriptCommandLineGolden pins the exact command line of one shipped
// script (go test -update rewrites it after a deliberate change).
func TestScriptCommandLineGolden(t *testing.T) {
	t.Parallel()
	line, err := scripts.StatFile.Command()
	if err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "testdata/stat-file.cmdline", line+"\n")
}
