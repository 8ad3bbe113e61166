// Package debrief renders a scored conversation as plain text: the three
// scores with their labels, the overall score and band, a timeline of key
// moments on the conversation clock, turn-by-turn feedback with the
// evidence and the better alternative, and the customer's mood over time.
//
// The text is built for `--plain` mode and screen readers: no colour, no
// box drawing, no tables drawn with lines. Every bar has its number beside
// it, every line can be read on its own, and sections start with a heading
// line. It is also what the golden tests compare.
package debrief

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/rapport-sim/rapport/internal/engine"
	"github.com/rapport-sim/rapport/internal/scenario"
	"github.com/rapport-sim/rapport/internal/scoring"
)

// Width is the column the text wraps at.
const Width = 80

// BarCells is how many cells a score bar has.
const BarCells = 10

// Bar renders a 0–100 value as a text bar with the number beside it:
// "[#######---] 72".
func Bar(v int) string {
	v = max(0, min(100, v))
	n := (v*BarCells + 50) / 100
	return fmt.Sprintf("[%s%s] %3d", strings.Repeat("#", n), strings.Repeat("-", BarCells-n), v)
}

// writer keeps the first write error so rendering code can stay linear.
type writer struct {
	w   io.Writer
	err error
}

func (w *writer) line(format string, args ...any) {
	if w.err != nil {
		return
	}
	_, w.err = fmt.Fprintf(w.w, format+"\n", args...)
}

// para writes text wrapped at Width, the first line after prefix and the
// rest indented to match.
func (w *writer) para(prefix, text string) {
	indent := strings.Repeat(" ", len(prefix))
	for i, l := range Wrap(text, Width-len(prefix)) {
		if i == 0 {
			w.line("%s%s", prefix, l)
		} else {
			w.line("%s%s", indent, l)
		}
	}
}

// Wrap breaks text into lines of at most width runes, at spaces; a word
// longer than width gets a line of its own. It is not ansi.Wordwrap, which
// also breaks after hyphens and can then run a column past width.
func Wrap(text string, width int) []string {
	words := strings.Fields(text)
	if len(words) == 0 {
		return []string{""}
	}
	var lines []string
	cur := words[0]
	for _, wd := range words[1:] {
		if len([]rune(cur))+1+len([]rune(wd)) > width {
			lines = append(lines, cur)
			cur = wd
			continue
		}
		cur += " " + wd
	}
	return append(lines, cur)
}

// Write renders the full debrief of a conversation: New, then WriteDoc.
func Write(w io.Writer, sc *scenario.Scenario, st engine.State, r scoring.Report) error {
	return WriteDoc(w, New(sc, st, r))
}

// WriteDoc renders a debrief as plain text.
func WriteDoc(w io.Writer, d Doc) error {
	out := &writer{w: w}
	writeHeader(out, d)
	writeScores(out, d)
	writeMoments(out, d)
	writeTurns(out, d)
	writeMood(out, d)
	if out.err != nil {
		return fmt.Errorf("write debrief: %w", out.err)
	}
	return nil
}

func writeHeader(w *writer, d Doc) {
	w.line("DEBRIEF: %s", d.Title)
	if d.Summary != "" {
		w.para("", d.Summary)
	}
	switch {
	case !d.Finished:
		w.line("The conversation did not finish. It ran for %s.", scoring.FormatClock(d.Clock))
	case d.WalkedOut:
		w.line("Outcome: %s. The customer gave up after %s.", d.Outcome, scoring.FormatClock(d.Clock))
	default:
		w.line("Outcome: %s (%s), after %s.", d.Outcome, d.Ending, scoring.FormatClock(d.Clock))
	}
	w.line("")
}

