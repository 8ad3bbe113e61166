package lazy

import (
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// counted is a package-level Value as the packages that use this one
// write them.
var (
	made    atomic.Int32
	counted = Value[[]string]{New: func() []string {
		made.Add(1)
		return strings.Fields("see hear feel")
	}}
)

func TestValueIsMadeOnceOnFirstUse(t *testing.T) {
	if made.Load() != 0 {
		t.Fatal("the value was made before anything asked for it")
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if got := counted.Get(); len(got) != 3 || got[1] != "hear" {
				t.Errorf("Get() = %q, want [see hear feel]", got)
			}
		}()
	}
	wg.Wait()
	if n := made.Load(); n != 1 {
		t.Fatalf("New ran %d times, want once", n)
	}
}

// TestNoStartupCode checks what the package is for: a package-level Value
// written as a composite literal needs no initialisation code, so the
// program that declares it has no init task for it (GODEBUG=inittrace
// lists every package that runs code before main).
func TestNoStartupCode(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a program")
	}
	dir := t.TempDir()
	bin := dir + "/prog"
	if out, err := exec.Command("go", "build", "-o", bin, "./testdata/prog").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	if exec.Command(bin, "abc").Run() == nil {
		t.Fatal("the program matched abc against ^a+$: the lazy value is not the regexp")
	}
	cmd := exec.Command(bin, "aaa")
	cmd.Env = append(cmd.Environ(), "GODEBUG=inittrace=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the program did not match through the lazy value: %v\n%s", err, out)
	}
	for _, line := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(line, "init main ") {
			t.Errorf("package main runs code before main for a lazy.Value:\n%s", line)
		}
	}
}
