package cli

import (
	"math"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"testing"
	"time"
)

// TestLowGC holds the player's collector setting: GOGC=50 while it runs
// (docs/scoring.md, "Memory of a play session"), the user's GOGC when
// one is set, and the previous setting back afterwards.
func TestLowGC(t *testing.T) {
	before := debug.SetGCPercent(100)
	defer debug.SetGCPercent(before)

	restore := lowGC(&env{getenv: func(string) string { return "" }})
	if got := debug.SetGCPercent(playGCPercent); got != playGCPercent {
		t.Errorf("GOGC while playing = %d, want %d", got, playGCPercent)
	}
	restore()
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("GOGC after playing = %d, want 100 back", got)
	}

	restore = lowGC(&env{getenv: func(k string) string {
		if k == "GOGC" {
			return "200"
		}
		return ""
	}})
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("GOGC set by the user: the player changed it to %d", got)
	}
	restore()
}

// TestCollectLate checks that the collector is held back, then given back
// as it was once memory reaches the limit (so a big folder's report is
// collected as usual), and that a GOGC or GOMEMLIMIT the user set is
// left alone.
func TestCollectLate(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(math.MaxInt64))

	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	restore := collectLate(func(string) string { return "" }, int64(ms.Sys)+8<<20)
	defer restore()
	if pct := gcPercent100(); pct != -1 {
		t.Fatalf("collector percentage while held back = %d, want -1 (off)", pct)
	}
	before := ms.NumGC
	runtime.ReadMemStats(&ms)
	if ms.NumGC != before {
		t.Fatalf("%d collections ran while held back", ms.NumGC-before)
	}
	// Allocate past the limit: the collection it makes gives the
	// collector back.
	var keep [][]byte
	for i := 0; i < 4096 && gcPercent100() != 100; i++ {
		keep = append(keep, make([]byte, 64<<10))
		if len(keep) > 64 {
			keep = keep[1:]
		}
		if i%64 == 63 {
			time.Sleep(time.Millisecond) // let the cleanup goroutine run
		}
	}
	if pct := gcPercent100(); pct != 100 {
		t.Fatalf("collector percentage after the limit was reached = %d, want 100 as before", pct)
	}
	if lim := memoryLimit(); lim != math.MaxInt64 {
		t.Errorf("memory limit after the limit was reached = %d, want none, as before", lim)
	}

	for _, name := range []string{"GOGC", "GOMEMLIMIT"} {
		restore := collectLate(func(k string) string {
			if k == name {
				return "200"
			}
			return ""
		}, 1<<20)
		if pct := gcPercent100(); pct != 100 {
			t.Errorf("with %s set, the percentage became %d; want it left at 100", name, pct)
		}
		restore()
	}
}

// gcPercent100 reads the collector's percentage without setting it (which
// would race with the cleanup that gives it back).
func gcPercent100() int {
	s := []metrics.Sample{{Name: "/gc/gogc:percent"}}
	metrics.Read(s)
	return int(s[0].Value.Uint64())
}

// memoryLimit reads the memory limit without setting it.
func memoryLimit() uint64 {
	s := []metrics.Sample{{Name: "/gc/gomemlimit:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}
