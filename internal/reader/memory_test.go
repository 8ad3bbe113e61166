package reader_test

import (
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/rapport-sim/rapport/internal/reader"
)

// firstReadEnv makes the test binary, run again by TestFirstReadMemory,
// measure the first Analyze of its life and print the figures.
const firstReadEnv = "RAPPORT_FIRST_READ"

// firstRead measures what the first Analyze of a process costs: the bytes
// it allocates in all, and the bytes and objects it leaves live on the heap
// (the rule tables and everything else built at first use).
func firstRead() (total, live, objects uint64) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	reader.Analyze("Good morning, this is Sam. I'm so sorry about the wait.", reader.Context{Customer: "Where is my parcel? I feel let down."})
	reader.MatchChoice("Sorry about that.", nil, reader.Context{})
	runtime.GC()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc, after.HeapAlloc - before.HeapAlloc, after.HeapObjects - before.HeapObjects
}

// TestFirstReadMemory: the first reading of a process builds the tables it
// needs. Interactive play pays this once, so it must stay small: the
// tables are generated ahead of time (tables_gen.go) rather than compiled
// from the rule sources at run time. It runs in a fresh process, the only
// place a first reading can be measured.
func TestFirstReadMemory(t *testing.T) {
	if os.Getenv(firstReadEnv) != "" {
		total, live, objects := firstRead()
		os.Stdout.WriteString("first-read " + strconv.FormatUint(total, 10) + " " + strconv.FormatUint(live, 10) + " " + strconv.FormatUint(objects, 10) + "\n")
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestFirstReadMemory$")
	cmd.Env = append(os.Environ(), firstReadEnv+"=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	var total, live, objects uint64
	for _, l := range strings.Split(string(out), "\n") {
		if f := strings.Fields(l); len(f) == 4 && f[0] == "first-read" {
			total, _ = strconv.ParseUint(f[1], 10, 64)
			live, _ = strconv.ParseUint(f[2], 10, 64)
			objects, _ = strconv.ParseUint(f[3], 10, 64)
		}
	}
	if total == 0 {
		t.Fatalf("no figures from the child:\n%s", out)
	}
	t.Logf("first Analyze: %d bytes (%.2f MiB) allocated, %d bytes and %d objects kept live", total, float64(total)/(1<<20), live, objects)
	// Compiling the rules at run time allocated 11.5 MiB and kept 3.8 MiB;
	// the generated tables need neither.
	if total > 1<<20 || live > 256<<10 {
		t.Errorf("the first Analyze allocated %d bytes and kept %d: something builds tables at run time again", total, live)
	}
}
