package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rapport-sim/rapport/internal/results"
)

func TestDrillPlainFromAPipe(t *testing.T) {
	code, out, errs := run(t, "1\n2\n3\n", "drill", "openings", "--count", "3", "--seed", "7")
	if code != ExitOK {
		t.Fatalf("exit %d, stderr:\n%s", code, errs)
	}
	for _, want := range []string{
		"The first 30 seconds: 3 openers.",
		"Opener 1 of 3 · ",
		"Opener 3 of 3 · ",
		" of 3 points). ",
		"The scoring model heard: ",
		"Drill over: ",
		"By mood: ",
		"By channel: ",
		"Same round again: rapport drill openings --seed 7 --count 3\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q", want)
		}
	}
	if strings.Contains(out, "\x1b") {
		t.Error("escape codes in plain output")
	}
	// The same seed gives the same round.
	_, again, _ := run(t, "1\n2\n3\n", "drill", "openings", "--count", "3", "--seed", "7", "--plain")
	if again != out {
		t.Error("the same seed gave a different round")
	}
	if t.Failed() {
		t.Log(out)
	}
}

func TestDrillPlainTimedSaysSo(t *testing.T) {
	code, out, errs := run(t, "4\n", "drill", "openings", "--count", "1", "--seed", "1", "--timed", "8s", "--plain")
	if code != ExitOK || !strings.Contains(out, "Timed: answer within 8s") || !strings.Contains(out, "--timed 8s") {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errs)
	}
}

func TestDrillAbandonedWhenInputEnds(t *testing.T) {
	code, out, errs := run(t, "2\n", "drill", "openings", "--count", "3", "--seed", "7")
	if code != ExitFailure {
		t.Fatalf("exit %d, want %d", code, ExitFailure)
	}
	if !strings.Contains(errs, "rapport drill: drill abandoned after 1 of 3 openers") {
		t.Errorf("stderr %q does not say the drill was abandoned", errs)
	}
	if strings.Contains(out, "Drill over") {
		t.Error("an abandoned drill printed a summary")
	}
}

func TestDrillUsageAndErrors(t *testing.T) {
	dir := t.TempDir()
	broken := writeFile(t, dir, "drill-broken.toml", "id = \"broken\"\ntitle = \"Broken\"\n\n[[opener]]\nid = \"x\"\nchannel = \"fax\"\n")
	tests := map[string]struct {
		args   []string
		code   int
		stderr []string
	}{
		"no drill named":   {[]string{"drill"}, ExitUsage, []string{"name the drill to run", "openings", "32 openers"}},
		"two drills":       {[]string{"drill", "openings", "other"}, ExitUsage, []string{"one drill at a time"}},
		"negative count":   {[]string{"drill", "openings", "--count", "-2"}, ExitUsage, []string{"--count must be 0 (all) or more"}},
		"too short a time": {[]string{"drill", "openings", "--timed", "500ms"}, ExitUsage, []string{"--timed must be at least 1s"}},
		"not a duration":   {[]string{"drill", "openings", "--timed", "soon"}, ExitUsage, []string{"invalid value"}},
		"unknown id":       {[]string{"drill", "closings"}, ExitFailure, []string{`no drill with id "closings"`, "hint: the drills are: openings"}},
		"broken file":      {[]string{"drill", broken}, ExitFailure, []string{broken + ":6:11: error: channel \"fax\"", "[RP006]", "has errors"}},
		"broken in folder": {[]string{"drill", "broken", "--scenarios", dir}, ExitFailure, []string{filepath.Join(dir, "drill-broken.toml") + ":6:11: error", "has errors"}},
		"missing folder":   {[]string{"drill", "openings", "--scenarios", filepath.Join(dir, "nope")}, ExitFailure, []string{"scenario folder"}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			code, _, errs := run(t, "", tc.args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, tc.code, errs)
			}
			for _, want := range tc.stderr {
				if !strings.Contains(errs, want) {
					t.Errorf("stderr lacks %q:\n%s", want, errs)
				}
			}
		})
	}
}

// A trainer's own drill folder works like the library.
func TestDrillFromAFolder(t *testing.T) {
	src, err := os.ReadFile("../drill/testdata/advice.toml")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	writeFile(t, dir, "drill-advice.toml", string(src))
	code, out, errs := run(t, "1\n1\n1\n1\n", "drill", "advice", "--scenarios", dir, "--count", "0", "--seed", "3")
	if code != ExitOK {
		t.Fatalf("exit %d; stderr:\n%s", code, errs)
	}
	if !strings.Contains(out, "Drill over: 4 of 4 best (12 of 12 points).") || !strings.Contains(out, "--count 0 --scenarios "+dir) {
		t.Errorf("stdout:\n%s", out)
	}
}

