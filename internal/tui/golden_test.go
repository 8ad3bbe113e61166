package tui

import (
	"fmt"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/rapport-sim/rapport/internal/scenario"
)

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

	play := func(keys ...tea.Msg) func(t *testing.T) Model {
		return func(t *testing.T) Model {
			m, _ := send(t, New(testOptions(Options{Start: fx})), keys...)
			return m
		}
	}
	cases := []struct {
		name  string
		build func(t *testing.T) Model
	}{
		{"picker", func(t *testing.T) Model { return New(testOptions(Options{Scenarios: library})) }},
		{"picker_full_help", func(t *testing.T) Model {
			m, _ := send(t, New(testOptions(Options{Scenarios: library})), runes("?"))
			return m
		}},
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
				m := sized(t, c.build(t), sz[0], sz[1])
				v := screenText(m)
				fits(t, v, sz[0], sz[1])
				golden.RequireEqual(t, []byte(v))
			})
		}
	}
	t.Run("too_small_30x10", func(t *testing.T) {
		m := sized(t, play()(t), 30, 10)
		golden.RequireEqual(t, []byte(screenText(m)))
	})
}
