package plain

import (
	"fmt"
	"strings"

	"github.com/rapport-sim/rapport/internal/scenario"
	"github.com/rapport-sim/rapport/internal/scoring"
	"github.com/rapport-sim/rapport/internal/textsafe"
)

// writeDebrief prints the scoring report as plain sentences, in the order
// the full-screen debrief shows it: scores, key moments, the path taken
// turn by turn with feedback, and the customer's mood over time. Every
// number is said as a number and every mark as a word.
func writeDebrief(w *errWriter, sc *scenario.Scenario, r scoring.Report) {
	w.printf("\nHow you did:\n")
	for _, s := range r.Scores() {
		if !s.Assessed {
			reason := strings.TrimPrefix(textsafe.Line(s.Reason), "Not assessed: ")
			if reason != "" {
				reason = " " + reason
			}
			w.printf("  %s: not assessed.%s\n", textsafe.Line(s.Label), reason)
			continue
		}
		w.printf("  %s: %d of 100.\n", textsafe.Line(s.Label), s.Value)
	}
	w.printf("  Overall: %d of 100, band: %s.\n", r.Overall, textsafe.Line(string(r.Band)))

	if len(r.Moments) > 0 {
		w.printf("\nKey moments:\n")
		for _, m := range r.Moments {
			kind := momentWord(m.Kind)
			if kind != "" {
				kind += ": "
			}
			w.printf("  %s, %s%s\n", clock(m.At), kind, textsafe.Line(m.Text))
		}
	}

	w.printf("\nThe path you took, turn by turn:\n")
	if len(r.Turns) == 0 {
		w.printf("  You did not say anything.\n")
	}
	for i, t := range r.Turns {
		how := fmt.Sprintf("you chose %d", t.ShownNumber())
		switch {
		case t.Unheard:
			how = "you typed your own words, which were not followed"
		case t.Typed:
			how = fmt.Sprintf("you typed your own words, taken as choice %d", t.ShownNumber())
		}
		w.printf("  Turn %d, at %s, at %s, %s: %s\n", i+1, clock(t.At), textsafe.Line(t.Node), how, textsafe.Line(t.Said))
		if why := textsafe.Line(t.MatchedWhy); why != "" {
			w.printf("    Heard: %s\n", why)
		}
		if fb := textsafe.Line(t.Feedback); fb != "" {
			w.printf("    Feedback: %s\n", fb)
		}
		for _, p := range t.Points {
			word := "Gained"
			if p.Delta < 0 {
				word = "Lost"
			}
			w.printf("    %s, %s: %s\n", word, textsafe.Line(p.Score), textsafe.Line(p.Explanation))
		}
		if t.Best != nil {
			w.printf("    A better choice here was %d: %s\n", t.Best.ShownNumber(), textsafe.Line(t.Best.Say))
			if why := textsafe.Line(t.Best.Why); why != "" {
				w.printf("    Why: %s\n", why)
			}
		}
	}

	if len(r.Mood) > 1 {
		name := textsafe.Line(sc.Customer.Name)
		if name == "" {
			name = "the customer"
		}
		w.printf("\nHow %s felt over time, from the start to the end:\n", name)
		for _, g := range []struct {
			name string
			stat scenario.Stat
		}{{"Apprehension", scenario.Apprehension}, {"Anger", scenario.Anger}, {"Trust", scenario.Trust}} {
			vals := make([]string, len(r.Mood))
			for i, m := range r.Mood {
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