// rapport check validates drill files with the drill loader: positions,
// codes and hints, the same way as scenarios.
func TestCheckDrillFiles(t *testing.T) {
	src, err := os.ReadFile("../drill/testdata/structure.toml")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	file := writeFile(t, dir, "drill-structure.toml", string(src))
	code, _, errs := run(t, "", "check", file)
	if code != ExitFailure {
		t.Fatalf("exit %d, want %d", code, ExitFailure)
	}
	for _, want := range []string{
		file + ":4:1: error: opener \"three\" has 3 responses, want exactly 4 [RP201]",
		file + ":75:12: error: opener \"two-best\" has 2 best responses, want exactly one [RP203]",
		"    hint: rate the others",
		"checked 1 file: 15 errors, 2 warnings",
	} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
	code, _, errs = run(t, "", "check", "--strict", filepath.Join("..", "..", "scenarios", "drill-openings.toml"))
	if code != ExitOK {
		t.Errorf("the shipped drill fails check --strict:\n%s", errs)
	}
}

func TestDrillHelp(t *testing.T) {
	code, out, _ := run(t, "", "help", "drill")
	if code != ExitOK || !strings.Contains(out, "--timed") || !strings.Contains(out, "--seed") || !strings.Contains(out, "rapport drill openings") {
		t.Errorf("exit %d, help:\n%s", code, out)
	}
}

// A drill round is saved as a drill record: history lists it, replay shows
// it, report sums it up apart from scenario attempts. An abandoned round
// with an answer is saved too; one with none is not.
func TestDrillSaved(t *testing.T) {
	data := t.TempDir()
	env := map[string]string{"RAPPORT_DATA_DIR": data, "RAPPORT_CONFIG_DIR": t.TempDir(), "NO_COLOR": "1", "HOME": t.TempDir()}
	code, _, errs := runIn(t, env, "1\n2\n3\n", "drill", "openings", "--count", "3", "--seed", "7", "--plain", "--name", "Ann")
	if code != ExitOK || !strings.Contains(errs, "Drill saved: ") {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	code, _, errs = runIn(t, env, "1\n", "drill", "openings", "--count", "3", "--seed", "7", "--plain", "--name", "Ann")
	if code != ExitFailure || !strings.Contains(errs, "Unfinished drill saved: ") {
		t.Fatalf("abandoned: exit %d, stderr %q", code, errs)
	}
	if _, _, errs = runIn(t, env, "", "drill", "openings", "--count", "3", "--plain", "--name", "Ann"); strings.Contains(errs, "saved") {
		t.Errorf("a round with no answer was saved: %q", errs)
	}
	recs, skipped, err := results.Read(filepath.Join(data, "results"))
	if err != nil || len(skipped) > 0 || len(recs) != 2 {
		t.Fatalf("%d records, skipped %v, %v", len(recs), skipped, err)
	}
	r := recs[0]
	if !r.IsDrill() || r.Trainee != "Ann" || r.Scenario.ID != "openings" || len(r.Drill.Answers) != 3 || r.Drill.Seed != 7 || r.Status != results.Finished {
		t.Errorf("drill record = %+v %+v", r, r.Drill)
	}
	if recs[1].Status != results.Abandoned || len(recs[1].Drill.Answers) != 1 {
		t.Errorf("abandoned round = %+v", recs[1].Drill)
	}
	_, out, _ := runIn(t, env, "", "history", "--plain", "--name", "Ann")
	if strings.Count(out, "openings") != 2 || !strings.Contains(out, "drill, abandoned") || !strings.Contains(out, "drill ") {
		t.Errorf("history:\n%s", out)
	}
	_, out, _ = runIn(t, env, "", "replay", r.ID, "--plain")
	if !strings.Contains(out, "DRILL openings") || !strings.Contains(out, "You picked 1") || !strings.Contains(out, "--seed 7 --count 3") {
		t.Errorf("replay of a drill:\n%s", out)
	}
	_, out, _ = runIn(t, env, "", "report")
	if !strings.Contains(out, "0 attempts") || !strings.Contains(out, "Drills") || !strings.Contains(out, "  openings") {
		t.Errorf("report:\n%s", out)
	}
}
