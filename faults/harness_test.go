package faults

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/rotplay/rotplay/lab"
	"github.com/rotplay/rotplay/lab/fakedt"
)

// rotplayBin is the rotplay binary built once by TestMain.
var rotplayBin string

// moduleRoot is where go.mod and playbooks/ are.
const moduleRoot = ".."

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "rotplay-faults-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	rotplayBin = filepath.Join(dir, "rotplay")
	build := exec.Command("go", "build", "-o", rotplayBin, "./cmd/rotplay")
	build.Dir = moduleRoot
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "build rotplay: %v\n%s", err, out)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// tokenFiles are the files that hold a tenant token on the lab's Linux
// hosts; absent ones (zRemote on the second ActiveGate) are skipped.
var tokenFiles = map[string][]string{
	"ag": {fakedt.AuthorizationPropertiesPath, fakedt.RemotePluginRuxitAgentConfPath,
		fakedt.RemotePluginExtensionsConfPath, fakedt.ZRemoteRuxitAgentConfPath},
	"oa": {fakedt.OneAgentConfigPath},
}

// original is a token file as the lab laid it out.
type original struct {
	host, path string
	content    string
	mode       fs.FileMode
	uid, gid   int // virtual owner on the host
}

// fixture is one lab with its original token files.
type fixture struct {
	t      *testing.T
	l      *lab.Lab
	oldTok string
	files  []original
}

// startLab starts a small lab in the test's temporary directory.
func startLab(t *testing.T, opts lab.Options) *fixture {
	t.Helper()
	// Pipelining, as on a real fleet, unless ROTPLAY_FAULTS_SESSIONS is
	// set (make test runs the suite both ways): the faults hit the same
	// commands either way (lab.ExecHook).
	opts.Dir, opts.SessionPerCommand = t.TempDir(), os.Getenv("ROTPLAY_FAULTS_SESSIONS") != ""
	l, err := lab.Start(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	f := &fixture{t: t, l: l}
	f.oldTok, _ = l.Sim.Tokens()
	for _, h := range l.Hosts() {
		for _, p := range tokenFiles[h[:2]] {
			real := filepath.Join(l.HostRoot(h), p)
			data, err := os.ReadFile(real)
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			fi, _ := os.Stat(real)
			uid, gid, err := l.FileOwner(h, p)
			if err != nil {
				t.Fatal(err)
			}
			f.files = append(f.files, original{h, p, string(data), fi.Mode(), uid, gid})
		}
	}
	if len(f.files) == 0 {
		t.Fatal("the lab laid out no token files")
	}
	return f
}

// result is a finished rotplay process.
type result struct {
	code           int // exit status; -1 when killed by a signal
	signal         syscall.Signal
	stdout, stderr string
}

func (r result) String() string {
	return fmt.Sprintf("exit %d (signal %v)\n--- stdout\n%s--- stderr\n%s", r.code, r.signal, r.stdout, r.stderr)
}

// proc is a running rotplay process whose stdout is watched line by line.
type proc struct {
	cmd    *exec.Cmd
	stderr bytes.Buffer
	mu     sync.Mutex
	out    strings.Builder
	lines  chan string // every stdout line, for waitLine
	done   chan result
}

// start runs rotplay with args, its state directory the lab's (inside the
// test's temporary directory), HOME a fresh directory.
func (f *fixture) start(args ...string) *proc {
	f.t.Helper()
	cmd := exec.Command(rotplayBin, args...)
	cmd.Dir = moduleRoot
	cmd.Env = append(os.Environ(), "HOME="+f.t.TempDir(), "DT_API_TOKEN=")
	p := &proc{cmd: cmd, lines: make(chan string, 1000), done: make(chan result, 1)}
	cmd.Stderr = &p.stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		f.t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		f.t.Fatal(err)
	}
	go p.read(stdout)
	return p
}

