package report

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/rapport-sim/rapport/internal/debrief"
	"github.com/rapport-sim/rapport/internal/results"
	"github.com/rapport-sim/rapport/internal/scoring"
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
// holds, for when the scenario is not at hand to replay it: the scores and
// their points, and turn by turn what was said, what the model saw, the
// author's feedback and the better line. The full debrief (package
// debrief) also has the customer's lines, key moments and mood over time,
// which need the scenario.
func WriteAttempt(w io.Writer, r *results.Record) error {
	var b strings.Builder
	para := func(prefix, text string) {
		indent := strings.Repeat(" ", len([]rune(prefix)))
		for i, l := range debrief.Wrap(oneLine(text, 0), debrief.Width-len([]rune(prefix))) {
			if i == 0 {
				b.WriteString(prefix + l + "\n")
			} else {
				b.WriteString(indent + l + "\n")
			}
		}
	}
	fmt.Fprintf(&b, "DEBRIEF: %s\n", oneLine(r.Scenario.Title, 0))
	switch {
	case r.Ending == nil:
		fmt.Fprintf(&b, "The conversation did not finish. It ran for %s.\n", scoring.FormatClock(time.Duration(r.Clock)))
	case r.Ending.WalkedOut:
		fmt.Fprintf(&b, "Outcome: %s. The customer gave up after %s.\n", r.Ending.Outcome, scoring.FormatClock(time.Duration(r.Clock)))
	default:
		fmt.Fprintf(&b, "Outcome: %s (%s), after %s.\n", r.Ending.Outcome, oneLine(r.Ending.ID, 0), scoring.FormatClock(time.Duration(r.Clock)))
	}
	b.WriteString("\n")
	if s := r.Scores; s != nil {
		b.WriteString("SCORES\n")
		fmt.Fprintf(&b, "  %-20s %s  %s\n", "Overall", debrief.Bar(s.Overall), oneLine(s.Band, 0))
		for _, sc := range s.All() {
			if !sc.Assessed {
				para(fmt.Sprintf("  %-20s ", oneLine(sc.Label, 0)), "not assessed. "+strings.TrimPrefix(sc.Reason, "Not assessed: "))
				continue
			}
			fmt.Fprintf(&b, "  %-20s %s\n", oneLine(sc.Label, 0), debrief.Bar(sc.Value))
		}
		b.WriteString("\n")
		for i, ps := range r.Explanations.Points() {
			if len(ps) == 0 || !s.All()[i].Assessed {
				continue
			}
			fmt.Fprintf(&b, "How %s was scored:\n", oneLine(s.All()[i].Label, 0))
			for _, p := range ps {
				where := "[overall]"
				if p.Turn > 0 {
					where = fmt.Sprintf("[turn %d]", p.Turn)
				}
				para("  "+where+" ", p.Explanation)
			}
			b.WriteString("\n")
		}
	}
	b.WriteString("TURN BY TURN\n")
	for _, t := range r.Turns {
		notes := r.Explanations.Notes(t.Index)
		head := fmt.Sprintf("Turn %d at %s", t.Index, scoring.FormatClock(time.Duration(t.At)))
		if t.Typed != "" {
			head += ", typed"
		} else {
			head += fmt.Sprintf(", choice %d", t.Choice)
		}
		b.WriteString(head + ":\n")
		para("  You said: ", "\u201c"+oneLine(t.Said(), 0)+"\u201d")
		if notes.MatchedWhy != "" {
			para("  Heard: ", notes.MatchedWhy)
		}
		if len(t.Behaviors) > 0 {
			var shown []string
			for _, bh := range t.Behaviors {
				shown = append(shown, bh.Polarity+bh.ID)
			}
			para("  Seen: ", strings.Join(shown, ", "))
		}
		if notes.Feedback != "" {
			para("  Feedback: ", notes.Feedback)
		}
		if t.Best != nil {
			para("  Better here: ", fmt.Sprintf("choice %d, \u201c%s\u201d %s", t.Best.Choice, oneLine(t.Best.Say, 0), notes.BestWhy))
		} else if r.Scores != nil {
			b.WriteString("  This was the best line available here.\n")
		}
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}
