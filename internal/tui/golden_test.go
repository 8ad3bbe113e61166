package tui

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/rapport-sim/rapport/internal/engine"
	"github.com/rapport-sim/rapport/internal/reader"
	"github.com/rapport-sim/rapport/internal/scenario"
	"github.com/rapport-sim/rapport/internal/scoring"
)

// updating reports whether the tests run with -update (x/exp/golden's
// flag), when frozen reports are rewritten along with the goldens.
func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// frozenReports makes the debrief draw a report saved in
// testdata/reports/<name>.json instead of scoring the conversation afresh.
// The scoring rules are tuned often; the goldens check how the player lays
// a report out, so they read a fixed one. -update re-scores and saves it.
// Tests without goldens use the live scoring.Evaluate.
func frozenReports(t *testing.T, name string) func(*scenario.Scenario, engine.State) scoring.Report {
	path := filepath.Join("testdata", "reports", name+".json")
	return func(sc *scenario.Scenario, st engine.State) scoring.Report {
		if updating() {
			r := scoring.Evaluate(sc, st)
			b, err := json.MarshalIndent(r, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
				t.Fatal(err)
			}
			return r
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("frozen report: %v (run the test with -update to create it)", err)
		}
		var r scoring.Report
		if err := json.Unmarshal(b, &r); err != nil {
			t.Fatalf("frozen report %s: %v", path, err)
		}
		if len(r.Turns) != len(st.Steps) {
			t.Fatalf("frozen report %s has %d turns for %d steps; run with -update", path, len(r.Turns), len(st.Steps))
		}
		return r
	}
}

// fixedMatch hears any typed line as the first offered choice, two-thirds
// of the way there, so the typed-turn golden does not move with the
// similarity model.
func fixedMatch(_ string, offered []*scenario.Choice, _ reader.Context) reader.Match {
	return reader.Match{Choice: offered[0].Number, Score: 2.0 / 3}
}

// TestViewGolden compares each screen, as the trainee reads it, with
// testdata/TestViewGolden/<case>_<size>.golden. Run with -update to
// rewrite them after an intended change, and read the diff.
func TestViewGolden(t *testing.T) {
	fx := fixture(t)
	other := *fx
	other.ID, other.Title, other.Channel, other.Difficulty = "other", "A chat about a late refund", scenario.Chat, scenario.Hard
	other.Tags = nil
	other.Summary = "Used to show a second, unselected entry."
	library := []*scenario.Scenario{fx, &other}

	play := func(keys ...tea.Msg) func(t *testing.T, report string) Model {
		return func(t *testing.T, report string) Model {
			m := New(testOptions(Options{Start: fx, match: fixedMatch}))
			m.evaluate = frozenReports(t, report)
			m, _ = send(t, m, keys...)
			return m
		}
	}
	plain := func(build func(t *testing.T) Model) func(t *testing.T, _ string) Model {
		return func(t *testing.T, _ string) Model { return build(t) }
	}
	cases := []struct {
		name  string
		build func(t *testing.T, report string) Model
	}{
		{"picker", plain(func(t *testing.T) Model { return New(testOptions(Options{Scenarios: library})) })},
		{"picker_full_help", plain(func(t *testing.T) Model {
			m, _ := send(t, New(testOptions(Options{Scenarios: library})), runes("?"))
			return m
		})},
		{"play_start", play()},
		{"play_after_turn", play(runes("2"))},
		{"play_selected_third", play(keyDown, keyDown)},
		{"play_full_help", play(runes("?"))},
		{"confirm", play(runes("2"), runes("q"))},
		{"play_typing", play(runes("t"), runes("Thanks for calling back, Priya"))},
		{"play_typed_turn", play(runes("t"), runes("Thanks for calling back, Priya, I'm Alex and I'm sorry."), keyEnter)},
		{"end", play(runes("1"), runes("1"))},
		{"end_turn_open", play(runes("2"), runes("1"), keyEnter)},
		{"end_walkout", play(runes("3"))},
	}
	sizes := [][2]int{{80, 24}, {120, 40}}
	for _, c := range cases {
		for _, sz := range sizes {
			t.Run(fmt.Sprintf("%s_%dx%d", c.name, sz[0], sz[1]), func(t *testing.T) {
				m := sized(t, c.build(t, c.name), sz[0], sz[1])
				v := screenText(m)
				fits(t, v, sz[0], sz[1])
				golden.RequireEqual(t, []byte(v))
			})
		}
	}
	t.Run("too_small_30x10", func(t *testing.T) {
		m := sized(t, play()(t, ""), 30, 10)
		golden.RequireEqual(t, []byte(screenText(m)))
	})
}
