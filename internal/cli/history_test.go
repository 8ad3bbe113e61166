package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rapport-sim/rapport/internal/config"
	"github.com/rapport-sim/rapport/internal/debrief"
	"github.com/rapport-sim/rapport/internal/engine"
	"github.com/rapport-sim/rapport/internal/report"
	"github.com/rapport-sim/rapport/internal/results"
	"github.com/rapport-sim/rapport/internal/scenario"
	"github.com/rapport-sim/rapport/internal/scoring"
	"github.com/rapport-sim/rapport/scenarios"
)

// runWith calls Main with the given environment (plus NO_COLOR) and
// returns the exit code and both streams.
func runWith(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	getenv := func(k string) string {
		if k == "NO_COLOR" {
			return "1"
		}
		return env[k]
	}
	code := Main(context.Background(), args, strings.NewReader(""), &out, &errb, getenv)
	return code, out.String(), errb.String()
}

// attempt is one seeded attempt and what the player showed at its end.
type attempt struct {
	rec     *results.Record
	debrief string
}

// seedResults plays attempts as the player does and saves them in dir:
// Ann twice at first-time-caller (the second one her best), Bo once at
// late-delivery, and Bo once abandoned after two turns.
func seedResults(t *testing.T, dir string) []attempt {
	t.Helper()
	store, err := results.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	plays := []struct {
		trainee, id string
		pick, max   int
	}{
		{"Ann", "first-time-caller", 0, 40},
		{"Ann", "first-time-caller", 1, 40},
		{"Bo", "late-delivery", 1, 40},
		{"Bo", "late-delivery", 2, 2},
	}
	var out []attempt
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	for i, p := range plays {
		sc, diags, err := scenario.Load(scenarios.FS, p.id+".toml")
		if err != nil || diags.HasErrors() {
			t.Fatal(err, diags)
		}
		e, err := engine.New(sc, engine.Options{Pace: scoring.Pace(sc.Channel)})
		if err != nil {
			t.Fatal(err)
		}
		for n := 0; n < p.max && !e.Done(); n++ {
			cs := e.Choices()
			if err := e.Choose(engine.Step{Choice: cs[(p.pick+n)%len(cs)].Number, Hesitation: scoring.DefaultHesitation}); err != nil {
				t.Fatal(err)
			}
		}
		st := e.State()
		rep := scoring.Evaluate(sc, st)
		started := start.Add(time.Duration(i) * time.Hour)
		rec, err := results.NewRecord(sc, st, rep, results.Meta{Trainee: p.trainee, Started: started, Ended: started.Add(3 * time.Minute)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := store.Save(rec); err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := debrief.Write(&b, sc, st, rep); err != nil {
			t.Fatal(err)
		}
		out = append(out, attempt{rec, b.String()})
	}
	return out
}

func TestHistoryPlain(t *testing.T) {
	dir := t.TempDir()
	seeded := seedResults(t, dir)
	cfgHome := t.TempDir()
	env := map[string]string{"HOME": t.TempDir(), "XDG_CONFIG_HOME": cfgHome}
	if err := config.Save(filepath.Join(cfgHome, "rapport", config.ConfigFile), config.Config{Name: "Bo"}); err != nil {
		t.Fatal(err)
	}
	tests := map[string]struct {
		args []string
		want []int // seeded attempts listed, newest first
	}{
		"remembered name": {[]string{"--plain"}, []int{3, 2}},
		"--name":          {[]string{"--name", "ann", "--plain"}, []int{1, 0}},
		"--all":           {[]string{"--all", "--format", "table"}, []int{3, 2, 1, 0}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			code, out, errs := runWith(t, env, append([]string{"history", "--results", dir}, tc.args...)...)
			if code != ExitOK || errs != "" {
				t.Fatalf("exit %d, stderr %q", code, errs)
			}
			lines := strings.Split(strings.TrimSpace(out), "\n")
			if !strings.HasPrefix(lines[0], "DATE") || !strings.Contains(lines[0], "FIRST 30 SECONDS") || !strings.Contains(lines[0], "DIFFICULT CUSTOMERS") {
				t.Errorf("header = %q", lines[0])
			}
			if len(lines)-1 != len(tc.want) {
				t.Fatalf("%d rows, want %d:\n%s", len(lines)-1, len(tc.want), out)
			}
			for i, k := range tc.want {
				if !strings.HasSuffix(lines[i+1], seeded[k].rec.ID) {
					t.Errorf("row %d = %q, want attempt %s", i+1, lines[i+1], seeded[k].rec.ID)
				}
			}
		})
	}
	// The abandoned attempt reads as such.
	_, out, _ := runWith(t, env, "history", "--results", dir, "--plain")
	if first := strings.Split(out, "\n")[1]; !strings.Contains(first, "abandoned") {
		t.Errorf("abandoned attempt row = %q", first)
	}
}

func TestHistoryJSON(t *testing.T) {
	dir := t.TempDir()
	seeded := seedResults(t, dir)
	code, out, errs := runWith(t, map[string]string{"HOME": t.TempDir()}, "history", "--results", dir, "--all", "--format", "json")
	if code != ExitOK || errs != "" {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	var got []historyEntry
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != 4 || got[0].ID != seeded[3].rec.ID || got[0].Status != "abandoned" {
		t.Fatalf("entries = %+v", got)
	}
	ann := got[3]
	s := seeded[0].rec.Scores
	if ann.Overall == nil || *ann.Overall != s.Overall || *ann.Opening != s.Opening.Value || ann.Band != s.Band {
		t.Errorf("Ann's first attempt = %+v, want scores %+v", ann, s)
	}
	if ann.Difficult != nil && !s.Difficult.Assessed {
		t.Error("a score that was not assessed is given as a number")
	}
	if _, err := os.Stat(ann.File); err != nil {
		t.Errorf("file %s: %v", ann.File, err)
	}
}

func TestHistoryProblems(t *testing.T) {
	dir := t.TempDir()
	seedResults(t, dir)
	if err := os.WriteFile(filepath.Join(dir, "broken.json"), []byte(`{"schema":1,"id":`), 0o644); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"HOME": t.TempDir()}
	code, out, errs := runWith(t, env, "history", "--results", dir, "--all", "--plain")
	if code != ExitOK || strings.Count(out, "\n") != 5 {
		t.Errorf("with a broken file: exit %d, output:\n%s", code, out)
	}
	if want := "rapport history: skipped " + filepath.Join(dir, "broken.json") + ": not JSON (damaged or truncated file)"; !strings.Contains(errs, want) {
		t.Errorf("stderr = %q, want it to contain %q", errs, want)
	}
	// No results folder yet: not an error.
	code, out, _ = runWith(t, env, "history", "--results", filepath.Join(dir, "none"), "--plain")
	if code != ExitOK || !strings.Contains(out, "No attempts yet") {
		t.Errorf("missing folder: exit %d, %q", code, out)
	}
	// The default folder comes from RAPPORT_DATA_DIR.
	code, out, _ = runWith(t, map[string]string{"RAPPORT_DATA_DIR": filepath.Dir(dir), "HOME": t.TempDir()}, "history", "--all", "--plain")
	if code != ExitOK || !strings.Contains(out, "No attempts yet") {
		t.Errorf("default folder: exit %d, %q", code, out)
	}
	for _, args := range [][]string{
		{"history", "extra"},
		{"history", "--format", "xml"},
		{"history", "--all", "--name", "Ann"},
	} {
		if code, _, _ := runWith(t, env, args...); code != ExitUsage {
			t.Errorf("%v: exit %d, want %d", args, code, ExitUsage)
		}
	}
}

// history --progress: one row per scenario of the library, the trainee's
// attempts, best and last overall and a sparkline of the finished ones;
// an abandoned attempt counts but has no score; unplayed scenarios say so
// in words. Every line fits 80 columns.
func TestHistoryProgress(t *testing.T) {
	dir := t.TempDir()
	seeded := seedResults(t, dir)
	env := map[string]string{"HOME": t.TempDir(), "XDG_CONFIG_HOME": t.TempDir()}
	code, out, errs := runWith(t, env, "history", "--results", dir, "--name", "Ann", "--progress")
	if code != ExitOK || errs != "" {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	a, b := seeded[0].rec.Scores.Overall, seeded[1].rec.Scores.Overall
	row := func(title string) string {
		for _, l := range strings.Split(out, "\n") {
			if strings.HasPrefix(l, title) {
				return l
			}
		}
		t.Fatalf("no row for %q:\n%s", title, out)
		return ""
	}
	ftc := strings.Fields(strings.TrimPrefix(row("First time on the phone"), "First time on the phone"))
	want := []string{"2", fmt.Sprint(max(a, b)), fmt.Sprint(b), report.Sparkline([]int{a, b})}
	if !slices.Equal(ftc, want) {
		t.Errorf("first-time-caller row %q, want %q", ftc, want)
	}
	if r := row("Flowers for a ninetieth"); !strings.Contains(r, "○ not played yet") {
		t.Errorf("an unplayed scenario reads %q", r)
	}
	for _, l := range strings.Split(out, "\n") {
		if w := len([]rune(l)); w > 80 {
			t.Errorf("line of %d columns: %q", w, l)
		}
	}
	_, out, _ = runWith(t, env, "history", "--results", dir, "--name", "Bo", "--progress")
	c := seeded[2].rec.Scores.Overall
	got := strings.Fields(strings.TrimPrefix(row("Flowers for a ninetieth"), "Flowers for a ninetieth"))
	if want := []string{"2", fmt.Sprint(c), fmt.Sprint(c), report.Sparkline([]int{c})}; !slices.Equal(got, want) {
		t.Errorf("late-delivery for Bo (one finished, one abandoned) reads %q, want %q", got, want)
	}
}

// TestHistoryJSONStreams: the JSON list written entry by entry is the
// very bytes the encoder writes for the whole list: no rows, one, many,
// scored or not, drills, text JSON escapes.
func TestHistoryJSONStreams(t *testing.T) {
	at := time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
	rows := []historyRow{
		{ID: "a", Started: at, Ended: at.Add(time.Minute), Trainee: "Ann <&> \"Lee\"", Scenario: "late-delivery", Title: "Late\u2028delivery ✓",
			Mode: "choices", Kind: "scenario", Status: "finished", Outcome: "resolved", Ending: "happy", Band: "Solid",
			scored: true, difficult: true, opening: 90, empathy: 55, difficultValue: 0, overall: 71},
		{ID: "b", Started: at.In(time.FixedZone("X", 3600)), Trainee: "", Scenario: "s", Kind: "scenario", Status: "abandoned", Rewinds: 3,
			scored: true, opening: 1, empathy: 2, overall: 3},
		{ID: "c", Started: at, Kind: "drill", Status: "finished", drillScored: true, drillPct: 67},
		{ID: "d", Kind: "scenario", Status: "abandoned"},
	}
	for n := range len(rows) + 1 {
		var entries []historyEntry
		for i := range rows[:n] {
			entries = append(entries, rows[i].entry("res"))
		}
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetIndent("", "  ")
		if err := enc.Encode(entries); err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		if err := writeEntries(&got, rows[:n], "res"); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("%d rows:\n%s\nwant\n%s", n, got.String(), want.String())
		}
	}
}
