package testio

import (
	"strings"
	"sync"
	"testing"
)

// TestBufferKeepsEveryWrite writes from many goroutines while reading:
// every write arrives whole (run with -race to check the locking).
func TestBufferKeepsEveryWrite(t *testing.T) {
	var b Buffer
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 100 {
				b.Write([]byte("line\n"))
				_ = b.String()
			}
		}()
	}
	wg.Wait()
	if got := strings.Count(b.String(), "line\n"); got != 800 {
		t.Errorf("%d lines kept, want 800", got)
	}
}
