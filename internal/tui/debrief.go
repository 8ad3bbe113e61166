package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/rapport-sim/rapport/internal/debrief"
	"github.com/rapport-sim/rapport/internal/scoring"
	"github.com/rapport-sim/rapport/internal/textsafe"
)

// doc builds the end screen's body line by line, counting lines so the
// turn list knows where each turn sits.
type doc struct {
	b     strings.Builder
	lines int
}

// add writes a block (which may span lines) and ends it with a newline.
func (d *doc) add(s string) {
	d.b.WriteString(s)
	d.b.WriteByte('\n')
	d.lines += strings.Count(s, "\n") + 1
}

// blank writes an empty line unless the document is empty.
func (d *doc) blank() {
	if d.lines > 0 {
		d.add("")
	}
}

func (d *doc) String() string { return strings.TrimSuffix(d.b.String(), "\n") }

// scoreLabelWidth fits "Difficult customers", the longest label.
const scoreLabelWidth = 20

// body renders the scrollable part of the end screen and returns, for each
// turn, its first and last line.
func (m *endPage) body(cw int) (string, [][2]int) {
	s := m.styles
	r := m.doc
	var d doc

	d.add(rule(s, "Scores", cw))
	for _, sc := range r.Scores {
		d.add(m.scoreLine(sc, cw))
	}
	overall := fmt.Sprintf("%-*s%s  %s", scoreLabelWidth, "Overall", s.scoreBar(r.Overall, 10), bandWord(s, r.Band))
	d.add(overall)
	if ladder := bandLadder(); ladder != "" {
		d.add(s.Subtle.Render(wrap(ladder, cw)))
	}
	if how := r.HowOverall(); len(how) > 0 {
		d.blank()
		d.add(rule(s, "How the overall was built", cw))
		for _, st := range how {
			prefix := st.Prefix()
			pw := ansi.StringWidth(prefix)
			d.add(hang(wrapLines(st.Text, max(1, cw-pw)), prefix, strings.Repeat(" ", pw)))
		}
	}

	d.blank()
	d.add(rule(s, "How it ended", cw))
	name := m.customerName()
	if r.WalkedOut {
		d.add(wrap(name+" ran out of patience and left before the conversation could finish.", cw))
	}
	for _, text := range r.Closing {
		d.add(hang(wrapLines(text, max(1, cw-2)), s.CustomerName.Render("“ "), "  "))
	}

	if len(r.Moments) > 0 {
		d.blank()
		d.add(rule(s, "Key moments", cw))
		for _, mo := range r.Moments {
			d.add(m.momentLine(mo, cw))
		}
	}

	d.blank()
	d.add(rule(s, "The path you took, turn by turn", cw))
	if len(r.Turns) == 0 {
		d.add("You did not say anything.")
	} else {
		d.add(s.Subtle.Render(wrap("↑/↓ choose a turn, space opens it: what was said, why it scored, and the better choice; f plays again from it.", cw)))
	}
	lines := make([][2]int, len(r.Turns))
	for i, t := range r.Turns {
		first := d.lines
		m.turnBlock(&d, i, t, cw)
		lines[i] = [2]int{first, d.lines - 1}
	}

	if len(r.Mood) > 1 {
		d.blank()
		d.add(rule(s, "How "+name+" felt over time", cw))
		d.add(m.moodChart(cw))
	}
	return d.String(), lines
}

func (m *endPage) customerName() string {
	if n := m.doc.Customer; n != "" {
		return n
	}
	return "the customer"
}

// scoreLine is one score: its label, a bar and the number, or the reason
// it was not assessed.
func (m *endPage) scoreLine(sc debrief.Score, cw int) string {
	s := m.styles
	label := fmt.Sprintf("%-*s", scoreLabelWidth, sc.Label)
	if !sc.Assessed {
		reason := sc.Reason
		text := "not assessed"
		if reason != "" {
			text += " — " + reason
		}
		return hang(wrapLines(text, max(1, cw-scoreLabelWidth)), label, strings.Repeat(" ", scoreLabelWidth))
	}
	return label + s.scoreBar(sc.Value, 10)
}

