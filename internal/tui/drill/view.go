package drill

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	core "github.com/rapport-sim/rapport/internal/drill"
	"github.com/rapport-sim/rapport/internal/textsafe"
	"github.com/rapport-sim/rapport/internal/textwrap"
)

// The screen's size limits: below the minimum the layout cannot hold an
// opener, so the screen says so instead of drawing a broken one; above the
// maximum width, lines get too long to read at a glance.
const (
	MinWidth  = 56
	MinHeight = 22
	MaxWidth  = 100
)

// glyph repeats the rating word in shape, never replacing it.
func glyph(r core.Rating) string {
	switch r {
	case core.Best:
		return "✓"
	case core.Good:
		return "~"
	case core.Weak:
		return "!"
	case core.Poor:
		return "✗"
	}
	return ""
}

// View draws the current step.
func (m Model) View() string {
	if m.width < MinWidth || m.height < MinHeight {
		return textwrap.Wrap(fmt.Sprintf("Terminal too small: the drill needs %dx%d and has %dx%d. Make the window larger, or press q and run it line by line:",
			MinWidth, MinHeight, m.width, m.height), max(m.width, 1)) + "\n" + textwrap.Wrap("rapport drill --plain", max(m.width, 1))
	}
	w := min(m.width, MaxWidth)
	var blocks []string
	switch m.step {
	case stepAsk:
		blocks = m.askView(w)
	case stepFeedback:
		blocks = m.feedbackView(w)
	default:
		blocks = m.summaryView(w)
	}
	return fit(blocks, m.help.View(m.helpKeys()), m.height)
}

// header is the title on the left and progress on the right.
func (m Model) header(w int, progress string) string {
	title := ansi.Truncate(textsafe.Text(m.session.Drill().Title), max(w-lipgloss.Width(progress)-2, 1), "…")
	gap := max(w-lipgloss.Width(title)-lipgloss.Width(progress), 1)
	return m.styles.Title.Render(title) + strings.Repeat(" ", gap) + m.styles.Progress.Render(progress)
}

// progress numbers the opener on screen: the one asked, or on the
// feedback step the one just answered.
func (m Model) progress() string {
	n := m.session.Index() + 1
	if m.step != stepAsk {
		n = m.session.Index()
	}
	return fmt.Sprintf("Opener %d of %d", min(max(n, 1), m.session.Len()), m.session.Len())
}

// helpKeys are the bindings of the current step, with '?' saying what it
// will do next.
func (m Model) helpKeys() keyMap {
	k := m.keys.forStep(m.step)
	if m.help.ShowAll {
		k.Help.SetHelp("?", "fewer keys")
	}
	return k
}

func (m Model) askView(w int) []string {
	o := m.session.Current()
	if o == nil {
		return []string{m.header(w, "")}
	}
	context := string(o.Channel) + " · " + string(o.Mood)
	if o.Business != "" {
		context += " · " + textsafe.Text(o.Business)
	}
	who := textsafe.Text(o.Customer) + ": "
	said := textwrap.Hang(m.styles.Customer.Render(who), lipgloss.Width(who), fmt.Sprintf("%q", textsafe.Text(o.Say)), w)
	if lipgloss.Width(who) > w/3 {
		// A long name would squeeze the line into a narrow column.
		said = m.styles.Customer.Render(textwrap.Wrap(strings.TrimSpace(who), w)) + "\n" + textwrap.Wrap(fmt.Sprintf("%q", textsafe.Text(o.Say)), w)
	}
	var choices []string
	for i, r := range o.Responses {
		num := fmt.Sprintf("[%d] ", i+1)
		choices = append(choices, textwrap.Hang(m.styles.Number.Render(num), len(num), textsafe.Text(r.Say), w))
	}
	blocks := []string{
		m.header(w, m.progress()),
		m.styles.Context.Render(textwrap.Wrap(context, w)),
		said,
		strings.Join(choices, "\n"),
	}
	if limit := m.session.Limit(); limit > 0 {
		blocks = append(blocks, m.timerView(limit))
	}
	return blocks
}

