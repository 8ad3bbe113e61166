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
// holds (debrief.FromRecord), for when the scenario is not at hand to
// replay it: the scores and their points, and turn by turn what was said,
// what the model saw, the author's feedback and the better line. The full
// debrief (package debrief) also has the customer's lines, key moments and
// mood over time, which need the scenario.
func WriteAttempt(w io.Writer, r *results.Record) error {
	d := debrief.FromRecord(r)
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
