package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rapport-sim/rapport/internal/report"
	"github.com/rapport-sim/rapport/internal/results"
)

// header is what replay prints before the debrief.
func header(t *testing.T, rec *results.Record) string {
	t.Helper()
	var b strings.Builder
	if err := report.WriteAttemptHeader(&b, rec, time.Local); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestReplay: a saved attempt replayed by id, by id prefix or by file
// prints exactly the debrief the trainee saw when it ended.
func TestReplay(t *testing.T) {
	dir := t.TempDir()
	seeded := seedResults(t, dir)
	env := map[string]string{"HOME": t.TempDir()}
	for _, a := range seeded {
		for _, arg := range []string{a.rec.ID, filepath.Join(dir, a.rec.ID+".json")} {
			code, out, errs := runWith(t, env, "replay", "--results", dir, arg)
			if code != ExitOK || errs != "" {
				t.Fatalf("replay %s: exit %d, stderr %q", arg, code, errs)
			}
			if want := header(t, a.rec) + a.debrief; out != want {
				t.Errorf("replay %s printed:\n%s\nwant:\n%s", arg, out, want)
			}
		}
	}
	// The start of an id is enough when it is unique.
	last := seeded[3].rec.ID
	if code, out, _ := runWith(t, env, "replay", "--results", dir, last[:len("20260302T120000")]); code != ExitOK || !strings.Contains(out, last) {
		t.Errorf("replay by prefix: exit %d", code)
	}
	code, _, errs := runWith(t, env, "replay", "--results", dir, "2026")
	if code != ExitFailure || !strings.Contains(errs, "ambiguous") {
		t.Errorf("ambiguous prefix: exit %d, %q", code, errs)
	}
	code, _, errs = runWith(t, env, "replay", "--results", dir, "1999")
	if code != ExitFailure || !strings.Contains(errs, "no such record") || !strings.Contains(errs, "hint:") {
		t.Errorf("unknown id: exit %d, %q", code, errs)
	}
	if code, _, _ := runWith(t, env, "replay", "--results", dir); code != ExitUsage {
		t.Errorf("no argument: exit %d", code)
	}
}

func TestReplayChangedOrMissingScenario(t *testing.T) {
	dir := t.TempDir()
	seeded := seedResults(t, dir)
	env := map[string]string{"HOME": t.TempDir()}
	store, _ := results.Open(dir)

	changed := *seeded[2].rec
	changed.Scenario.Hash = "0123456789abcdef"
	if _, err := store.Save(&changed); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runWith(t, env, "replay", "--results", dir, changed.ID)
	if code != ExitOK || !strings.Contains(errs, "warning: scenario \"late-delivery\" has changed") || !strings.Contains(out, "has changed since this attempt") {
		t.Errorf("changed scenario: exit %d, stderr %q", code, errs)
	}
	if !strings.Contains(out, seeded[2].debrief) {
		t.Error("the replayed debrief is missing")
	}

	// A scenario outside the library: the saved summary, and status 1.
	gone := *seeded[0].rec
	gone.Scenario.ID = "retired-scenario"
	file := filepath.Join(t.TempDir(), "gone.json")
	data, _ := results.Marshal(&gone)
	if err := os.WriteFile(file, data, 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs = runWith(t, env, "replay", file)
	if code != ExitFailure || !strings.Contains(errs, "was not replayed") {
		t.Errorf("missing scenario: exit %d, stderr %q", code, errs)
	}
	for _, want := range []string{`"retired-scenario" is not in the built-in library`, "summary saved with the attempt", "SCORES", "TURN BY TURN"} {
		if !strings.Contains(out, want) {
			t.Errorf("missing scenario output lacks %q:\n%s", want, out)
		}
	}
	// --scenarios points at a folder that does have it (here: does not).
	code, _, _ = runWith(t, env, "replay", "--scenarios", t.TempDir(), file)
	if code != ExitFailure {
		t.Errorf("empty --scenarios folder: exit %d", code)
	}
}
