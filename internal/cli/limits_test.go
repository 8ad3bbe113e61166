package cli

import (
	"encoding/json"
	"fmt"
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
		if !in.Rejected && !in.TooLong && !in.Counted {
			continue
		}
		code := scenario.CodeTooDeep
		switch {
		case in.TooLong:
			code = scenario.CodeTooLong
		case in.Counted:
			code = scenario.CodeTooManyNodes
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
		if in.Counted {
			// Every command refuses these in the same loader; check
			// stands for them, keeping the suite quick.
			cmds = cmds[:1]
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

// TestCheckCapsEveryFile: the analyses' findings go through the same cap
// as the loader's, per file: a valid scenario whose 1,200 choices carry a
// tag their words do not show printed 1,200 warnings (the report asked
// about had 11,000). The count of the rest is a warning while every
// hidden problem is one, and an error once one of them is; JSON is capped
// the same way.
func TestCheckCapsEveryFile(t *testing.T) {
	var b strings.Builder
	b.WriteString("id = \"many-warnings\"\ntitle = \"Many warnings\"\nchannel = \"chat\"\ndifficulty = \"easy\"\nstart = \"n0\"\n\n" +
		"[briefing]\nrole = \"Adviser\"\ngoal = \"Help\"\n\n[customer]\nname = \"Ana\"\n\n")
	const nodes = 600 // a binary tree, ten choices deep
	for i := range nodes {
		fmt.Fprintf(&b, "[[node]]\nid = \"n%d\"\nsay = \"Hello, number %d.\"\n", i, i)
		for _, c := range []int{2*i + 1, 2*i + 2} {
			next := fmt.Sprintf("n%d", c)
			if c >= nodes {
				next = "end"
			}
			fmt.Fprintf(&b, "[[node.choice]]\nsay = \"Okay %d.\"\nnext = %q\ntags = [\"empathy\"]\n", c, next)
		}
	}
	b.WriteString("[[ending]]\nid = \"end\"\noutcome = \"resolved\"\nsay = \"Bye.\"\n")
	dir := t.TempDir()
	warned := writeFile(t, dir, "many-warnings.toml", b.String())
	// The same file with a failing author test, written below every
	// warning: an error only the count stands for.
	failing := writeFile(t, dir, "failing-test.toml", b.String()+"\n[[test]]\nname = \"never\"\nchoices = [1]\nending = \"end\"\n")

	for _, c := range []struct {
		file string
		exit int
		sev  scenario.Severity
	}{{warned, ExitOK, scenario.Warning}, {failing, ExitFailure, scenario.Error}} {
		exit, _, stderr := run(t, "", "check", c.file)
		lines := strings.Count(stderr, ": warning: ") + strings.Count(stderr, ": error: ")
		if exit != c.exit || lines != scenario.MaxDiagnostics+1 {
			t.Errorf("%s: exit %d, %d problems printed; want exit %d and %d with the count of the rest", c.file, exit, lines, c.exit, scenario.MaxDiagnostics+1)
		}
		if want := fmt.Sprintf(": %s: ", c.sev); !strings.Contains(stderr, want) || !strings.Contains(stderr, "more problems not shown") {
			t.Errorf("%s: no count of the rest as a%s; stderr ends:\n%s", c.file, want, stderr[max(0, len(stderr)-600):])
		}

		exit, stdout, _ := run(t, "", "check", "--format", "json", c.file)
		var out struct {
			Diagnostics []struct {
				Code     scenario.Code
				Severity string
				Hidden   int
			}
		}
		if err := json.Unmarshal([]byte(stdout), &out); err != nil {
			t.Fatal(err)
		}
		ds := out.Diagnostics
		if exit != c.exit || len(ds) != scenario.MaxDiagnostics+1 {
			t.Fatalf("%s JSON: exit %d, %d diagnostics; want exit %d and %d", c.file, exit, len(ds), c.exit, scenario.MaxDiagnostics+1)
		}
		if last := ds[len(ds)-1]; last.Code != scenario.CodeTooMany || last.Severity != c.sev.String() || last.Hidden < 200 {
			t.Errorf("%s JSON: last diagnostic %+v, want the count of the rest as a %s", c.file, last, c.sev)
		}
	}
}
