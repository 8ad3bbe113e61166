package cli

import (
	"context"
	"io"
	"os"
	"runtime/pprof"
	"strings"
	"testing"
)

// BenchmarkCLIRun runs one whole command through Main, as the binary does,
// for profiling everything a run does (reading, the parse cache, the
// analyses, the output): RAPPORT_BENCH_ARGS="paths FILE" go test
// ./internal/cli -run '^$' -bench CLIRun -cpuprofile cpu.prof. The parse
// cache is a fresh folder, warmed by a first run; RAPPORT_BENCH_COLD=1
// turns it off, so every run parses.
func BenchmarkCLIRun(b *testing.B) {
	args := os.Getenv("RAPPORT_BENCH_ARGS")
	if args == "" {
		b.Skip("RAPPORT_BENCH_ARGS unset")
	}
	cache := b.TempDir()
	if os.Getenv("RAPPORT_BENCH_COLD") != "" {
		cache = "off"
	}
	getenv := func(k string) string {
		if k == "RAPPORT_CACHE_DIR" {
			return cache
		}
		return ""
	}
	argv := strings.Fields(args)
	Main(context.Background(), argv, nil, io.Discard, io.Discard, getenv)
	for b.Loop() {
		Main(context.Background(), argv, nil, io.Discard, io.Discard, getenv)
	}
}

// TestCLIProfileOnce runs one command through Main in a fresh process and
// writes its CPU profile, for profiling a whole CLI run as a user has it:
// RAPPORT_PROFILE_OUT=p.prof RAPPORT_BENCH_ARGS="paths x.toml" go test -run CLIProfileOnce
func TestCLIProfileOnce(t *testing.T) {
	out, args := os.Getenv("RAPPORT_PROFILE_OUT"), os.Getenv("RAPPORT_BENCH_ARGS")
	if out == "" || args == "" {
		t.Skip("RAPPORT_PROFILE_OUT or RAPPORT_BENCH_ARGS unset")
	}
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := pprof.StartCPUProfile(f); err != nil {
		t.Fatal(err)
	}
	Main(context.Background(), strings.Fields(args), nil, io.Discard, io.Discard, os.Getenv)
	pprof.StopCPUProfile()
}
