package cli

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rapport-sim/rapport/internal/results"
	"github.com/rapport-sim/rapport/internal/tui"
)

// ones answers "1" to every question of any shipped scenario.
var ones = strings.Repeat("1\n", 100)

func TestPlayFlags(t *testing.T) {
	dir := t.TempDir()
	scenario := writeFile(t, dir, "mine.toml", minimalScenario(t))
	tests := map[string]struct {
		args   []string
		stdin  string
		code   int
		stdout string
		stderr string
	}{
		"help names the modes": {
			args: []string{"play", "--help"}, code: ExitOK,
			stdout: "--timed 15s gives each answer fifteen seconds",
		},
		"timed too short": {
			args: []string{"play", "first-time-caller", "--timed", "500ms"}, code: ExitUsage,
			stderr: "--timed must be at least 1s (got 500ms)",
		},
		"timed zero": {
			args: []string{"play", "first-time-caller", "--timed", "0s"}, code: ExitUsage,
			stderr: "--timed must be at least 1s (got 0s); leave it out for untimed practice",
		},
		"timed negative": {
			args: []string{"play", "first-time-caller", "--timed=-3s"}, code: ExitUsage,
			stderr: "--timed must be at least 1s",
		},
		"watch without a file": {
			args: []string{"play", "--watch"}, code: ExitUsage,
			stderr: "--watch needs a scenario FILE to watch",
		},
		"watch an id": {
			args: []string{"play", "first-time-caller", "--watch"}, code: ExitUsage,
			stderr: "--watch needs a scenario FILE to watch",
		},
		"watch in plain mode": {
			args: []string{"play", scenario, "--watch", "--plain"}, code: ExitUsage,
			stderr: "--watch needs the full-screen player",
		},
		"watch a missing file": {
			args: []string{"play", filepath.Join(dir, "nope.toml"), "--watch"}, code: ExitFailure,
			stderr: "nope.toml",
		},
		"watch without a terminal": {
			args: []string{"play", scenario, "--watch"}, code: ExitFailure,
			stderr: "--watch needs a terminal",
		},
		"plain rewind": {
			args: []string{"play", "first-time-caller", "--plain"}, stdin: "1\nb\n" + ones, code: ExitOK,
			stdout: "Practised with rewinds: you took back 1 line",
		},
		"plain timed": {
			args: []string{"play", "first-time-caller", "--plain", "--timed", "15s"}, stdin: ones, code: ExitOK,
			stdout: "Timed: 15 seconds per answer; every answer came in time.",
		},
		"plain timed refuses b": {
			args: []string{"play", "first-time-caller", "--timed", "15s"}, stdin: "1\nb\n" + ones, code: ExitOK,
			stdout: "Taking a line back is for untimed practice",
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			code, stdout, stderr := run(t, tt.stdin, tt.args...)
			if code != tt.code || !strings.Contains(stdout, tt.stdout) || !strings.Contains(stderr, tt.stderr) {
				t.Errorf("exit %d (want %d)\nstdout: %s\nstderr: %s", code, tt.code, stdout, stderr)
			}
		})
	}
}

func minimalScenario(t *testing.T) string {
	t.Helper()
	src, err := os.ReadFile("../scenario/testdata/minimal.toml")
	if err != nil {
		t.Fatal(err)
	}
	return string(src)
}

// The watcher hands out a version once per change of the file's bytes,
// its errors while it is broken, and the error when it cannot be read.
func TestFileWatcher(t *testing.T) {
	dir := t.TempDir()
	src := minimalScenario(t)
	path := writeFile(t, dir, "mine.toml", src)
	w := &fileWatcher{path: path}

	type want struct {
		unchanged, errs, readErr bool
	}
	check := func(step string, w0 want) {
		t.Helper()
		sc, diags, err := w.reload()
		switch {
		case w0.unchanged:
			if !errors.Is(err, tui.ErrUnchanged) {
				t.Fatalf("%s: got %v, %v, %v; want unchanged", step, sc != nil, diags, err)
			}
		case w0.readErr:
			if err == nil || errors.Is(err, tui.ErrUnchanged) || !strings.Contains(err.Error(), "mine.toml") {
				t.Fatalf("%s: err = %v, want a read error naming the file", step, err)
			}
		case w0.errs:
			if err != nil || !diags.HasErrors() {
				t.Fatalf("%s: err %v, diags %v; want errors in the file", step, err, diags)
			}
			if d := diags.Errors()[0]; d.File != path || !d.Pos.IsValid() {
				t.Errorf("%s: diagnostic %v lacks file:line:col", step, d)
			}
		default:
			if err != nil || diags.HasErrors() || sc == nil || sc.File != path {
				t.Fatalf("%s: got %v, %v, %v; want the scenario", step, sc, diags, err)
			}
		}
	}
	check("first read", want{})
	check("no change", want{unchanged: true})
	writeFile(t, dir, "mine.toml", src) // saved without changes
	check("saved unchanged", want{unchanged: true})
	writeFile(t, dir, "mine.toml", strings.Replace(src, "next", "nxt", 1))
	check("broken", want{errs: true})
	check("still broken, unchanged", want{unchanged: true})
	writeFile(t, dir, "mine.toml", src)
	check("fixed", want{})
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	check("removed", want{readErr: true})
	writeFile(t, dir, "mine.toml", src)
	check("back, the same bytes as before", want{})
}

// TestReadProgressIsTheTrainees: the picker's progress counts the
// trainee's own attempts in a shared folder (any case of the name), and
// nobody else's.
func TestReadProgressIsTheTrainees(t *testing.T) {
	dir := t.TempDir()
	store, err := results.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	for i, who := range []string{"Ann", "Bo", "ann", "Bo", "Bo"} {
		if _, err := store.Save(classAttempt(t, "late-delivery", who, 0, start.Add(time.Duration(i)*time.Hour))); err != nil {
			t.Fatal(err)
		}
	}
	e := &env{stderr: io.Discard, getenv: func(string) string { return "" }}
	prog, err := readProgress(e, dir, "Ann")
	if err != nil {
		t.Fatal(err)
	}
	if p := prog["late-delivery"]; len(prog) != 1 || p.Attempts != 2 || len(p.Overalls) != 2 {
		t.Errorf("Ann's progress: %+v", prog)
	}
}