func writeScores(w *writer, d Doc) {
	w.line("SCORES")
	w.line("  %-20s %s  %s", "Overall", Bar(d.Overall), d.Band)
	for _, s := range d.Scores {
		if !s.Assessed {
			w.para(fmt.Sprintf("  %-20s ", s.Label), "not assessed. "+s.Reason)
			continue
		}
		w.line("  %-20s %s", s.Label, Bar(s.Value))
	}
	w.line("")
	for _, s := range d.Scores {
		if !s.Assessed || len(s.Points) == 0 {
			continue
		}
		w.line("How %s was scored:", s.Label)
		for _, p := range s.Points {
			w.para(fmt.Sprintf("  %s ", p.Where()), p.Text)
		}
		w.line("")
	}
	if how := d.HowOverall(); len(how) > 0 {
		w.line("How the overall was built:")
		for _, st := range how {
			w.para("  "+st.Prefix(), st.Text)
		}
		w.line("")
	}
}

func writeMoments(w *writer, d Doc) {
	w.line("KEY MOMENTS (minutes:seconds on the conversation clock)")
	for _, m := range d.Moments {
		w.para("  "+scoring.FormatClock(m.At)+"  ", momentText(m))
	}
	w.line("")
}

func momentText(m Moment) string {
	switch m.Kind {
	case "good":
		return "Went well: " + m.Text
	case "cost":
		return "Cost points: " + m.Text
	}
	return m.Text
}

func writeTurns(w *writer, d Doc) {
	w.line("TURN BY TURN")
	for i, t := range d.Turns {
		head := fmt.Sprintf("Turn %d at %s", i+1, scoring.FormatClock(t.At))
		switch {
		case t.Typed:
			head += ", typed"
		case t.Chose:
			head += fmt.Sprintf(", choice %d", t.Shown)
		}
		if t.Hesitation > scoring.DeadAir {
			head += fmt.Sprintf(", after %s of silence", seconds(t.Hesitation))
		}
		w.line("%s:", head)
		if t.Customer != "" {
			w.para("  Customer: ", quoted(t.Customer))
		}
		w.para("  You said: ", quoted(t.Said))
		if t.Matched != "" {
			w.para("  Heard: ", t.Matched)
		}
		if len(t.Points) == 0 {
			w.line("  No points given or taken.")
		}
		for _, p := range t.Points {
			w.para("  "+sign(p.Delta)+" ", p.Score+". "+p.Text)
		}
		if t.Feedback != "" {
			w.para("  Feedback: ", t.Feedback)
		}
		if t.Best != nil {
			w.para("  Better here: ", fmt.Sprintf("choice %d, %s %s", t.Best.Shown, quoted(t.Best.Say), t.Best.Why))
		} else {
			w.line("  This was the best line available here.")
		}
		w.line("")
	}
}

func sign(d int) string {
	if d > 0 {
		return "+"
	}
	return "-"
}

func quoted(s string) string { return "\u201c" + s + "\u201d" }

func seconds(d time.Duration) string { return fmt.Sprintf("%.1f seconds", d.Seconds()) }

func writeMood(w *writer, d Doc) {
	w.line("CUSTOMER'S MOOD OVER TIME (0 to 100)")
	w.line("  %-6s %-13s %-6s %-6s %s", "time", "apprehension", "anger", "trust", "patience")
	for _, p := range d.Mood {
		m := p.Mood
		w.line("  %-6s %-13d %-6d %-6d %d", scoring.FormatClock(p.At), m.Apprehension, m.Anger, m.Trust, m.Patience)
	}
	if n := len(d.Mood); n > 1 {
		first, last := d.Mood[0].Mood, d.Mood[n-1].Mood
		w.para("  ", fmt.Sprintf("From start to end: apprehension %s, anger %s, trust %s, patience %s.",
			change(first.Apprehension, last.Apprehension), change(first.Anger, last.Anger),
			change(first.Trust, last.Trust), change(first.Patience, last.Patience)))
	}
}

func change(a, b int) string {
	switch {
	case b > a:
		return fmt.Sprintf("up %d to %d", b-a, b)
	case b < a:
		return fmt.Sprintf("down %d to %d", a-b, b)
	}
	return fmt.Sprintf("unchanged at %d", a)
}
