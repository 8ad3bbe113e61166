//go:build linux || darwin

package cli

import (
	"io"
	"os"
	"runtime"
	"runtime/pprof"
	"testing"
	"time"
)

// TestHeapAtPlay shows where the memory of an interactive session goes:
// it runs the player in process on a 100x30 pseudo-terminal, in colour,
// with every allocation sampled, along the path RAPPORT_HEAPPROF_PATH
// names ("play": `rapport play late-delivery`; otherwise `rapport` alone,
// the name asked, the picker's first scenario), past the briefing to the
// play screen, and says two lines. It logs the bytes allocated at the
// briefing and after each line, and writes the allocation profile to the
// file RAPPORT_HEAPPROF names (go tool pprof -sample_index=alloc_space or
// inuse_space). A measurement, not a check: docs/scoring.md, "Memory of a
// play session", has the figures.
func TestHeapAtPlay(t *testing.T) {
	out := os.Getenv("RAPPORT_HEAPPROF")
	if out == "" {
		t.Skip("set RAPPORT_HEAPPROF=FILE to profile the memory of a play session")
	}
	defer func(rate int) { runtime.MemProfileRate = rate }(runtime.MemProfileRate)
	runtime.MemProfileRate = 1
	env := map[string]string{"HOME": t.TempDir(), "RAPPORT_DATA_DIR": t.TempDir(), "RAPPORT_CONFIG_DIR": t.TempDir(), "TERM": "xterm-256color", "NO_COLOR": ""}
	var r *ptyRun
	if os.Getenv("RAPPORT_HEAPPROF_PATH") == "play" {
		r = startPTY(t, env, 100, 30, "play", "late-delivery", "--name", "M")
		r.waitFor("start the call")
	} else {
		r = startPTY(t, env, 100, 30)
		r.waitFor("Your name")
		io.WriteString(r.master, "M\r")
		r.waitFor("choose a conversation")
		io.WriteString(r.master, "\r")
		r.waitFor("start the call")
	}
	var ms0 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	t.Logf("at the briefing: TotalAlloc %d", ms0.TotalAlloc)
	io.WriteString(r.master, "\r")
	r.waitFor("What do you say?")
	for line := range 2 {
		// The typewriter takes about a second over a customer's line.
		time.Sleep(1500 * time.Millisecond)
		runtime.ReadMemStats(&ms0)
		t.Logf("customer's line %d shown: TotalAlloc %d", line+1, ms0.TotalAlloc)
		io.WriteString(r.master, "2")
	}
	time.Sleep(1500 * time.Millisecond)
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	t.Logf("TotalAlloc %d HeapAlloc %d HeapInuse %d HeapSys %d HeapReleased %d StackSys %d NumGC %d",
		ms.TotalAlloc, ms.HeapAlloc, ms.HeapInuse, ms.HeapSys, ms.HeapReleased, ms.StackSys, ms.NumGC)
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	io.WriteString(r.master, "\x03")
}
