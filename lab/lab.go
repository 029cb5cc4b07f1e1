// Package lab is the practice environment: a simulated Dynatrace
// environment API and simulated ActiveGate and OneAgent hosts reachable
// over real SSH, all on loopback, in one process, with no root needed.
// It writes an inventory and a known_hosts file so that
// playbooks/rotation.yaml runs against it unmodified, and its simulator
// tracks every agent's token so the lab can tell whether a rotation would
// have lost data.
//
// Nothing here is on the path of a real run.
package lab

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/rotplay/rotplay/lab/dtsim"
	"github.com/rotplay/rotplay/lab/sshserver"
	"github.com/rotplay/rotplay/lab/vhost"
)

// Options size and place the lab.
type Options struct {
	Dir         string // where the lab lives; "" means a new temporary directory
	ActiveGates int    // Linux ActiveGates over SSH
	OneAgents   int    // Linux OneAgents over SSH
	// Windows hosts over WinRM: the first over HTTPS with NTLM, the others
	// over HTTP with Basic. All four counts zero: 2, 3, 1 and 1.
	WindowsActiveGates int
	WindowsOneAgents   int
	RestartDelay       time.Duration // how long a simulated service (re)start takes
	// CommandLog, if set, is told the command line of every SSH exec
	// request a host receives, so tests can prove no secret travels in
	// one. With pipelining that is each host's `exec sh -s` and what takes
	// a session of its own; SessionPerCommand makes it every command.
	// Called concurrently.
	CommandLog func(host, command string)
	// Logins overrides, per Linux host name, how the inventory logs in
	// (see Login); the fault suite uses it for permission errors.
	Logins map[string]Login
	// Simulator configures the simulated API (the zero value: defaults).
	Simulator dtsim.Options
	// SessionPerCommand writes rotplay_ssh_pipelining: false into the
	// inventory, so that every command reaches a host as an SSH exec
	// request of its own (and CommandLog sees it). By default rotplay
	// pipelines, as on a real fleet: one `exec sh -s` per host.
	SessionPerCommand bool
}

// Lab is a running practice environment. Close it to stop every server.
type Lab struct {
	Dir        string // the lab's directory
	Inventory  string // inventory file for playbooks/rotation.yaml
	KnownHosts string // known_hosts with every host's key
	StateDir   string // a state directory of the lab's own
	APIURL     string // the simulated environment URL
	Sim        *dtsim.Simulator

	hosts       []*host
	http        *http.Server
	tempDir     bool
	winPassword string // the Windows hosts' Administrator password
	commandLog  func(host, command string)
	opts        Options    // as started, defaults applied
	clientKey   *clientKey // the lab's SSH login key
}

type host struct {
	name   string
	kind   string // "activegate" or "oneagent"
	user   string
	become bool              // the inventory sets ansible_become
	server *sshserver.Server // SSH hosts
	key    ssh.PublicKey     // the SSH host key
	win    *winHost          // Windows hosts, over WinRM

	// SSH hosts: what RestartHost needs to listen again, and the fault hook.
	hostKey   ssh.Signer
	addr      string
	sshConfig sshserver.Config
	hook      hookSlot
	vh        *vhost.Host
}

// Start builds and starts a lab. ctx bounds the set-up only.
func Start(ctx context.Context, opts Options) (_ *Lab, err error) {
	opts = withDefaults(opts)
	l := &Lab{Dir: opts.Dir, commandLog: opts.CommandLog, opts: opts}
	if l.Dir == "" {
		if l.Dir, err = os.MkdirTemp("", "rotplay-lab-"); err != nil {
			return nil, err
		}
		l.tempDir = true
	} else if err := os.MkdirAll(l.Dir, 0o700); err != nil {
		return nil, fmt.Errorf("lab directory: %w", err)
	}
	defer func() {
		if err != nil {
			l.Close()
		}
	}()
	if err := l.startAPI(opts.Simulator); err != nil {
		return nil, fmt.Errorf("start the simulated API: %w", err)
	}
	if err := l.startHosts(ctx, opts); err != nil {
		return nil, err
	}
	return l, l.writeClientFiles()
}

func withDefaults(o Options) Options {
	if o.ActiveGates == 0 && o.OneAgents == 0 && o.WindowsActiveGates == 0 && o.WindowsOneAgents == 0 {
		o.ActiveGates, o.OneAgents, o.WindowsActiveGates, o.WindowsOneAgents = 2, 3, 1, 1
	}
	if o.Simulator.PageSize == 0 {
		// Pages of 2 exercise paging; a big lab gets about 100 pages, far
		// from the page limit of API clients.
		o.Simulator.PageSize = max(dtsim.DefaultPageSize, (o.OneAgents+o.WindowsOneAgents)/100)
	}
	return o
}

// startAPI serves the simulator on a loopback port.
func (l *Lab) startAPI(sim dtsim.Options) error {
	l.Sim = dtsim.New(sim)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	l.APIURL = "http://" + ln.Addr().String()
	l.http = &http.Server{Handler: l.Sim.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go l.http.Serve(ln)
	return nil
}

// Close stops every server and, for a temporary lab, removes its directory.
func (l *Lab) Close() error {
	var errs []error
	for _, h := range l.hosts {
		if h.server != nil {
			errs = append(errs, h.server.Close())
		}
		if h.win != nil {
			errs = append(errs, h.win.server.Close())
		}
	}
	if l.http != nil {
		errs = append(errs, l.http.Close())
	}
	if l.tempDir {
		errs = append(errs, os.RemoveAll(l.Dir))
	}
	return errors.Join(errs...)
}

// Verdict is the simulator's judgement of the rotation so far.
func (l *Lab) Verdict() dtsim.Verdict { return l.Sim.Verdict() }

// Hosts returns the lab's host names.
func (l *Lab) Hosts() []string {
	out := make([]string, len(l.hosts))
	for i, h := range l.hosts {
		out[i] = h.name
	}
	return out
}

// HostRoot is the directory a host sees as "/", for inspection.
func (l *Lab) HostRoot(name string) string { return filepath.Join(l.Dir, "hosts", name) }
