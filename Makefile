# rotplay — common tasks. `make test` is what CI runs (via .ci/run).
GO      ?= go
BIN     ?= bin/rotplay
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)

.PHONY: build test lint bench demo clean

build:
	$(GO) build -ldflags "-X main.version=$(VERSION)" -o $(BIN) ./cmd/rotplay

## test: formatting, vet, then every test with the race detector.
test: lint
	$(GO) test -race -count=1 ./...

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

## bench: engine benchmarks (in-memory hosts; see docs/performance.md when it exists).
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./engine/

## demo: rotate the practice lab end to end and print its verdict.
demo:
	$(GO) run ./cmd/rotplay lab --demo

clean:
	rm -rf bin
