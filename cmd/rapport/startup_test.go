package main

import (
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestOnlyStartupPackagesRunCodeBeforeMain keeps Rapport's own packages
// from running code before main: every package that does delays the first
// frame, by its own work and by the pages of the binary it touches
// (README, on the first frame). Tables, maps and regular expressions are
// made on first use (internal/lazy). Two packages exist to run first:
// quietinit, which keeps package start-up from querying the terminal, and
// sigstart/early, which starts putting the signal handler in place.
// GODEBUG=inittrace=1 lists every package whose initialisation runs code.
func TestOnlyStartupPackagesRunCodeBeforeMain(t *testing.T) {
	if testing.Short() {
		t.Skip("builds rapport")
	}
	bin := filepath.Join(t.TempDir(), "rapport")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "version")
	cmd.Env = append(cmd.Environ(), "GODEBUG=inittrace=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("rapport version: %v\n%s", err, out)
	}
	const module = "github.com/rapport-sim/rapport/"
	var got []string
	for _, line := range strings.Split(string(out), "\n") {
		if f := strings.Fields(line); len(f) > 1 && f[0] == "init" && strings.HasPrefix(f[1], module) {
			got = append(got, strings.TrimPrefix(f[1], module))
		}
	}
	slices.Sort(got)
	want := []string{"internal/quietinit", "internal/sigstart/early"}
	if !slices.Equal(got, want) {
		t.Errorf("Rapport's packages that run code before main: %q, want only %q", got, want)
	}
}
