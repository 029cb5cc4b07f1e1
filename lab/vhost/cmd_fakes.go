package vhost

import (
	"context"

	"github.com/rotplay/rotplay/lab/fakedt"
)

// fakeEnv is the environment the Dynatrace fakes run in on this host:
// root's view of its files, the caller's uid and streams.
func (p *proc) fakeEnv(args []string) fakedt.Env {
	return fakedt.Env{
		FS: p.h.FS(), UID: p.cred.uid, Args: args,
		Stdin: p.stdin, Stdout: p.stdout, Stderr: p.stderr,
		Reporter: p.h.opts.Reporter, RestartDelay: p.h.opts.RestartDelay,
		Host: p.h.name,
	}
}

func cmdSystemctl(ctx context.Context, p *proc, args []string) int {
	return fakedt.Systemctl(ctx, p.fakeEnv(args))
}

func cmdService(ctx context.Context, p *proc, args []string) int {
	return fakedt.Service(ctx, p.fakeEnv(args))
}

func cmdOneAgentCtl(ctx context.Context, p *proc, args []string) int {
	return fakedt.OneAgentCtl(ctx, p.fakeEnv(args))
}
