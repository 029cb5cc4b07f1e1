// Command fakedt is the lab's fake Dynatrace tooling as one multi-call
// binary: installed (copied or linked) as oneagentctl, systemctl or
// service, it behaves as that program; see package fakedt.
package main

import (
	"os"
	"path/filepath"

	"github.com/rotplay/rotplay/lab/fakedt"
)

func main() { os.Exit(fakedt.Main(filepath.Base(os.Args[0]), os.Args[1:])) }
