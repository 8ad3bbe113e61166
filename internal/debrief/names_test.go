package debrief

import (
	"testing"

	"github.com/rapport-sim/rapport/internal/scenario"
)

func TestNames(t *testing.T) {
	for sc, want := range map[*scenario.Scenario]string{
		{ID: "kettle", Title: "The kettle"}:             "The kettle",
		{ID: "kettle"}:                                  "kettle",
		{ID: "kettle", Title: "Bell\a and \x1b[31mred"}: "Bell and red",
	} {
		if got := Title(sc); got != want {
			t.Errorf("Title(%q, %q) = %q, want %q", sc.ID, sc.Title, got, want)
		}
	}
	for c, want := range map[scenario.Channel]string{scenario.InPerson: "in person", "": "unknown channel", "phone": "phone"} {
		if got := ChannelWord(c); got != want {
			t.Errorf("ChannelWord(%q) = %q, want %q", c, got, want)
		}
	}
}

func TestTurnHow(t *testing.T) {
	for _, tc := range []struct {
		turn        Turn
		long, short string
	}{
		{Turn{Shown: 2}, "you chose 2", "choice 2"},
		{Turn{Shown: 3, Typed: true}, "you typed your own words, taken as choice 3", "typed, taken as choice 3"},
		{Turn{Shown: 1, Typed: true, Unheard: true}, "you typed your own words, which were not followed", "typed, not followed"},
	} {
		if long, short := tc.turn.How(false), tc.turn.How(true); long != tc.long || short != tc.short {
			t.Errorf("shown %d typed %v unheard %v: %q, %q; want %q, %q", tc.turn.Shown, tc.turn.Typed, tc.turn.Unheard, long, short, tc.long, tc.short)
		}
	}
}
