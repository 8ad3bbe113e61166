package hugeheap

import (
	"os"
	"runtime"
	"runtime/debug"
	"sync"
	"unsafe"

	"golang.org/x/sys/unix"
)

var once sync.Once

func reserve(n int, getenv func(string) string) bool {
	done := false
	once.Do(func() {
		enabled, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled")
		if err != nil {
			return
		}
		pmd, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/hpage_pmd_size")
		if err != nil {
			return
		}
		huge := hugePageSize(string(enabled), string(pmd), getenv("GODEBUG"))
		if huge == 0 || n < 2*huge {
			return
		}
		done = advise(n, huge)
	})
	return done
}

// advise allocates n bytes, which the runtime maps fresh and does not
// touch, marks the huge pages inside them as wanted, and frees them: the
// allocations that follow take the lowest free addresses, which are
// these, and their first write to each huge page faults it in whole.
func advise(n, huge int) bool {
	// No collection may start while buf is alive: the one its own size
	// sets off at once would find it in use and keep it to the next.
	pct := debug.SetGCPercent(-1)
	buf := make([]byte, n)
	p := uintptr(unsafe.Pointer(unsafe.SliceData(buf)))
	mask := uintptr(huge) - 1
	beg := int((p+mask)&^mask - p)
	end := int((p+uintptr(n))&^mask - p)
	ok := beg < end && unix.Madvise(buf[beg:end], unix.MADV_HUGEPAGE) == nil
	runtime.KeepAlive(buf)
	debug.SetGCPercent(pct)
	// Collect now, so the memory is free before the command allocates.
	// Leaving it to the collection the next allocation sets off saves
	// the wait (7 ms on a quiet machine) but was slower over 20 runs:
	// what the command allocates meanwhile takes small pages.
	runtime.GC()
	return ok
}
