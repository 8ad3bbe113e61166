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
	"github.com/rapport-sim/rapport/internal/textsafe"
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

// Write renders the full debrief of a conversation.
func Write(w io.Writer, sc *scenario.Scenario, st engine.State, r scoring.Report) error {
	out := &writer{w: w}
	writeHeader(out, sc, st, r)
	writeScores(out, r)
	writeMoments(out, r)
	writeTurns(out, r)
	writeMood(out, r)
	if out.err != nil {
		return fmt.Errorf("write debrief: %w", out.err)
	}
	return nil
}

func writeHeader(w *writer, sc *scenario.Scenario, st engine.State, r scoring.Report) {
	w.line("DEBRIEF: %s", textsafe.Line(sc.Title))
	if sc.Summary != "" {
		w.para("", textsafe.Line(sc.Summary))
	}
	switch {
	case st.Ending == "":
		w.line("The conversation did not finish. It ran for %s.", scoring.FormatClock(st.Clock))
	case st.WalkedOut:
		w.line("Outcome: %s. The customer gave up after %s.", st.Outcome, scoring.FormatClock(st.Clock))
	default:
		w.line("Outcome: %s (%s), after %s.", st.Outcome, textsafe.Line(st.Ending), scoring.FormatClock(st.Clock))
	}
	w.line("")
}

func writeScores(w *writer, r scoring.Report) {
	w.line("SCORES")
	w.line("  %-20s %s  %s", "Overall", Bar(r.Overall), r.Band)
	for _, s := range r.Scores() {
		if !s.Assessed {
			w.para(fmt.Sprintf("  %-20s ", s.Label), "not assessed. "+strings.TrimPrefix(s.Reason, "Not assessed: "))
			continue
		}
		w.line("  %-20s %s", s.Label, Bar(s.Value))
	}
	w.line("")
	for _, s := range r.Scores() {
		if !s.Assessed || len(s.Points) == 0 {
			continue
		}
		w.line("How %s was scored:", s.Label)
		for _, p := range s.Points {
			w.para(fmt.Sprintf("  %s ", atTurn(p)), p.Explanation)
		}
		w.line("")
	}
	if len(r.Adjustments) > 0 {
		w.line("How the overall was adjusted (after the weighted mean of the scores):")
		for _, p := range r.Adjustments {
			w.para(fmt.Sprintf("  %s ", atTurn(p)), p.Explanation)
		}
		w.line("")
	}
}

// atTurn names where a point was earned: "turn 2" or "overall".
func atTurn(p scoring.Point) string {
	if p.Turn < 0 {
		return "[overall]"
	}
	return fmt.Sprintf("[turn %d]", p.Turn+1)
}

func writeMoments(w *writer, r scoring.Report) {
	w.line("KEY MOMENTS (minutes:seconds on the conversation clock)")
	for _, m := range r.Moments {
		w.para("  "+scoring.FormatClock(m.At)+"  ", momentText(m))
	}
	w.line("")
}

func momentText(m scoring.Moment) string {
	switch m.Kind {
	case "good":
		return "Went well: " + m.Text
	case "cost":
		return "Cost points: " + m.Text
	}
	return m.Text
}

func writeTurns(w *writer, r scoring.Report) {
	w.line("TURN BY TURN")
	for _, t := range r.Turns {
		head := fmt.Sprintf("Turn %d at %s", t.Index+1, scoring.FormatClock(t.At))
		switch {
		case t.Typed:
			head += ", typed"
		case t.Choice > 0:
			head += fmt.Sprintf(", choice %d", t.ShownNumber())
		}
		if t.Hesitation > scoring.DeadAir {
			head += fmt.Sprintf(", after %s of silence", seconds(t.Hesitation))
		}
		w.line("%s:", head)
		if t.Customer != "" {
			w.para("  Customer: ", quoted(t.Customer))
		}
		w.para("  You said: ", quoted(t.Said))
		if t.MatchedWhy != "" {
			w.para("  Heard: ", textsafe.Line(t.MatchedWhy))
		}
		if len(t.Points) == 0 {
			w.line("  No points given or taken.")
		}
		for _, p := range t.Points {
			w.para("  "+sign(p.Delta)+" ", p.Score+". "+p.Explanation)
		}
		if t.Feedback != "" {
			w.para("  Feedback: ", textsafe.Line(t.Feedback))
		}
		if t.Best != nil {
			w.para("  Better here: ", fmt.Sprintf("choice %d, %s %s", t.Best.ShownNumber(), quoted(t.Best.Say), textsafe.Line(t.Best.Why)))
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

func quoted(s string) string { return "\u201c" + textsafe.Line(s) + "\u201d" }

func seconds(d time.Duration) string { return fmt.Sprintf("%.1f seconds", d.Seconds()) }

func writeMood(w *writer, r scoring.Report) {
	w.line("CUSTOMER'S MOOD OVER TIME (0 to 100)")
	w.line("  %-6s %-13s %-6s %-6s %s", "time", "apprehension", "anger", "trust", "patience")
	for _, p := range r.Mood {
		m := p.Mood
		w.line("  %-6s %-13d %-6d %-6d %d", scoring.FormatClock(p.At), m.Apprehension, m.Anger, m.Trust, m.Patience)
	}
	if n := len(r.Mood); n > 1 {
		first, last := r.Mood[0].Mood, r.Mood[n-1].Mood
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
