package cli

import (
	"encoding/json"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rapport-sim/rapport/internal/engine"
	"github.com/rapport-sim/rapport/internal/presence"
	"github.com/rapport-sim/rapport/internal/results"
	"github.com/rapport-sim/rapport/internal/scenario"
	"github.com/rapport-sim/rapport/internal/scoring"
	"github.com/rapport-sim/rapport/scenarios"
)

// classAttempt plays the first offered line turns times (all the way when
// turns is 0) at a library scenario and returns the record.
func classAttempt(t *testing.T, id, trainee string, turns int, started time.Time) *results.Record {
	t.Helper()
	sc, diags, err := scenario.Load(scenarios.FS, id+".toml")
	if err != nil || diags.HasErrors() {
		t.Fatal(err, diags)
	}
	e, err := engine.New(sc, engine.Options{Pace: scoring.Pace(sc.Channel)})
	if err != nil {
		t.Fatal(err)
	}
	for n := 0; !e.Done() && (turns == 0 || n < turns) && n < 50; n++ {
		if err := e.Choose(engine.Step{Choice: e.Choices()[0].Number, Hesitation: scoring.DefaultHesitation}); err != nil {
			t.Fatal(err)
		}
	}
	st := e.State()
	r, err := results.NewRecord(sc, st, scoring.Evaluate(sc, st), results.Meta{Trainee: trainee, Started: started, Ended: started.Add(time.Minute)})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// seedClass saves two attempts and writes the presence files of a server
// with one trainee in a conversation.
func seedClass(t *testing.T, dir string, now time.Time) {
	t.Helper()
	store, err := results.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []*results.Record{
		classAttempt(t, "late-delivery", "Ann", 0, now.Add(-time.Hour)),
		classAttempt(t, "late-delivery", "Bo", 1, now.Add(-50*time.Minute)),
	} {
		if _, err := store.Save(r); err != nil {
			t.Fatal(err)
		}
	}
	live := presence.Dir(dir)
	write := func(path string, v any) {
		data, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(live, "server.json"), presence.Server{Schema: 1, Addr: "0.0.0.0:2222", Started: now.Add(-time.Hour),
		Updated: now, Assigned: []string{"late-delivery"}})
	inProgress := classAttempt(t, "late-delivery", "Cleo", 1, now.Add(-time.Minute))
	inProgress.Explanations = nil
	write(filepath.Join(live, "sessions", "abc123.json"), presence.Session{Schema: 1, Session: "abc123", Trainee: "Cleo",
		Activity: presence.ActivityPlaying, Connected: now.Add(-2 * time.Minute), Updated: now,
		Scenario: "late-delivery", Title: "Late delivery", Node: "second", Attempt: inProgress})
	// A presence file left by a server that was killed long ago.
	write(filepath.Join(live, "sessions", "old999.json"), presence.Session{Schema: 1, Session: "old999", Trainee: "Ghost",
		Activity: presence.ActivityPlaying, Connected: now.Add(-5 * time.Hour), Updated: now.Add(-4 * time.Hour)})
}

func TestClassOnce(t *testing.T) {
	dir := t.TempDir()
	seedClass(t, dir, time.Now())
	code, stdout, stderr := run(t, "", "class", "--results", dir, "--once")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"Rapport · class", "1 connected (1 playing)", "server on 0.0.0.0:2222",
		"● playing", "Cleo", "at second", "Ann", "Bo", "(late-delivery)", "✓ marks the best choice", "(best)"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("dashboard lacks %q:\n%s", want, stdout)
		}
	}
	if strings.Contains(stdout, "Ghost") {
		t.Error("a stale presence file was shown")
	}
	if strings.Contains(stdout, "\x1b[") {
		t.Error("escape sequences in output that is not a terminal")
	}
}

func TestClassOnAnEmptyFolder(t *testing.T) {
	code, stdout, stderr := run(t, "", "class", "--results", filepath.Join(t.TempDir(), "not-yet"), "--once")
	if code != ExitOK || !strings.Contains(stdout, "Nobody has connected or played yet") || !strings.Contains(stdout, "no server running") {
		t.Fatalf("exit %d, stdout:\n%s\nstderr: %s", code, stdout, stderr)
	}
}

func TestClassFlags(t *testing.T) {
	tests := map[string]struct {
		args []string
		want string
	}{
		"format":   {args: []string{"class", "--format", "table"}, want: "unknown format"},
		"interval": {args: []string{"class", "--interval", "1ms"}, want: "at least 100ms"},
		"argument": {args: []string{"class", "extra"}, want: "unexpected argument"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			code, _, stderr := run(t, "", tt.args...)
			if code != ExitUsage || !strings.Contains(stderr, tt.want) {
				t.Fatalf("exit %d, stderr %q; want usage error with %q", code, stderr, tt.want)
			}
		})
	}
}

func TestClassExport(t *testing.T) {
	dir, out := t.TempDir(), filepath.Join(t.TempDir(), "reports")
	now := time.Date(2026, 5, 4, 15, 3, 0, 0, time.UTC)
	seedClass(t, dir, now)
	for format, want := range map[string]string{"markdown": "# Rapport report", "csv": "first_30_seconds", "json": `"attempts": 2`} {
		path, err := exportClass(dir, out, format, now)
		if err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		if !filepath.IsAbs(path) || !strings.HasPrefix(filepath.Base(path), "rapport-class-2026-05-04-150300") {
			t.Errorf("%s: path %s", format, path)
		}
		data, err := os.ReadFile(path)
		if err != nil || !strings.Contains(string(data), want) {
			t.Errorf("%s export lacks %q (%v):\n%s", format, want, err, data)
		}
	}
}

func TestReadClassKeepsLiveApartFromRecords(t *testing.T) {
	dir := t.TempDir()
	now := time.Now()
	seedClass(t, dir, now)
	snap, _, err := readClass(dir, now)
	if err != nil {
		t.Fatal(err)
	}
	if saved := snap.Saved.Report().Attempts; saved != 2 || snap.Skipped != 0 || len(snap.Live) != 1 || snap.Server == nil {
		t.Fatalf("snapshot: %d saved attempts, %d skipped, %d live, server %v", saved, snap.Skipped, len(snap.Live), snap.Server)
	}
	if l := snap.Live[0]; l.Trainee != "Cleo" || l.Attempt == nil || len(l.Attempt.Turns) != 1 {
		t.Errorf("live trainee %+v", l)
	}
}

// TestClassDocsCoverEveryFlag keeps docs/classroom.md in step with the
// class command (netcmd checks serve's flags).
func TestClassDocsCoverEveryFlag(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "classroom.md"))
	if err != nil {
		t.Fatal(err)
	}
	c := findCommand("class")
	fs := newFlagSet(&env{stderr: io.Discard, stdout: io.Discard}, c)
	c.define(fs)
	fs.VisitAll(func(f *flag.Flag) {
		if !strings.Contains(string(doc), "--"+f.Name) {
			t.Errorf("docs/classroom.md does not mention rapport class --%s", f.Name)
		}
	})
}
