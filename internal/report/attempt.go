package report

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/rapport-sim/rapport/internal/debrief"
	"github.com/rapport-sim/rapport/internal/reader"
	"github.com/rapport-sim/rapport/internal/results"
	"github.com/rapport-sim/rapport/internal/scoring"
	"github.com/rapport-sim/rapport/internal/textsafe"
)

// WriteAttemptHeader writes the lines that introduce one attempt: who
// played, when, how, and with which version of Rapport. loc is the time
// zone for the date (nil: UTC).
func WriteAttemptHeader(w io.Writer, r *results.Record, loc *time.Location) error {
	if loc == nil {
		loc = time.UTC
	}
	name := oneLine(r.Trainee, 0)
	if name == "" {
		name = Unnamed
	}
	how := string(r.Mode) + " mode"
	if r.Mode == results.Timed && r.Limit > 0 {
		how = fmt.Sprintf("timed mode, %s a decision", time.Duration(r.Limit))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "ATTEMPT %s\n", r.ID)
	fmt.Fprintf(&b, "%s played %s on %s, %s", name, oneLine(r.Scenario.ID, 0), r.Started.In(loc).Format("2006-01-02 15:04 MST"), how)
	if r.Rewinds > 0 {
		fmt.Fprintf(&b, ", practised with %s", plural(r.Rewinds, "rewind", "rewinds"))
	}
	if r.Status == results.Abandoned {
		b.WriteString(", abandoned")
	}
	fmt.Fprintf(&b, " (rapport %s).\n\n", oneLine(r.Version, 0))
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteAttempt writes the debrief of one attempt from what its record
// holds (recordDoc), for when the scenario is not at hand to
// replay it: the scores and their points, and turn by turn what was said,
// what the model saw, the author's feedback and the better line. The full
// debrief (package debrief) also has the customer's lines, key moments and
// mood over time, which need the scenario.
func WriteAttempt(w io.Writer, r *results.Record) error {
	d := recordDoc(r)
	var b strings.Builder
	para := func(prefix, text string) {
		indent := strings.Repeat(" ", len([]rune(prefix)))
		for i, l := range debrief.Wrap(text, debrief.Width-len([]rune(prefix))) {
			if i == 0 {
				b.WriteString(prefix + l + "\n")
			} else {
				b.WriteString(indent + l + "\n")
			}
		}
	}
	fmt.Fprintf(&b, "DEBRIEF: %s\n", d.Title)
	switch {
	case !d.Finished:
		fmt.Fprintf(&b, "The conversation did not finish. It ran for %s.\n", scoring.FormatClock(d.Clock))
	case d.WalkedOut:
		fmt.Fprintf(&b, "Outcome: %s. The customer gave up after %s.\n", d.Outcome, scoring.FormatClock(d.Clock))
	default:
		fmt.Fprintf(&b, "Outcome: %s (%s), after %s.\n", d.Outcome, d.Ending, scoring.FormatClock(d.Clock))
	}
	b.WriteString("\n")
	if d.Scored {
		b.WriteString("SCORES\n")
		fmt.Fprintf(&b, "  %-20s %s  %s\n", "Overall", debrief.Bar(d.Overall), d.Band)
		for _, sc := range d.Scores {
			if !sc.Assessed {
				para(fmt.Sprintf("  %-20s ", sc.Label), "not assessed. "+sc.Reason)
				continue
			}
			fmt.Fprintf(&b, "  %-20s %s\n", sc.Label, debrief.Bar(sc.Value))
		}
		b.WriteString("\n")
		for _, sc := range d.Scores {
			if len(sc.Points) == 0 || !sc.Assessed {
				continue
			}
			fmt.Fprintf(&b, "How %s was scored:\n", sc.Label)
			for _, p := range sc.Points {
				para("  "+p.Where()+" ", p.Text)
			}
			b.WriteString("\n")
		}
	}
	b.WriteString("TURN BY TURN\n")
	for i, t := range d.Turns {
		head := fmt.Sprintf("Turn %d at %s", i+1, scoring.FormatClock(t.At))
		if t.Typed {
			head += ", typed"
		} else {
			head += fmt.Sprintf(", choice %d", t.Shown)
		}
		b.WriteString(head + ":\n")
		para("  You said: ", "\u201c"+t.Said+"\u201d")
		if t.Matched != "" {
			para("  Heard: ", t.Matched)
		}
		if len(t.Seen) > 0 {
			para("  Seen: ", strings.Join(t.Seen, ", "))
		}
		if t.Feedback != "" {
			para("  Feedback: ", t.Feedback)
		}
		if t.Best != nil {
			para("  Better here: ", fmt.Sprintf("choice %d, \u201c%s\u201d %s", t.Best.Shown, t.Best.Say, t.Best.Why))
		} else if d.Scored {
			b.WriteString("  This was the best line available here.\n")
		}
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// recordDoc builds the debrief a saved record holds, for when the
// scenario is not at hand to replay it: the scores and their points, and
// turn by turn what was said, what the model saw (Turn.Seen), the
// author's feedback and the better line. It has no customer lines, key
// moments or mood, which need the scenario; Scored is false for a record
// saved without scores.
func recordDoc(r *results.Record) debrief.Doc {
	line := textsafe.Line
	d := debrief.Doc{Title: line(r.Scenario.Title), Clock: time.Duration(r.Clock)}
	if e := r.Ending; e != nil {
		d.Finished, d.Outcome, d.Ending, d.WalkedOut = true, e.Outcome, line(e.ID), e.WalkedOut
	}
	if s := r.Scores; s != nil {
		d.Scored, d.Overall, d.Band = true, s.Overall, scoring.Band(line(s.Band))
		points := r.Explanations.Points()
		for i, sc := range s.All() {
			ds := debrief.Score{Label: line(sc.Label), Assessed: sc.Assessed, Value: sc.Value, Reason: strings.TrimPrefix(line(sc.Reason), "Not assessed: ")}
			for _, p := range points[i] {
				// Records count turns from 1, with 0 for the whole
				// conversation.
				ds.Points = append(ds.Points, debrief.Point{Turn: p.Turn - 1, Delta: p.Delta, Text: line(p.Explanation)})
			}
			d.Scores = append(d.Scores, ds)
		}
	}
	for _, t := range r.Turns {
		notes := r.Explanations.Notes(t.Index)
		dt := debrief.Turn{
			At: time.Duration(t.At), Hesitation: time.Duration(t.Hesitation), Node: line(t.Node),
			Shown: t.Choice, Chose: t.Choice > 0, Typed: t.Typed != "", Unheard: t.Unheard,
			Said: line(t.Said()), Matched: line(notes.MatchedWhy), Feedback: line(notes.Feedback),
		}
		for _, b := range t.Behaviors {
			// In words, as the debrief says them: "+ greeting".
			label := b.ID
			if info, ok := reader.Info(reader.BehaviorID(b.ID)); ok {
				label = info.Label
			}
			dt.Seen = append(dt.Seen, line(b.Polarity+" "+label))
			if b.Polarity == "-" {
				dt.Costs++
			} else {
				dt.Strengths++
			}
		}
		if t.Best != nil {
			dt.Best = &debrief.Best{Shown: t.Best.Choice, Say: line(t.Best.Say), Why: line(notes.BestWhy)}
		}
		d.Turns = append(d.Turns, dt)
	}
	return d
}
