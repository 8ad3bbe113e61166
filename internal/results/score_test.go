package results

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rapport-sim/rapport/internal/debrief"
	"github.com/rapport-sim/rapport/internal/engine"
	linereader "github.com/rapport-sim/rapport/internal/reader"
	"github.com/rapport-sim/rapport/internal/scenario"
	"github.com/rapport-sim/rapport/internal/scoring"
)

// playScored plays like the player does: on the scoring model's clock,
// with its default hesitation, and (every third turn) a typed line matched
// to a choice by the model.
func playScored(t testing.TB, sc *scenario.Scenario, pick int) engine.State {
	t.Helper()
	e, err := engine.New(sc, engine.Options{Pace: scoring.Pace(sc.Channel)})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; !e.Done() && i < 40; i++ {
		cs := e.Choices()
		s := engine.Step{Choice: cs[(pick+i)%len(cs)].Number, Hesitation: scoring.DefaultHesitation + time.Duration(i)*time.Millisecond}
		if i%3 == 2 {
			text := "I'm sorry this happened, let me put it right for you today."
			m := linereader.MatchChoice(text, cs, linereader.ContextAt(sc, e.Node()))
			s.Choice, s.Text, s.Match = m.Choice, text, m.Score
		}
		if err := e.Choose(s); err != nil {
			t.Fatal(err)
		}
	}
	return e.State()
}

// TestRecordReplaysToSameScores: a record written, read back and replayed
// through the engine and the scoring model gives the same state, the same
// report and the same debrief as the one the trainee saw.
func TestRecordReplaysToSameScores(t *testing.T) {
	store, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"first-time-caller", "late-delivery", "callback-never-came", "terse-chat", "wants-a-manager"} {
		sc := loadScenario(t, id)
		for pick := range 3 {
			st := playScored(t, sc, pick)
			rep := scoring.Evaluate(sc, st)
			rec, err := NewRecord(sc, st, rep, meta("Ann", t0))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := store.Save(rec); err != nil {
				t.Fatal(err)
			}
			back, err := store.Load(rec.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(back, rec) {
				t.Fatalf("%s/%d: record changed on the way through the file", id, pick)
			}
			re, err := Replay(sc, back)
			if err != nil {
				t.Fatal(err)
			}
			if re.Changed {
				t.Errorf("%s/%d: replay says the scenario changed", id, pick)
			}
			if !reflect.DeepEqual(re.State, st) {
				t.Errorf("%s/%d: replayed state differs", id, pick)
			}
			if !reflect.DeepEqual(re.Report, rep) {
				t.Errorf("%s/%d: replayed report differs", id, pick)
			}
			var before, after bytes.Buffer
			if err := debrief.Write(&before, sc, st, rep); err != nil {
				t.Fatal(err)
			}
			if err := debrief.Write(&after, sc, re.State, re.Report); err != nil {
				t.Fatal(err)
			}
			if before.String() != after.String() || before.Len() == 0 {
				t.Errorf("%s/%d: the replayed debrief differs from the one shown after play", id, pick)
			}
			again, err := NewRecord(sc, re.State, re.Report, meta("Ann", t0))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(again.Scores, back.Scores) || !reflect.DeepEqual(again.Explanations, back.Explanations) || !reflect.DeepEqual(again.Turns, back.Turns) {
				t.Errorf("%s/%d: the stored scores and explanations differ from the replayed ones", id, pick)
			}
		}
	}
}

