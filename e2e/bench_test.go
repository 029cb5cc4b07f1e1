package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// BenchmarkFleet rotates real OpenSSH fleets with rotplay, the floor
// (bench/floor) and tuned Ansible (bench/ansible), in turns, several rounds
// each, and reports medians and ratios measured in the same run. The
// environment chooses what runs (defaults in brackets):
//
//	ROTPLAY_BENCH_HOSTS    fleet sizes [10,50,200]
//	ROTPLAY_BENCH_ROUNDS   runs of each tool per size [3]
//	ROTPLAY_BENCH_TOOLS    contenders [rotplay,floor,ansible]; also rotplay-minimal (rotplay
//	                       doing only the floor's job: bench/rotplay-minimal) and
//	                       ansible-defaultkex (Ansible without the key exchange pin)
//	ROTPLAY_BENCH_RESTART  how long each fake (re)start takes [0s]
//	ROTPLAY_BENCH_SHOW     set: log each run's whole output (go test -v)
//	ROTPLAY_BENCH_ARGS     more arguments for rotplay run, split at blanks (e.g. -vv)
//	ROTPLAY_BENCH_ENV      more environment for rotplay run, NAME=VALUE split at blanks
//	ROTPLAY_BENCH_PROFILE  a directory: each rotplay run writes its ROTPLAY_PROFILE files in a
//	                       subdirectory of it (go tool pprof)
//
// Every run must rotate every host and finish safely (the simulator's
// verdict), or the benchmark fails: a fast wrong run measures nothing.
func BenchmarkFleet(b *testing.B) {
	needSuite(b)
	cfg, err := benchConfigFromEnv()
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range cfg.sizes {
		b.Run(fmt.Sprintf("hosts=%d", n), func(b *testing.B) { benchFleet(b, cfg, n) })
	}
}

type benchConfig struct {
	sizes   []int
	rounds  int
	tools   []string
	restart time.Duration
}