func (p *proc) read(r interface{ Read([]byte) (int, error) }) {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		p.mu.Lock()
		p.out.WriteString(sc.Text() + "\n")
		p.mu.Unlock()
		select {
		case p.lines <- sc.Text():
		default:
		}
	}
	close(p.lines)
	err := p.cmd.Wait()
	res := result{code: p.cmd.ProcessState.ExitCode(), stderr: p.stderr.String()}
	if ws, ok := p.cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		res.signal = ws.Signal()
	}
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		res.stderr += "\n(wait: " + err.Error() + ")"
	}
	p.mu.Lock()
	res.stdout = p.out.String()
	p.mu.Unlock()
	p.done <- res
}

// waitLine waits for a stdout line containing s; it fails the test when
// rotplay ends or a minute passes first.
func (p *proc) waitLine(t *testing.T, s string) {
	t.Helper()
	timeout := time.After(time.Minute)
	for {
		select {
		case line, ok := <-p.lines:
			if !ok {
				t.Fatalf("rotplay ended before printing %q:\n%s", s, p.wait(t))
			}
			if strings.Contains(line, s) {
				return
			}
		case <-timeout:
			p.cmd.Process.Kill()
			t.Fatalf("no line %q within a minute:\n%s", s, p.wait(t))
		}
	}
}

func (p *proc) signal(t *testing.T, sig os.Signal) {
	t.Helper()
	if err := p.cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
}

// wait waits for rotplay to end (killing it after two minutes).
func (p *proc) wait(t *testing.T) result {
	t.Helper()
	select {
	case r := <-p.done:
		p.done <- r
		// With pipelining every host must have kept its shell: a fault
		// injected in a session instead would test the other path.
		if strings.Contains(r.stdout, "pipelining off") {
			t.Fatalf("a host fell back from pipelining:\n%s", r)
		}
		return r
	case <-time.After(2 * time.Minute):
		p.cmd.Process.Kill()
		t.Fatal("rotplay did not end within two minutes")
	}
	return result{}
}

// rotationArgs run the shipped playbook, unmodified, against the lab.
func (f *fixture) rotationArgs(extra ...string) []string {
	return append([]string{"run", "playbooks/rotation.yaml", "-i", f.l.Inventory, "--state-dir", f.l.StateDir}, extra...)
}

// rotate runs the rotation to its end.
func (f *fixture) rotate(extra ...string) result {
	f.t.Helper()
	return f.start(f.rotationArgs(extra...)...).wait(f.t)
}

// wantCode fails unless rotplay exited with code.
func wantCode(t *testing.T, r result, code int) {
	t.Helper()
	if r.code != code {
		t.Fatalf("want exit %d, got %s", code, r)
	}
}

// wantOutput fails unless stdout or stderr contains every s.
func wantOutput(t *testing.T, r result, s ...string) {
	t.Helper()
	for _, s := range s {
		if !strings.Contains(r.stdout+r.stderr, s) {
			t.Fatalf("output lacks %q:\n%s", s, r)
		}
	}
}

// notFinished checks (b) after a run that must not have finished: no
// finish took effect, and no component lost its connection.
func (f *fixture) notFinished() {
	f.t.Helper()
	v := f.l.Verdict()
	if v.Finished || !v.Safe || slices.Contains(v.Calls, "finish") {
		f.t.Fatalf("the rotation must stay open and safe: %+v", v)
	}
}

