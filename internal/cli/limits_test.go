package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rapport-sim/rapport/internal/scenario"
	hostilefiles "github.com/rapport-sim/rapport/internal/scenario/hostile"
)

// TestHostileFilesEveryCommand: every command that reads scenarios or
// drills refuses a file built to exhaust the loader with the limit's
// diagnostic (file:line:col, code, hint) and exit status 1, never a panic.
// Before the limits, inline tables nested 10,000 deep ran the loader out of
// memory and a chain of 8,400 nodes ran check out of memory and paths for
// ten minutes. Times are measured by BenchmarkHostile and reported, not
// asserted.
func TestHostileFilesEveryCommand(t *testing.T) {
	for _, in := range hostilefiles.Inputs() {
		if !in.Rejected && !in.TooLong {
			continue
		}
		code := scenario.CodeTooDeep
		if in.TooLong {
			code = scenario.CodeTooLong
		}
		dir := t.TempDir()
		file := filepath.Join(dir, in.Name+".toml")
		if err := os.WriteFile(file, in.Src, 0o644); err != nil {
			t.Fatal(err)
		}
		cmds := [][]string{{"check", file}, {"paths", file}, {"graph", file}, {"play", "--plain", file}, {"list", "--scenarios", dir}}
		if in.Drill {
			cmds = [][]string{{"check", file}, {"drill", "--plain", file}}
		}
		for _, args := range cmds {
			t.Run(in.Name+"/"+args[0], func(t *testing.T) {
				exit, _, stderr := run(t, "", args...)
				want := in.Name + ".toml:"
				if exit != ExitFailure || !strings.Contains(stderr, want) || !strings.Contains(stderr, string(code)) || !strings.Contains(stderr, "hint: ") {
					t.Errorf("exit %d, want %d with %s at a position in %s and a hint; stderr:\n%.600s", exit, ExitFailure, code, want, stderr)
				}
			})
		}
	}
}