// bandWord shows the band in words, with a star for the top band.
func bandWord(s *Styles, b scoring.Band) string {
	word := textsafe.Line(string(b))
	switch b {
	case scoring.BandTop:
		return s.Good.Render("★ " + word)
	case scoring.BandNotYet:
		return s.Bad.Render(word)
	}
	return s.Warn.Render(word)
}

// bandLadder says where the bands start, read from scoring.BandFor so it
// can never disagree with the model: "Bands: One of the good ones from 85,
// Solid from 70, Getting there from 50, Not yet below 50."
func bandLadder() string {
	type span struct {
		band  scoring.Band
		floor int
	}
	var spans []span
	for v := 0; v <= 100; v++ {
		if b := scoring.BandFor(v); len(spans) == 0 || spans[len(spans)-1].band != b {
			spans = append(spans, span{b, v})
		}
	}
	if len(spans) < 2 {
		return ""
	}
	parts := make([]string, 0, len(spans))
	for i := len(spans) - 1; i >= 0; i-- {
		sp := spans[i]
		if i == 0 {
			parts = append(parts, fmt.Sprintf("%s below %d", textsafe.Line(string(sp.band)), spans[1].floor))
			continue
		}
		parts = append(parts, fmt.Sprintf("%s from %d", textsafe.Line(string(sp.band)), sp.floor))
	}
	return "Bands: " + strings.Join(parts, ", ") + "."
}

// momentGlyph marks a key moment's kind with a symbol, so the timeline
// reads without colour.
func (m *endPage) momentGlyph(kind string) string {
	s := m.styles
	switch kind {
	case "start":
		return "●"
	case "good":
		return s.Good.Render("+")
	case "cost":
		return s.Bad.Render("−")
	case "dead-air":
		return s.Bad.Render("…")
	case "mark":
		return s.Window.Render("┊")
	case "peak":
		return s.Warn.Render("▲")
	case "end":
		return "■"
	}
	return "·"
}

func (m *endPage) momentLine(mo debrief.Moment, cw int) string {
	prefix := m.styles.Timestamp.Render(clock(mo.At)) + " " + m.momentGlyph(mo.Kind) + " "
	pw := ansi.StringWidth(prefix)
	text := mo.Text
	if mo.Kind == "mark" {
		text = m.styles.Window.Render(text)
	}
	return hang(wrapLines(text, max(1, cw-pw)), prefix, strings.Repeat(" ", pw))
}

// turnBlock writes one turn: a header with the path step, the line said
// on one row, a summary, and when open the full feedback.
func (m *endPage) turnBlock(d *doc, i int, t debrief.Turn, cw int) {
	s := m.styles
	selected := i == m.cursor
	marker := "  "
	if selected {
		marker = s.Selected.Render("› ")
	}
	fold := "▸"
	if m.open[i] {
		fold = "▾"
	}
	how := t.How(true)
	// The turn is named by what the customer had said, never by the
	// node's id: ids are the author's, not the trainee's.
	head := fmt.Sprintf("%s %2d. %s  %s → %s", fold, i+1, clock(t.At), answering(t.Customer), how)
	if selected {
		head = s.Selected.Render(head)
	}
	d.add(marker + truncate(head, cw-2))
	const in = "      "
	said := t.Said
	if !m.open[i] {
		d.add(in + truncate("“"+said+"”", cw-len(in)))
	}
	d.add(in + truncate(turnSummary(s, t), cw-len(in)))
	if !m.open[i] {
		return
	}

	tw := max(1, cw-len(in))
	field := func(label, text string) {
		if text == "" {
			return
		}
		lw := ansi.StringWidth(label) + 1
		d.add(hang(wrapLines(text, max(1, tw-lw)), in+s.Subtle.Render(label)+" ", in+strings.Repeat(" ", lw)))
	}
	field("They said:", t.Customer)
	youSaid := "“" + said + "”"
	if t.Typed {
		youSaid += " (typed)"
	}
	field("You said:", youSaid)
	field("Heard:", t.Matched)
	field("Feedback:", t.Feedback)
	for _, p := range t.Points {
		mark := s.Good.Render("✓")
		if p.Delta < 0 {
			mark = s.Bad.Render("✗")
		}
		text := p.Text
		if p.Score != "" {
			text = "[" + p.Score + "] " + text
		}
		d.add(hang(wrapLines(text, max(1, tw-2)), in+mark+" ", in+"  "))
	}
	if t.Best != nil {
		field(s.Warn.Render("★")+" Better here:", fmt.Sprintf("choice %d — “%s”", t.Best.Shown, t.Best.Say))
		field("  Why:", t.Best.Why)
	}
}

