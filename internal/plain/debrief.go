package plain

import (
	"fmt"
	"strings"

	"github.com/rapport-sim/rapport/internal/debrief"
	"github.com/rapport-sim/rapport/internal/scenario"
	"github.com/rapport-sim/rapport/internal/textsafe"
)

// writeDebrief says the debrief as plain sentences, in the order the
// full-screen debrief shows it: scores, key moments, the path taken turn
// by turn with feedback, and the customer's mood over time. Every number
// is said as a number and every mark as a word.
func writeDebrief(w *errWriter, d debrief.Doc) {
	w.printf("\nHow you did:\n")
	for _, s := range d.Scores {
		if !s.Assessed {
			reason := s.Reason
			if reason != "" {
				reason = " " + reason
			}
			w.printf("  %s: not assessed.%s\n", s.Label, reason)
			continue
		}
		w.printf("  %s: %d of 100.\n", s.Label, s.Value)
	}
	w.printf("  Overall: %d of 100, band: %s.\n", d.Overall, textsafe.Line(string(d.Band)))
	if how := d.HowOverall(); len(how) > 0 {
		w.printf("\nHow the overall was built:\n")
		for _, st := range how {
			w.printf("  %s%s\n", st.Prefix(), st.Text)
		}
	}

	if len(d.Moments) > 0 {
		w.printf("\nKey moments:\n")
		for _, m := range d.Moments {
			kind := momentWord(m.Kind)
			if kind != "" {
				kind += ": "
			}
			w.printf("  %s, %s%s\n", clock(m.At), kind, m.Text)
		}
	}

	w.printf("\nThe path you took, turn by turn:\n")
	if len(d.Turns) == 0 {
		w.printf("  You did not say anything.\n")
	}
	for i, t := range d.Turns {
		how := t.How(false)
		// A turn is named by what the customer had said, never by the
		// node's id: ids are the author's, not the trainee's.
		w.printf("  Turn %d, at %s, after %s, %s: %s\n", i+1, clock(t.At), saidStart(t.Customer), how, t.Said)
		if t.Matched != "" {
			w.printf("    Heard: %s\n", t.Matched)
		}
		if t.Feedback != "" {
			w.printf("    Feedback: %s\n", t.Feedback)
		}
		for _, p := range t.Points {
			word := "Gained"
			if p.Delta < 0 {
				word = "Lost"
			}
			w.printf("    %s, %s: %s\n", word, p.Score, p.Text)
		}
		if t.Best != nil {
			w.printf("    A better choice here was %d: %s\n", t.Best.Shown, t.Best.Say)
			if t.Best.Why != "" {
				w.printf("    Why: %s\n", t.Best.Why)
			}
		}
	}

	if len(d.Mood) > 1 {
		name := d.Customer
		if name == "" {
			name = "the customer"
		}
		w.printf("\nHow %s felt over time, from the start to the end:\n", name)
		for _, g := range []struct {
			name string
			stat scenario.Stat
		}{{"Apprehension", scenario.Apprehension}, {"Anger", scenario.Anger}, {"Trust", scenario.Trust}} {
			vals := make([]string, len(d.Mood))
			for i, m := range d.Mood {
				vals[i] = fmt.Sprint(m.Mood.Get(g.stat))
			}
			w.printf("  %s: %s.\n", g.name, strings.Join(vals, ", "))
		}
	}
}

// momentWord names a key moment's kind for a listener.
func momentWord(kind string) string {
	switch kind {
	case "good":
		return "good move"
	case "cost":
		return "cost"
	case "dead-air":
		return "dead air"
	case "peak":
		return "peak"
	}
	return ""
}

// saidStart quotes the first words of what the customer said, to name the
// turn that answered it.
func saidStart(customer string) string {
	words := strings.Fields(textsafe.Line(customer))
	if len(words) == 0 {
		return "the start"
	}
	if len(words) > 8 {
		return "\u201c" + strings.Join(words[:8], " ") + "\u2026\u201d"
	}
	return "\u201c" + strings.Join(words, " ") + "\u201d"
}
