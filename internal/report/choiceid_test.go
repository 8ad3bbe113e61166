package report

import (
	"testing"

	"github.com/rapport-sim/rapport/internal/results"
)

// A class report tells choices apart by id: the same line under another
// number (the author reordered the choices) is one row, and a reworded
// line under the same number (a new id) is another row, shown as it was.
// A typed line the customer did not follow is a row of its own.
func TestPointsGroupByChoiceID(t *testing.T) {
	withID := func(tn results.Turn, id string) results.Turn { tn.ChoiceID = id; return tn }
	unheard := results.Turn{Index: 1, Node: "opening", Typed: "purple monkey", Unheard: true}
	recs := []*results.Record{
		rec(1, "Ann", "first-time-caller", results.Finished, 80, 80, 80, -1,
			withID(turn(1, "opening", 1, "Good morning, how can I help?", 0), "good-morning-how-can-1a2b")),
		// The next version put that line second and reworded the first.
		rec(2, "Bo", "first-time-caller", results.Finished, 80, 80, 80, -1,
			withID(turn(1, "opening", 2, "Good morning, how can I help?", 0), "good-morning-how-can-1a2b")),
		rec(3, "Cy", "first-time-caller", results.Finished, 30, 30, 30, -1,
			withID(turn(1, "opening", 1, "Account number?", 0), "account-number-9f9f")),
		rec(4, "Di", "first-time-caller", results.Finished, 30, 30, 30, -1, unheard),
	}
	rep := Build(recs)
	if len(rep.Scenarios) != 1 || len(rep.Scenarios[0].Points) != 1 {
		t.Fatalf("report %+v", rep.Scenarios)
	}
	got := rep.Scenarios[0].Points[0].Choices
	want := []Choice{
		{ID: "account-number-9f9f", Number: 1, Say: "Account number?", Count: 1, Share: 0.25},
		{ID: "good-morning-how-can-1a2b", Number: 2, Say: "Good morning, how can I help?", Count: 2, Share: 0.5},
		{Say: UnheardSay, Count: 1, Share: 0.25},
	}
	if len(got) != len(want) {
		t.Fatalf("rows %+v", got)
	}
	for i := range want {
		g := got[i]
		g.Best = false
		if g != want[i] {
			t.Errorf("row %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

// xAPI answers a choice by its id, so an LRS groups one line's statements
// however the choices were numbered.
func TestXAPIAnswersByChoiceID(t *testing.T) {
	tn := turn(1, "opening", 2, "Good morning, how can I help?", 1)
	tn.ChoiceID = "good-morning-how-can-1a2b"
	tn.Best.ID = "thanks-for-calling-0c0c"
	r := rec(1, "Ann", "first-time-caller", results.Finished, 80, 80, 80, -1, tn)
	sts := Statements(r, XAPIOptions{})
	var found bool
	for _, s := range sts {
		if s.Result == nil || s.Result.Response == "" || s.Object.Definition.InteractionType != "choice" {
			continue
		}
		found = true
		if s.Result.Response != "good-morning-how-can-1a2b" || s.Object.Definition.CorrectResponsesPattern[0] != "thanks-for-calling-0c0c" {
			t.Errorf("response %q, correct %v", s.Result.Response, s.Object.Definition.CorrectResponsesPattern)
		}
		if s.Result.Extensions["urn:rapport:ext:choice-id"] != "good-morning-how-can-1a2b" {
			t.Errorf("extensions %v", s.Result.Extensions)
		}
	}
	if !found {
		t.Fatal("no choice statement")
	}
}
