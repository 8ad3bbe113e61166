package hugeheap

import (
	"os"
	"runtime"
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
// these, and their first touch of each 2 MB faults in a whole huge page.
func advise(n, huge int) bool {
	buf := make([]byte, n)
	p := uintptr(unsafe.Pointer(unsafe.SliceData(buf)))
	mask := uintptr(huge) - 1
	beg := int((p+mask)&^mask - p)
	end := int((p+uintptr(n))&^mask - p)
	ok := beg < end && unix.Madvise(buf[beg:end], unix.MADV_HUGEPAGE) == nil
	runtime.KeepAlive(buf)
	// Collect now, so the memory is free before the command allocates.
	runtime.GC()
	return ok
}
