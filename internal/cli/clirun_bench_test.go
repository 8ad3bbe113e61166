package cli

import (
	"context"
	"io"
	"os"
	"runtime/pprof"
	"testing"
)

// BenchmarkCLIRun runs one whole command through Main, for profiling:
// RAPPORT_BENCH_ARGS="paths /tmp/x.toml" go test -bench CLIRun -cpuprofile ...
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
	argv := splitArgs(args)
	Main(context.Background(), argv, nil, io.Discard, io.Discard, getenv)
	b.ResetTimer()
	for b.Loop() {
		Main(context.Background(), argv, nil, io.Discard, io.Discard, getenv)
	}
}

func splitArgs(s string) []string {
	var out []string
	for _, f := range []byte(s) {
		_ = f
	}
	start := -1
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == ' ' {
			if start >= 0 {
				out = append(out, s[start:i])
				start = -1
			}
		} else if start < 0 {
			start = i
		}
	}
	return out
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
	Main(context.Background(), splitArgs(args), nil, io.Discard, io.Discard, os.Getenv)
	pprof.StopCPUProfile()
}
