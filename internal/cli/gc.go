package cli

import (
	"runtime"
	"runtime/debug"
	"sync"
)

// collectLate holds the collector back until the program's memory reaches
// limit, then puts it back as it was (unless the user chose GOGC or
// GOMEMLIMIT, which are left alone), and returns what puts it back at
// once.
//
// A report over 10,000 records allocates about 15 MB, a few megabytes at
// a time, in a process that lives a fifth of a second: at the default
// GOGC the collector starts from a 4 MB heap and runs five times, on the
// cores that are reading and summing the records, and each cycle costs
// the page faults of the runtime's own bookkeeping. Held back, it never
// runs on such a folder. A bigger one reaches limit, is collected then,
// and from that collection on is collected as usual: memory stays bounded
// by limit or by what the default would use, whichever is more.
func collectLate(getenv func(string) string, limit int64) func() {
	if getenv("GOGC") != "" || getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	pct := debug.SetGCPercent(-1)
	old := debug.SetMemoryLimit(limit)
	var once sync.Once
	restore := func() {
		once.Do(func() {
			debug.SetMemoryLimit(old)
			debug.SetGCPercent(pct)
		})
	}
	// The first collection, made when the limit is reached, finds the
	// sentinel unreachable and runs the cleanup. The sentinel is larger
	// than the allocator's tiny objects, which share a block and so may
	// never be found unreachable alone.
	sentinel := new([32]byte)
	runtime.AddCleanup(sentinel, func(struct{}) { restore() }, struct{}{})
	return restore
}

// analysisMemoryLimit is the memory `paths` and `check` may use before the
// collector runs at all (collectLate). Their heap is reserved on huge
// pages first (bigHeap), which the runtime counts as its memory from the
// start, so the limit is that and half as much again: `check` on a
// 5,000-node scenario allocates some 60 MB and never reaches it, and is
// spared the three or four collections it made on the cores doing the
// work (and the page faults of the collector's own bookkeeping).
const analysisMemoryLimit = bigHeap + bigHeap/2
