package hugeheap

import (
	"bufio"
	"bytes"
	"os"
	"strconv"
	"strings"
	"testing"
)

// anonHuge is how many bytes of the process's anonymous memory are huge
// pages, by /proc/self/smaps_rollup.
func anonHuge(t *testing.T) int {
	t.Helper()
	b, err := os.ReadFile("/proc/self/smaps_rollup")
	if err != nil {
		t.Skipf("no smaps_rollup: %v", err)
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 3 && f[0] == "AnonHugePages:" {
			kb, err := strconv.Atoi(f[1])
			if err != nil {
				t.Fatalf("smaps_rollup: %q", sc.Text())
			}
			return kb << 10
		}
	}
	t.Skip("smaps_rollup has no AnonHugePages")
	return 0
}

// sink keeps what the test allocates alive, so each batch takes fresh
// memory.
var sink [][]byte

// allocate allocates n bytes in small objects, as an analysis does, and
// returns how many of the process's bytes turned into huge pages meanwhile.
func allocate(t *testing.T, n int) int {
	before := anonHuge(t)
	for range n / 64 {
		b := make([]byte, 64)
		b[0] = 1
		sink = append(sink, b)
	}
	return anonHuge(t) - before
}

// TestReserveBacksTheHeapWithHugePages allocates 16 MB of small objects
// before and after Reserve: before, the heap grows in small pages; after,
// most of it is huge pages. It runs only where the kernel gives huge pages
// on request.
func TestReserveBacksTheHeapWithHugePages(t *testing.T) {
	enabled, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled")
	if err != nil || !bytes.Contains(enabled, []byte("[madvise]")) {
		t.Skipf("transparent huge pages are not on request here (%q, %v)", enabled, err)
	}
	if strings.Contains(os.Getenv("GODEBUG"), "disablethp=1") {
		t.Skip("GODEBUG=disablethp=1")
	}
	const n = 16 << 20
	without := allocate(t, n)
	if !Reserve(64<<20, os.Getenv) {
		t.Fatal("Reserve reserved nothing where huge pages are given on request")
	}
	with := allocate(t, n)
	t.Logf("huge pages gained while allocating %d MB: %d MB without Reserve, %d MB with it", n>>20, without>>20, with>>20)
	if with < n/2 {
		t.Errorf("after Reserve, %d MB of the %d MB allocated became huge pages, want at least half", with>>20, n>>20)
	}
	if Reserve(64<<20, os.Getenv) {
		t.Error("a second Reserve reserved again; it must do nothing after the first")
	}
}
