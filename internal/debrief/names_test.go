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
