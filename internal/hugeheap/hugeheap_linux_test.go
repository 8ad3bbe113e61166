package hugeheap

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

// anonHuge is how many bytes of the process's anonymous memory are huge
// pages, by /proc/self/smaps_rollup.
func anonHuge() (int, error) {
	b, err := os.ReadFile("/proc/self/smaps_rollup")
	if err != nil {
		return 0, err
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 3 && f[0] == "AnonHugePages:" {
			kb, err := strconv.Atoi(f[1])
			return kb << 10, err
		}
	}
	return 0, fmt.Errorf("smaps_rollup has no AnonHugePages")
}

// sink keeps what the child allocates alive, so it all takes fresh memory.
var sink [][]byte

// childEnv names the environment variable that makes the test binary the
// child of TestReserveBacksTheHeapWithHugePages: "with" calls Reserve
// first, "without" does not.
const childEnv = "RAPPORT_HUGEHEAP_CHILD"

// TestMain runs the child's part when asked: it allocates 16 MB in small
// objects, as an analysis does, and prints whether Reserve reserved and how
// many bytes turned into huge pages meanwhile.
func TestMain(m *testing.M) {
	mode := os.Getenv(childEnv)
	if mode == "" {
		os.Exit(m.Run())
	}
	before, err := anonHuge()
	if err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	reserved := mode == "with" && Reserve(64<<20, os.Getenv)
	for range (16 << 20) / 64 {
		b := make([]byte, 64)
		b[0] = 1
		sink = append(sink, b)
	}
	after, err := anonHuge()
	if err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	fmt.Println(reserved, after-before)
	os.Exit(0)
}

// child runs the test binary as the child in mode and returns what it
// printed.
func child(t *testing.T, mode string) (reserved bool, gained int) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+mode)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("child %s: %v\n%s", mode, err, out)
	}
	if _, err := fmt.Sscan(string(out), &reserved, &gained); err != nil {
		t.Fatalf("child %s printed %q: %v", mode, out, err)
	}
	return reserved, gained
}

// TestReserveBacksTheHeapWithHugePages allocates 16 MB of small objects
// in a fresh process with and without Reserve: without it the heap grows
// in small pages; with it, most of what is allocated is huge pages. It
// runs only where the kernel gives huge pages on request.
func TestReserveBacksTheHeapWithHugePages(t *testing.T) {
	enabled, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled")
	if err != nil || !bytes.Contains(enabled, []byte("[madvise]")) {
		t.Skipf("transparent huge pages are not on request here (%q, %v)", enabled, err)
	}
	if strings.Contains(os.Getenv("GODEBUG"), "disablethp=1") {
		t.Skip("GODEBUG=disablethp=1")
	}
	if _, err := anonHuge(); err != nil {
		t.Skipf("cannot count huge pages: %v", err)
	}
	const n = 16 << 20
	_, without := child(t, "without")
	reserved, with := child(t, "with")
	t.Logf("huge pages gained while allocating %d MB: %d MB without Reserve, %d MB with it", n>>20, without>>20, with>>20)
	if !reserved {
		t.Fatal("Reserve reserved nothing where huge pages are given on request")
	}
	if with < n/2 {
		t.Errorf("with Reserve, %d MB of the %d MB allocated became huge pages, want at least half", with>>20, n>>20)
	}
	if without >= n/2 {
		t.Errorf("without Reserve, %d MB became huge pages: the test does not tell Reserve's work apart", without>>20)
	}
}

// TestReserveOnce: a second Reserve in a process does nothing.
func TestReserveOnce(t *testing.T) {
	Reserve(4<<20, os.Getenv)
	if Reserve(64<<20, os.Getenv) {
		t.Error("a second Reserve reserved again; it must do nothing after the first")
	}
}
