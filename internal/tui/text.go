package tui

import (
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/rapport-sim/rapport/internal/scenario"
	"github.com/rapport-sim/rapport/internal/scoring"
	"github.com/rapport-sim/rapport/internal/textsafe"
)

// wrap breaks plain text to width columns, hard-breaking words longer than
// the width. A width under 1 leaves the text alone rather than looping.
func wrap(s string, width int) string {
	if width < 1 {
		return s
	}
	return ansi.Wrap(s, width, "")
}

// wrapLines is wrap split into lines.
func wrapLines(s string, width int) []string {
	return strings.Split(wrap(s, width), "\n")
}

// truncate cuts s to width columns with an ellipsis.
func truncate(s string, width int) string {
	if width < 1 {
		return ""
	}
	return ansi.Truncate(s, width, "…")
}

// hang joins wrapped lines behind a first-line prefix, indenting the rest:
// the hanging indent used for transcript lines and choices.
func hang(lines []string, first, rest string) string {
	var b strings.Builder
	for i, l := range lines {
		if i > 0 {
			b.WriteByte('\n')
			b.WriteString(rest)
		} else {
			b.WriteString(first)
		}
		b.WriteString(l)
	}
	return b.String()
}

// clip cuts a rendered block to at most width columns and height lines, the
// last line of defence that keeps any layout inside a tiny terminal.
func clip(s string, width, height int) string {
	if width < 1 || height < 1 {
		return ""
	}
	lines := strings.Split(s, "\n")
	if len(lines) > height {
		lines = lines[:height]
	}
	for i, l := range lines {
		// A line is never wider than its length in bytes, so short lines
		// skip the (costly) width measurement.
		if len(l) > width && ansi.StringWidth(l) > width {
			lines[i] = ansi.Truncate(l, width, "")
		}
	}
	return strings.Join(lines, "\n")
}

// height is the number of lines in a rendered block ("" has none).
func height(s string) int {
	if s == "" {
		return 0
	}
	return lipgloss.Height(s)
}

// clock formats a time on the conversation clock the way the scoring
// model and the debrief do (mm:ss).
func clock(d time.Duration) string { return scoring.FormatClock(d) }

// presence says how the customer is still with the trainee, by channel,
// for the abandon question.
func presence(sc *scenario.Scenario) string {
	name := textsafe.Line(sc.Customer.Name)
	if name == "" {
		name = "The customer"
	}
	switch sc.Channel {
	case scenario.Phone:
		return name + " is still on the line."
	case scenario.Chat:
		return name + " is still in the chat."
	}
	return name + " is still waiting in front of you."
}

// margin indents every line of a block by one column, the left margin all
// screens share.
func margin(s string) string {
	return " " + strings.ReplaceAll(s, "\n", "\n ")
}