// timerView draws the countdown as a number and a bar: the number carries
// the meaning, the bar and the colour only repeat it.
func (m Model) timerView(limit time.Duration) string {
	const width = 16
	full := int(int64(width) * int64(m.left) / int64(limit))
	secs := int((m.left + time.Second - 1) / time.Second)
	style := m.styles.Timer
	if m.left <= limit/4 {
		style = m.styles.TimerLow
	}
	bar := strings.Repeat("█", full) + strings.Repeat("░", width-full)
	return style.Render(fmt.Sprintf("Time left: %ds ", secs)) + m.styles.Subtle.Render(bar)
}

func (m Model) feedbackView(w int) []string {
	r := m.last
	style := m.styles.Ratings[r.Rating]
	verdict := glyph(r.Rating) + " " + r.Verdict()
	if r.DeadAir {
		verdict = "✗ " + r.Verdict()
	}
	var you string
	if r.Picked != nil {
		label := fmt.Sprintf("You said (%d): ", r.Picked.Number)
		you = textwrap.Hang(m.styles.Section.Render(label), len(label), fmt.Sprintf("%q", textsafe.Text(r.Picked.Say)), w)
	} else {
		you = m.styles.Section.Render("You said nothing: the time ran out.")
	}
	blocks := []string{
		m.header(w, m.progress()),
		style.Render(textwrap.Wrap(verdict, w)) + "\n" + you,
		textwrap.Wrap(textsafe.Text(r.Feedback()), w),
	}
	if best, n := r.Best(); r.Missed() && best != nil {
		label := fmt.Sprintf("Best (%d): ", n)
		blocks = append(blocks, textwrap.Hang(m.styles.Section.Render(label), len(label), fmt.Sprintf("%q", textsafe.Text(best.Say)), w))
	}
	var notes []string
	if p := r.Principle(); p != "" {
		label := "Principle: "
		if r.Missed() {
			label = "Principle missed: "
		}
		notes = append(notes, textwrap.Hang(m.styles.Subtle.Render(label), len(label), p.Name(), w))
	}
	if len(m.heard) > 0 {
		label := "Heard: "
		notes = append(notes, textwrap.Hang(m.styles.Subtle.Render(label), len(label), textsafe.Text(strings.Join(m.heard, "; ")), w))
	}
	if len(notes) > 0 {
		blocks = append(blocks, strings.Join(notes, "\n"))
	}
	return blocks
}

func (m Model) summaryView(w int) []string {
	sum := m.session.Summary()
	score := "Score: " + sum.Score()
	lines := []string{
		m.styles.Section.Render(textwrap.Wrap(score, w)),
		textwrap.Wrap("Ratings: "+sum.RatingsLine(), w),
		textwrap.Wrap("By mood: "+core.TallyLine(sum.ByMood), w),
		textwrap.Wrap("By channel: "+core.TallyLine(sum.ByChannel), w),
	}
	missed := []string{m.styles.Section.Render("Principles missed most")}
	if len(sum.Missed) == 0 {
		missed = append(missed, "None. One of the good ones.")
	}
	for _, miss := range sum.Missed[:min(len(sum.Missed), core.MaxMisses)] {
		missed = append(missed, textwrap.Hang("  ", 2, core.MissLine(miss), w))
	}
	return []string{
		m.header(w, fmt.Sprintf("Drill over: %d of %d", sum.Total, m.session.Len())),
		strings.Join(lines, "\n"),
		strings.Join(missed, "\n"),
	}
}

// fit lays the blocks out above the help line within height rows: with a
// blank line between blocks and above the help when there is room, without
// when there is not, and cut with an ellipsis as a last resort, so the help
// line is always on screen.
func fit(blocks []string, helpLine string, height int) string {
	helpRows := lipgloss.Height(helpLine)
	room := max(height-helpRows, 1)
	body := strings.Join(blocks, "\n\n")
	if lipgloss.Height(body) >= room {
		body = strings.Join(blocks, "\n")
	}
	if lines := strings.Split(body, "\n"); len(lines) > room {
		body = strings.Join(append(lines[:room-1], "…"), "\n")
	}
	return body + strings.Repeat("\n", max(height-helpRows-lipgloss.Height(body), 0)+1) + helpLine
}
