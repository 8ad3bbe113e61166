package cli

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/rapport-sim/rapport/internal/report"
)

// TestReportFormats runs the trainer's workflow: a class writes into one
// folder, the trainer reports on it in every format.
func TestReportFormats(t *testing.T) {
	dir := t.TempDir()
	seedResults(t, dir)
	if err := os.WriteFile(filepath.Join(dir, "notes.json"), []byte(`{"title":"not a record"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"HOME": t.TempDir()}
	for _, format := range report.Formats {
		t.Run(format, func(t *testing.T) {
			code, out, errs := runWith(t, env, "report", dir, "--format", format)
			if code != ExitOK {
				t.Fatalf("exit %d, stderr %q", code, errs)
			}
			if !strings.Contains(errs, "skipped "+filepath.Join(dir, "notes.json")+": not a Rapport record") {
				t.Errorf("stderr = %q, want the foreign file named", errs)
			}
			switch format {
			case "json":
				var rep report.Report
				if err := json.Unmarshal([]byte(out), &rep); err != nil {
					t.Fatal(err)
				}
				if rep.Attempts != 4 || len(rep.Trainees) != 2 || len(rep.Scenarios) != 2 || len(rep.Scenarios[0].Points) == 0 {
					t.Errorf("report = %+v", rep)
				}
			case "csv":
				rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
				if err != nil || len(rows) < 10 {
					t.Fatalf("%d rows, %v", len(rows), err)
				}
			case "markdown":
				if !strings.HasPrefix(out, "# Rapport report") || !strings.Contains(out, "| Ann |") {
					t.Errorf("markdown:\n%s", out)
				}
			case "table":
				for _, want := range []string{"4 attempts (3 finished, 1 abandoned)", "Ann", "Bo", "first-time-caller", "Decision points"} {
					if !strings.Contains(out, want) {
						t.Errorf("table lacks %q:\n%s", want, out)
					}
				}
				if strings.Contains(out, "\x1b[") {
					t.Error("colour codes with NO_COLOR set")
				}
			}
		})
	}
}

func TestReportFiltersAndDefaults(t *testing.T) {
	dir := t.TempDir()
	seeded := seedResults(t, filepath.Join(dir, "results"))
	env := map[string]string{"RAPPORT_DATA_DIR": dir}
	// No PATH: the results folder in the data dir.
	code, out, _ := runWith(t, env, "report", "--trainee", "ann", "--format", "json")
	var rep report.Report
	if code != ExitOK || json.Unmarshal([]byte(out), &rep) != nil || rep.Attempts != 2 || rep.Trainees[0].Name != "Ann" {
		t.Errorf("--trainee ann: exit %d, %+v", code, rep)
	}
	// Record files as PATHs, filtered by scenario.
	files := []string{filepath.Join(dir, "results", seeded[0].rec.ID+".json"), filepath.Join(dir, "results", seeded[2].rec.ID+".json")}
	code, out, _ = runWith(t, env, append([]string{"report", "--scenario", "late-delivery", "--format", "json"}, files...)...)
	if code != ExitOK || json.Unmarshal([]byte(out), &rep) != nil || rep.Attempts != 1 {
		t.Errorf("--scenario over files: exit %d, %+v", code, rep)
	}
	code, out, _ = runWith(t, env, "report", "--trainee", "nobody")
	if code != ExitOK || !strings.Contains(out, "No attempts match") {
		t.Errorf("no match: exit %d, %q", code, out)
	}
	if code, _, errs := runWith(t, env, "report", "--format", "pdf"); code != ExitUsage || !strings.Contains(errs, "table, csv, json, markdown") {
		t.Errorf("bad format: exit %d, %q", code, errs)
	}
	// A folder the trainer names must exist; the default one may not yet.
	if code, _, errs := runWith(t, env, "report", filepath.Join(dir, "nope")); code != ExitFailure || !strings.Contains(errs, "no such file") {
		t.Errorf("a missing named folder: exit %d, %q", code, errs)
	}
	if code, out, errs := runWith(t, map[string]string{"RAPPORT_DATA_DIR": t.TempDir()}, "report"); code != ExitOK || errs != "" || !strings.Contains(out, "No attempts match") {
		t.Errorf("no results folder yet: exit %d, %q", code, errs)
	}
}

// report --format csv --per attempt: one row per attempt, the abandoned
// one without scores; --per needs csv.
func TestReportPerAttempt(t *testing.T) {
	dir := t.TempDir()
	seeded := seedResults(t, dir)
	env := map[string]string{"HOME": t.TempDir()}
	code, out, errs := runWith(t, env, "report", dir, "--format", "csv", "--per", "attempt")
	if code != ExitOK || errs != "" {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(rows) != len(seeded)+1 {
		t.Fatalf("%d rows for %d attempts, %v:\n%s", len(rows), len(seeded), err, out)
	}
	if rows[0][0] != "trainee" || rows[0][12] != "abandoned" {
		t.Errorf("header %v", rows[0])
	}
	abandoned := 0
	for _, r := range rows[1:] {
		if r[12] == "yes" {
			abandoned++
			if r[9] != "" || r[10] != "" {
				t.Errorf("abandoned attempt with a score: %v", r)
			}
		} else if r[9] == "" || r[10] == "" {
			t.Errorf("finished attempt without a score: %v", r)
		}
	}
	if abandoned != 1 {
		t.Errorf("%d abandoned rows, want 1", abandoned)
	}
	for _, args := range [][]string{{"--per", "attempt"}, {"--format", "json", "--per", "attempt"}, {"--format", "csv", "--per", "row"}} {
		if code, _, errs := runWith(t, env, append([]string{"report", dir}, args...)...); code != ExitUsage || errs == "" {
			t.Errorf("%v: exit %d, stderr %q", args, code, errs)
		}
	}
	// The table fits 80 columns.
	_, out, _ = runWith(t, env, "report", dir)
	for _, l := range strings.Split(out, "\n") {
		if w := ansi.StringWidth(l); w > 80 {
			t.Errorf("%d columns: %q", w, l)
		}
	}
}