// filesIntact checks (c): every token file holds either exactly its
// original content or exactly that content with the new token, with its
// mode and owner unchanged, and no .rotplay-* temporary file is left
// anywhere under the host roots. A file write the lab's SSH server was
// still finishing when a client died gets a few seconds to end.
func (f *fixture) filesIntact() {
	f.t.Helper()
	newTok, _ := f.l.Sim.Tokens()
	deadline := time.Now().Add(5 * time.Second)
	for {
		problems := f.fileProblems(newTok)
		if len(problems) == 0 {
			return
		}
		if time.Now().After(deadline) {
			f.t.Fatalf("files not intact:\n%s", strings.Join(problems, "\n"))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (f *fixture) fileProblems(newTok string) []string {
	var problems []string
	for _, o := range f.files {
		problems = append(problems, f.fileProblem(o, newTok, false)...)
	}
	return append(problems, f.tempFiles()...)
}

// fileProblem compares a token file with its original; rotated requires
// the new token.
func (f *fixture) fileProblem(o original, newTok string, rotated bool) []string {
	real := filepath.Join(f.l.HostRoot(o.host), o.path)
	data, err := os.ReadFile(real)
	if err != nil {
		return []string{fmt.Sprintf("%s:%s: %v", o.host, o.path, err)}
	}
	var problems []string
	want := strings.ReplaceAll(o.content, f.oldTok, newTok)
	switch got := string(data); {
	case got == want:
	case got == o.content && !rotated:
	default:
		problems = append(problems, fmt.Sprintf("%s:%s neither the old nor the new content (rotated=%v):\n%q", o.host, o.path, rotated, got))
	}
	if fi, err := os.Stat(real); err != nil || fi.Mode() != o.mode {
		problems = append(problems, fmt.Sprintf("%s:%s mode %v, was %v (%v)", o.host, o.path, fi.Mode(), o.mode, err))
	}
	if uid, gid, err := f.l.FileOwner(o.host, o.path); err != nil || uid != o.uid || gid != o.gid {
		problems = append(problems, fmt.Sprintf("%s:%s owner %d:%d, was %d:%d (%v)", o.host, o.path, uid, gid, o.uid, o.gid, err))
	}
	return problems
}

// tempFiles lists the .rotplay-* files left under the host roots.
func (f *fixture) tempFiles() []string {
	var left []string
	root := filepath.Join(f.l.Dir, "hosts")
	filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasPrefix(d.Name(), ".rotplay-") {
			left = append(left, "temporary file left: "+path)
		}
		return nil
	})
	return left
}

// completed checks (d) after a run that must have completed the rotation:
// exit 0, finished, safe, start taken once, every token file rotated.
func (f *fixture) completed(r result, starts int) {
	f.t.Helper()
	wantCode(f.t, r, 0)
	v := f.l.Verdict()
	if !v.Finished || !v.Safe {
		f.t.Fatalf("the rotation must be finished and safe: %+v\n%s", v, r)
	}
	if n := count(v.Calls, "start"); n != starts {
		f.t.Fatalf("start took effect %d times, want %d: %v", n, starts, v.Calls)
	}
	newTok, _ := f.l.Sim.Tokens()
	if newTok == f.oldTok {
		f.t.Fatal("the simulator's token did not change")
	}
	var problems []string
	for _, o := range f.files {
		problems = append(problems, f.fileProblem(o, newTok, true)...)
	}
	if problems = append(problems, f.tempFiles()...); len(problems) > 0 {
		f.t.Fatalf("after the completed rotation:\n%s", strings.Join(problems, "\n"))
	}
}

// leftSafe checks (b) and (c) after a run that had to stop: the rotation
// is open and safe, every token file intact.
func (f *fixture) leftSafe() {
	f.t.Helper()
	f.notFinished()
	f.filesIntact()
}

// healedResumes removes host's fault and checks (d): a plain re-run then
// completes the open rotation.
func (f *fixture) healedResumes(host string) {
	f.t.Helper()
	f.hook(host, nil)
	f.resumes()
}

// resumes checks (d): a plain re-run completes the open rotation.
func (f *fixture) resumes() {
	f.t.Helper()
	r := f.rotate()
	wantOutput(f.t, r, "ok           controller | start the rotation") // resumed: no new start
	f.completed(r, 1)
}

func count(list []string, s string) int {
	n := 0
	for _, x := range list {
		if x == s {
			n++
		}
	}
	return n
}
