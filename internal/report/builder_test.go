package report

import (
	"bytes"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/rapport-sim/rapport/internal/results"
)

// renderAll is a report in every format, as comparable text.
func renderAll(t *testing.T, rep *Report) string {
	t.Helper()
	var b bytes.Buffer
	for _, write := range []func() error{
		func() error { return WriteJSON(&b, rep) },
		func() error { return WriteCSV(&b, rep) },
		func() error { return WriteMarkdown(&b, rep) },
		func() error { return WriteTable(&b, rep, nil) },
	} {
		if err := write(); err != nil {
			t.Fatal(err)
		}
		b.WriteString("\n----\n")
	}
	return b.String()
}

// TestBuilderMatchesInMemory: records given to the Builder one at a time,
// in any order, make the very report (every format, byte for byte) that
// the in-memory build made from the same records in time order. The
// records are the player's (generated), with the cases where order
// matters forced: attempts started in the same instant, a scenario
// retitled and edited between attempts, choices renumbered.
func TestBuilderMatchesInMemory(t *testing.T) {
	dir := t.TempDir()
	benchRecords(t, dir, 300)
	recs, skipped, err := results.ReadDetail(results.Brief, dir)
	if err != nil || len(skipped) > 0 {
		t.Fatal(err, skipped)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for i, r := range recs {
		switch rng.IntN(6) {
		case 0: // the same start as the one before: the id decides
			if i > 0 {
				r.Started = recs[i-1].Started
			}
		case 1: // a later version of the scenario, retitled
			r.Scenario.Title += " (revised)"
			r.Scenario.Hash = "v2"
		case 2: // the author renumbered the choices and reworded a line
			for j := range r.Turns {
				r.Turns[j].Choice++
				r.Turns[j].Say += " Right?"
				if b := r.Turns[j].Best; b != nil {
					b.Say = "Better: " + b.Say
				}
			}
		case 3: // the same instant in another zone
			r.Started = r.Started.In(time.FixedZone("X", 3600))
		}
	}
	recs = append(recs, fixture()...)
	// Drill rounds, summed apart: two trainees, a retitled drill, an
	// abandoned round, one with no score.
	for i := range 12 {
		d := drillRec(40+i, []string{"Ann Lee", "bo"}[i%2], results.Finished, i%4, 10+i, 5)
		switch i % 4 {
		case 1:
			d.Scenario.Title = "Openings (new)"
		case 2:
			d.Status = results.Abandoned
		case 3:
			d.Drill.MaxPoints = 0
		}
		recs = append(recs, d)
	}
	results.SortByTime(recs)
	for _, f := range []Filter{{}, {Trainee: "ann"}, {Trainee: "Ann Lee"}, {Scenario: "late-delivery"}, {Scenario: recs[0].Scenario.ID}} {
		sorted := f.Apply(recs)
		want := renderAll(t, buildInMemory(sorted))
		if got := renderAll(t, Build(sorted)); got != want {
			t.Fatalf("filter %+v: Build differs from the in-memory build:\n%s\nwant\n%s", f, got, want)
		}
		for range 3 {
			shuffled := append([]*results.Record(nil), sorted...)
			rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
			var b Builder
			for _, r := range shuffled {
				b.Add(r)
			}
			if got := renderAll(t, b.Report()); got != want {
				t.Fatalf("filter %+v: records in another order give another report:\n%s\nwant\n%s", f, got, want)
			}
		}
	}
	var empty Builder
	if got, want := renderAll(t, empty.Report()), renderAll(t, buildInMemory(nil)); got != want {
		t.Errorf("no records: %s, want %s", got, want)
	}
}

// TestBuilderClone: records added to a clone make the report of all the
// records, and leave the builder cloned as it was: the class dashboard
// adds the attempts in progress to the saved ones this way.
func TestBuilderClone(t *testing.T) {
	dir := t.TempDir()
	benchRecords(t, dir, 120)
	recs, _, err := results.ReadDetail(results.Brief, dir)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 6 {
		recs = append(recs, drillRec(40+i, []string{"Ann Lee", "bo"}[i%2], results.Finished, i%4, 10+i, 5))
	}
	results.SortByTime(recs)
	saved, live := recs[:90], recs[90:]
	var b Builder
	for _, r := range saved {
		b.Add(r)
	}
	want := renderAll(t, Build(saved))
	c := b.Clone()
	for _, r := range live {
		c.Add(r)
	}
	if got := renderAll(t, c.Report()); got != renderAll(t, Build(recs)) {
		t.Errorf("the clone with the rest added is not the report of all the records:\n%s", got)
	}
	if got := renderAll(t, b.Report()); got != want {
		t.Errorf("adding to the clone changed the builder:\n%s\nwant\n%s", got, want)
	}
	var empty Builder
	if got := renderAll(t, empty.Clone().Report()); got != renderAll(t, Build(nil)) {
		t.Error("a clone of an empty builder differs")
	}
}