// turnSummary counts what a turn showed, in words: "✓ 5 strengths · ✗ 1
// cost · ★ a better choice was offered".
func turnSummary(s *Styles, t debrief.Turn) string {
	good, bad := t.Strengths, t.Costs
	var parts []string
	if good > 0 {
		parts = append(parts, s.Good.Render("✓")+" "+debrief.Plural(good, "strength", "strengths"))
	}
	if bad > 0 {
		parts = append(parts, s.Bad.Render("✗")+" "+debrief.Plural(bad, "cost", "costs"))
	}
	if t.Best != nil {
		parts = append(parts, s.Warn.Render("★")+" a better choice was offered")
	}
	if len(parts) == 0 {
		return "· nothing scored here"
	}
	return strings.Join(parts, " · ")
}

// sparkLevels draw a value 0–100 as one of eight bar heights.
var sparkLevels = []rune("▁▂▃▄▅▆▇█")

// moodChart draws each meter over the conversation as a sparkline, one
// mark per turn from the start, with "┊" where the first 30 seconds end,
// and the start and end values as numbers.
func (m *endPage) moodChart(cw int) string {
	s := m.styles
	pts := m.doc.Mood
	labelWidth := 0
	for _, g := range gauges {
		labelWidth = max(labelWidth, len(g.label))
	}
	room := max(1, cw-labelWidth-2-len("  100 → 100"))
	var out []string
	for _, g := range gauges {
		var b strings.Builder
		marked := false
		n := 0
		for i, p := range pts {
			if !marked && i > 0 && p.At >= scoring.OpeningWindow {
				b.WriteRune('┊')
				marked = true
				n++
			}
			if n >= room {
				break
			}
			v := max(0, min(100, p.Mood.Get(g.stat)))
			b.WriteRune(sparkLevels[v*len(sparkLevels)/101])
			n++
		}
		first, last := pts[0].Mood.Get(g.stat), pts[len(pts)-1].Mood.Get(g.stat)
		line := fmt.Sprintf("%-*s  %s  %d → %d", labelWidth, g.label, s.levelStyle(last, g.highIsGood).Render(b.String()), first, last)
		out = append(out, line)
	}
	out = append(out, s.Subtle.Render(wrap("One mark per turn, start on the left; ┊ is the 30-second mark.", cw)))
	return strings.Join(out, "\n")
}

// answering names a turn by the start of the customer's line it answered:
// "after “It heats for ten seconds…”".
func answering(customer string) string {
	c := textsafe.Line(customer)
	for strings.HasPrefix(c, "[") && strings.Contains(c, "]") {
		// A stage direction is not what they said.
		c = strings.TrimSpace(c[strings.Index(c, "]")+1:])
	}
	if c == "" {
		return "at the start"
	}
	if r := []rune(c); len(r) > 28 {
		c = strings.TrimRight(string(r[:27]), " ,;:.") + "…"
	}
	return "after “" + c + "”"
}
