package results

import (
	"github.com/rapport-sim/rapport/internal/scenario"
	"github.com/rapport-sim/rapport/internal/textsafe"
)

// Sanitize makes every text field of the record safe to draw in a
// terminal (textsafe): escape sequences, control and format characters
// are removed. Names, ids and labels are also folded onto one line; the
// lines said and the explanations keep their line breaks.
//
// Every record read from a file passes through it: a results folder shared
// by a class is writable by every trainee, so its records are untrusted
// input, and every reader (history, report, replay, the class dashboard,
// export) draws from what is read. Text that needs no change is kept
// without copying, so a clean record costs one scan of its strings.
func (r *Record) Sanitize() {
	line := func(s *string) { *s = textsafe.Line(*s) }
	text := func(s *string) { *s = textsafe.Text(*s) }
	// ID, Mode and Status are checked by Validate on every read; they are
	// cleaned too, so Sanitize alone makes any record safe.
	line(&r.ID)
	r.Mode = Mode(textsafe.Line(string(r.Mode)))
	r.Status = Status(textsafe.Line(string(r.Status)))
	r.Kind = Kind(textsafe.Line(string(r.Kind)))
	line(&r.Trainee)
	line(&r.Agent)
	sc := &r.Scenario
	for _, s := range []*string{&sc.ID, &sc.Title, &sc.Hash, &sc.Channel, &sc.Difficulty, &sc.Version} {
		line(s)
	}
	line(&r.Version)
	for i := range r.Turns {
		t := &r.Turns[i]
		line(&t.Node)
		text(&t.Say)
		line(&t.ChoiceID)
		text(&t.Typed)
		for j := range t.Heard {
			line(&t.Heard[j])
		}
		for j := range t.Behaviors {
			line(&t.Behaviors[j].ID)
			line(&t.Behaviors[j].Polarity)
		}
		if b := t.Best; b != nil {
			line(&b.ID)
			text(&b.Say)
		}
	}
	if d := r.Drill; d != nil {
		for i := range d.Answers {
			a := &d.Answers[i]
			for _, s := range []*string{&a.Opener, &a.Channel, &a.Mood, &a.Rating, &a.Principle} {
				line(s)
			}
			for _, s := range []*string{&a.Say, &a.PickedSay, &a.BestSay} {
				text(s)
			}
		}
	}
	if e := r.Ending; e != nil {
		line(&e.ID)
		e.Outcome = scenario.Outcome(textsafe.Line(string(e.Outcome)))
	}
	if s := r.Scores; s != nil {
		for _, sc := range s.All() {
			line(&sc.Label)
			text(&sc.Reason)
		}
		line(&s.Band)
	}
	if x := r.Explanations; x != nil {
		for _, ps := range []*[]Point{&x.Opening, &x.Empathy, &x.Difficult} {
			for i := range *ps {
				p := &(*ps)[i]
				line(&p.Behavior)
				text(&p.Evidence)
				text(&p.Principle)
				text(&p.Explanation)
			}
		}
		for i := range x.Turns {
			n := &x.Turns[i]
			text(&n.Feedback)
			text(&n.BestWhy)
			text(&n.MatchedWhy)
			n.Evidence = sanitizeEvidence(n.Evidence)
		}
	}
}

// sanitizeEvidence cleans a turn's evidence map, keys included; the map is
// copied only when something changes.
func sanitizeEvidence(m map[string]string) map[string]string {
	dirty := false
	for k, v := range m {
		if !textsafe.Safe(k) || textsafe.Line(k) != k || !textsafe.Safe(v) {
			dirty = true
			break
		}
	}
	if !dirty {
		return m
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[textsafe.Line(k)] = textsafe.Text(v)
	}
	return out
}
