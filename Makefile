# rotplay — common tasks. `make test` is what CI runs (via .ci/run).
GO      ?= go
BIN     ?= bin/rotplay
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)

.PHONY: build test lint bench bench-deps bench-engine bench-fleet bench-restarts bench-lab demo clean

build:
	$(GO) build -ldflags "-X main.version=$(VERSION)" -o $(BIN) ./cmd/rotplay

## test: formatting, vet, then every test with the race detector; the fault
## suite once more with a session per command (it pipelines by default).
test: lint
	$(GO) test -race -count=1 ./...
	ROTPLAY_FAULTS_SESSIONS=1 $(GO) test -race -count=1 ./faults/

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

## bench: every benchmark; what each measures and the results: docs/performance.md.
## The fleet benchmarks need root, sshd, sudo and Ansible: make bench-deps.
bench: bench-engine bench-fleet bench-restarts bench-lab

## bench-deps: what the fleet benchmarks need (Debian).
bench-deps:
	apt-get install -y openssh-server sudo ansible-core time

## bench-engine: compile and run plans over in-memory hosts.
bench-engine:
	$(GO) test -run '^$$' -bench . -benchmem ./engine/

## bench-fleet: real OpenSSH fleets, rotplay vs the floor vs tuned Ansible
## (and rotplay-minimal: rotplay doing only the floor's job).
BENCH_HOSTS  ?= 10,50,200,500
BENCH_ROUNDS ?= 3
BENCH_TOOLS  ?= rotplay,rotplay-minimal,floor,ansible
bench-fleet:
	ROTPLAY_E2E=require ROTPLAY_BENCH_HOSTS=$(BENCH_HOSTS) ROTPLAY_BENCH_ROUNDS=$(BENCH_ROUNDS) ROTPLAY_BENCH_TOOLS=$(BENCH_TOOLS) \
	  $(GO) test -run '^$$' -bench Fleet -benchtime 1x -timeout 240m ./e2e/

## bench-restarts: 200 hosts whose restarts take 2 s: how close to one restart per phase.
bench-restarts:
	ROTPLAY_E2E=require ROTPLAY_BENCH_HOSTS=200 ROTPLAY_BENCH_RESTART=2s ROTPLAY_BENCH_TOOLS=rotplay,floor \
	  ROTPLAY_BENCH_ROUNDS=$(BENCH_ROUNDS) $(GO) test -run '^$$' -bench Fleet -benchtime 1x -timeout 60m ./e2e/

## bench-lab: the practice lab's in-process hosts, 1,000 and 10,000.
bench-lab: build
	bash bench/lab.sh $(BIN) 1000 10000

## demo: rotate the practice lab end to end and print its verdict.
demo:
	$(GO) run ./cmd/rotplay lab --demo

clean:
	rm -rf bin