func TestNewRecordCarriesTheModel(t *testing.T) {
	sc := loadScenario(t, "late-delivery")
	st := playScored(t, sc, 1)
	rep := scoring.Evaluate(sc, st)
	rec, err := NewRecord(sc, st, rep, meta("Ann", t0))
	if err != nil {
		t.Fatal(err)
	}
	if rec.Scores.Overall != rep.Overall || rec.Scores.Band != string(rep.Band) || rec.Scores.Opening.Label != scoring.LabelOpening {
		t.Errorf("scores = %+v", rec.Scores)
	}
	points := 0
	for _, ps := range rec.Explanations.Points() {
		for _, p := range ps {
			points++
			if p.Turn < 0 || p.Turn > len(rec.Turns) || p.Explanation == "" {
				t.Errorf("point %+v: turn out of range or no explanation", p)
			}
		}
	}
	if points == 0 {
		t.Error("no points recorded")
	}
	if len(rec.Explanations.Turns) != len(rec.Turns) {
		t.Fatalf("%d turn notes for %d turns", len(rec.Explanations.Turns), len(rec.Turns))
	}
	for i, tn := range rec.Turns {
		notes := rec.Explanations.Notes(tn.Index)
		if tn.Empathy == nil {
			t.Errorf("turn %d: no empathy grades", tn.Index)
		}
		if tn.Typed != "" && (notes.MatchedWhy == "" || notes.Feedback != "") {
			t.Errorf("turn %d (typed): matched_why %q, feedback %q; want a reason and no author feedback", tn.Index, notes.MatchedWhy, notes.Feedback)
		}
		if tn.Typed == "" && notes.Feedback == "" {
			t.Errorf("turn %d: the author's feedback is missing", tn.Index)
		}
		if (rep.Turns[i].Best == nil) != (tn.Best == nil) || tn.Best != nil && notes.BestWhy == "" {
			t.Errorf("turn %d: best alternative or its reason lost", tn.Index)
		}
		for _, b := range tn.Behaviors {
			if _, ok := notes.Evidence[b.ID]; !ok && !b.Tagged {
				t.Errorf("turn %d: no evidence for %s", tn.Index, b.ID)
			}
		}
	}
}

func TestReplayChangedScenario(t *testing.T) {
	sc := loadScenario(t, "first-time-caller")
	st := playScored(t, sc, 0)
	rec, err := NewRecord(sc, st, scoring.Evaluate(sc, st), meta("Ann", t0))
	if err != nil {
		t.Fatal(err)
	}
	rec.Scenario.Hash = "0000"
	re, err := Replay(sc, rec)
	if err != nil || !re.Changed {
		t.Errorf("Replay with another hash = changed %v, %v; want changed, no error", re.Changed, err)
	}
	// A recorded choice the scenario no longer offers.
	rec.Turns[0].Choice, rec.Turns[0].ChoiceID = 99, "no-such-choice"
	if _, err := Replay(sc, rec); err == nil || !strings.Contains(err.Error(), "changed since") {
		t.Errorf("Replay of an impossible step = %v, want an error saying the scenario changed", err)
	}
	other := loadScenario(t, "late-delivery")
	if _, err := Replay(other, rec); err == nil {
		t.Error("Replay on another scenario succeeded")
	}
}

// A timed attempt whose time ran out must replay with the same dead air:
// the customer's reaction to the silence changed their mood, and so the
// scores.
func TestTimedOutTurnReplays(t *testing.T) {
	sc := loadScenario(t, "late-delivery")
	e, err := engine.New(sc, engine.Options{Pace: scoring.Pace(sc.Channel)})
	if err != nil {
		t.Fatal(err)
	}
	limit := 15 * time.Second
	for i := 0; !e.Done(); i++ {
		step := engine.Step{Choice: e.Choices()[0].Number, Hesitation: 3 * time.Second}
		if i%2 == 0 { // every other answer comes after the time ran out
			step.Hesitation, step.DeadAir = limit+2*time.Second, limit
		}
		if err := e.Choose(step); err != nil {
			t.Fatal(err)
		}
	}
	st := e.State()
	m := meta("Ann", t0)
	m.Mode, m.Limit = Timed, limit
	rec, err := NewRecord(sc, st, scoring.Evaluate(sc, st), m)
	if err != nil {
		t.Fatal(err)
	}
	if rec.Turns[0].DeadAir != Duration(limit) {
		t.Fatalf("first turn's dead air = %v, want %v", rec.Turns[0].DeadAir, limit)
	}
	store, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.Save(rec); err != nil {
		t.Fatal(err)
	}
	// Through the full decoder and the reports' brief one.
	back, err := store.Load(rec.ID)
	if err != nil {
		t.Fatal(err)
	}
	briefs, skipped, err := ReadDetail(Brief, store.Path(rec.ID))
	if err != nil || len(skipped) > 0 || len(briefs) != 1 || briefs[0].Turns[0].DeadAir != Duration(limit) {
		t.Fatalf("brief read: %v %v %v", briefs, skipped, err)
	}
	re, err := Replay(sc, back)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(re.State, st) {
		t.Errorf("replayed state differs: mood %+v, want %+v", re.State.Mood, st.Mood)
	}
}