func benchConfigFromEnv() (benchConfig, error) {
	cfg := benchConfig{rounds: 3, tools: []string{"rotplay", "floor", "ansible"}}
	for _, s := range strings.Split(envOr("ROTPLAY_BENCH_HOSTS", "10,50,200"), ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 2 {
			return cfg, fmt.Errorf("ROTPLAY_BENCH_HOSTS: %q is not a host count of at least 2", s)
		}
		cfg.sizes = append(cfg.sizes, n)
	}
	var err error
	if cfg.rounds, err = strconv.Atoi(envOr("ROTPLAY_BENCH_ROUNDS", "3")); err != nil || cfg.rounds < 1 {
		return cfg, fmt.Errorf("ROTPLAY_BENCH_ROUNDS: want a positive number")
	}
	if v := os.Getenv("ROTPLAY_BENCH_TOOLS"); v != "" {
		cfg.tools = strings.Split(v, ",")
	}
	for _, tool := range cfg.tools {
		if _, ok := contenders[tool]; !ok {
			return cfg, fmt.Errorf("ROTPLAY_BENCH_TOOLS: unknown tool %q (rotplay, rotplay-minimal, floor, ansible, ansible-defaultkex)", tool)
		}
		if _, err := exec.LookPath("ansible-playbook"); strings.HasPrefix(tool, "ansible") && err != nil {
			return cfg, fmt.Errorf("ansible-playbook is missing (apt-get install ansible-core), "+
				"or leave Ansible out: ROTPLAY_BENCH_TOOLS=rotplay,floor: %w", err)
		}
	}
	if cfg.restart, err = time.ParseDuration(envOr("ROTPLAY_BENCH_RESTART", "0s")); err != nil {
		return cfg, fmt.Errorf("ROTPLAY_BENCH_RESTART: %w", err)
	}
	return cfg, nil
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// benchSpecs is a fleet of n hosts, one ActiveGate for every ten, all
// logging in as root.
func benchSpecs(n int, restart time.Duration) []hostSpec {
	ags := max(1, n/10)
	specs := make([]hostSpec, 0, n)
	for i := range n {
		s := hostSpec{name: fmt.Sprintf("oa-%d", i-ags+1), kind: oneAgent, login: "root", restartDelay: restart}
		if i < ags {
			s.name, s.kind = fmt.Sprintf("ag-%d", i+1), activeGate
		}
		specs = append(specs, s)
	}
	return specs
}

// sample is what one run cost.
type sample struct {
	wall      time.Duration
	cpu       time.Duration // the contender's processes, user + system
	serverCPU time.Duration // the fleet's sshd and everything they ran; -1: unknown
	rssKB     int64         // the largest single process's peak RSS
}

func benchFleet(b *testing.B, cfg benchConfig, n int) {
	servers, serverErr := newCPUGroup(fmt.Sprintf("rotplay-bench-%d-servers-%d", os.Getpid(), n))
	if serverErr != nil {
		b.Logf("server CPU not measured: %v", serverErr)
	}
	f := startBenchFleet(b, benchSpecs(n, cfg.restart), servers)
	samples := map[string][]sample{}
	for round := range cfg.rounds {
		for _, tool := range cfg.tools {
			s := f.benchRun(b, tool, round, servers)
			samples[tool] = append(samples[tool], s)
		}
	}
	reportBench(b, cfg, n, samples)
}

// startBenchFleet starts the fleet with its sshd processes in servers.
func startBenchFleet(b *testing.B, specs []hostSpec, servers *cpuGroup) *fleet {
	if servers == nil {
		return startFleet(b, specs)
	}
	b.Cleanup(func() { servers.remove() }) // cleanups run last-in first-out: after the sshd stopped
	leave, err := servers.enterSelf()
	if err != nil {
		b.Fatal(err)
	}
	f := startFleet(b, specs)
	if err := leave(); err != nil {
		b.Fatal(err)
	}
	return f
}

// reportBench prints the medians and ratios as a table and reports them
// as metrics (benchstat reads those).
func reportBench(b *testing.B, cfg benchConfig, n int, samples map[string][]sample) {
	fmt.Printf("\n%d hosts (%d ActiveGates), %d rounds, restarts take %v: medians\n", n, max(1, n/10), cfg.rounds, cfg.restart)
	fmt.Printf("| tool | wall s | controller CPU ms/host | server CPU ms/host | peak RSS MB |\n|---|---|---|---|---|\n")
	walls := map[string]float64{}
	for _, tool := range cfg.tools {
		ss := samples[tool]
		wall := median(ss, func(s sample) float64 { return s.wall.Seconds() })
		cpu := median(ss, func(s sample) float64 { return float64(s.cpu.Microseconds()) / 1000 / float64(n) })
		srv := median(ss, func(s sample) float64 { return float64(s.serverCPU.Microseconds()) / 1000 / float64(n) })
		rss := median(ss, func(s sample) float64 { return float64(s.rssKB) / 1024 })
		walls[tool] = wall
		srvText := fmt.Sprintf("%.1f", srv)
		if ss[0].serverCPU < 0 {
			srvText = "n/a"
		}
		fmt.Printf("| %s | %.2f | %.2f | %s | %.0f |\n", tool, wall, cpu, srvText, rss)
		b.ReportMetric(wall, tool+"-s")
		b.ReportMetric(cpu, tool+"-cpu-ms/host")
		b.ReportMetric(rss, tool+"-rss-MB")
	}
	for _, other := range []string{"floor", "ansible", "ansible-defaultkex"} {
		if walls["rotplay-minimal"] > 0 && walls[other] > 0 && other == "floor" {
			fmt.Printf("rotplay-minimal / floor wall time: %.2f\n", walls["rotplay-minimal"]/walls[other])
			b.ReportMetric(walls["rotplay-minimal"]/walls[other], "rotplay-minimal/floor")
		}
		if walls["rotplay"] > 0 && walls[other] > 0 {
			fmt.Printf("rotplay / %s wall time: %.2f\n", other, walls["rotplay"]/walls[other])
			b.ReportMetric(walls["rotplay"]/walls[other], "rotplay/"+other)
		}
	}
	if cfg.restart > 0 && walls["rotplay"] > 0 {
		ideal := (2 * cfg.restart).Seconds() // one ActiveGate start and one OneAgent restart
		fmt.Printf("rotplay / ideal (%.0f s): %.2f\n", ideal, walls["rotplay"]/ideal)
		b.ReportMetric(walls["rotplay"]/ideal, "rotplay/ideal")
	}
}

// median of f over samples.
func median(samples []sample, f func(sample) float64) float64 {
	vs := make([]float64, len(samples))
	for i, s := range samples {
		vs[i] = f(s)
	}
	slices.Sort(vs)
	if len(vs)%2 == 1 {
		return vs[len(vs)/2]
	}
	return (vs[len(vs)/2-1] + vs[len(vs)/2]) / 2
}
