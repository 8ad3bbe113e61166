// Package hugeheap backs the heap of a short, allocation-heavy command
// with transparent huge pages where the kernel gives them only on request.
//
// A command such as `rapport paths` on a 5,000-node scenario lives a tenth
// of a second and touches some 25 MB of fresh heap. The Go runtime maps
// that memory in 4 KB pages, and each first touch is a page fault: 6,500
// faults a run, at 10–15 µs each on a virtual machine, were more time than
// the analysis itself. Linux can back memory with 2 MB pages instead, one
// fault for 512 small ones, but most distributions set transparent huge
// pages to "madvise": only memory a program asks for gets them, and the Go
// runtime asks only for its own metadata (Go 1.21.0 asked for the whole
// heap, which long-running servers paid for in memory, and Go 1.21.1 took
// it back). A command that is about to allocate that much and then exit
// has none of a server's reasons not to ask, so Reserve asks for it.
package hugeheap

import (
	"strconv"
	"strings"
)

// Reserve grows the heap by n bytes backed by huge pages, for a command
// about to allocate about that much. It does so once per process (later
// calls do nothing) and only where it helps: on Linux with transparent huge
// pages set to "madvise", unless GODEBUG has disablethp=1 (the Go
// runtime's own switch for programs that must not use them). It reports
// whether it reserved anything. getenv reads the environment (os.Getenv).
//
// The memory is given back to the runtime at once, so nothing is held: a
// command that allocates less leaves the rest untouched, and untouched
// pages cost nothing. What it costs is one garbage collection of a small
// heap (a few milliseconds), so it is for commands whose heap runs to tens
// of megabytes, not for the player's start-up.
func Reserve(n int, getenv func(string) string) bool {
	return reserve(n, getenv)
}

// hugePageSize decides whether huge pages must be asked for: enabled is
// /sys/kernel/mm/transparent_hugepage/enabled, pmdSize its hpage_pmd_size
// and godebug the GODEBUG setting. It returns the huge page size, or 0
// when asking is pointless (the kernel gives huge pages to every mapping
// already, or to none) or unwanted.
func hugePageSize(enabled, pmdSize, godebug string) int {
	if !strings.Contains(enabled, "[madvise]") {
		return 0
	}
	for _, kv := range strings.Split(godebug, ",") {
		if strings.TrimSpace(kv) == "disablethp=1" {
			return 0
		}
	}
	size, err := strconv.Atoi(strings.TrimSpace(pmdSize))
	if err != nil || size <= 0 || size&(size-1) != 0 {
		return 0
	}
	return size
}
