package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/lipgloss"

	"github.com/rapport-sim/rapport/internal/scenario"
)

// gauge is one of the customer's scales as the play screen shows it.
type gauge struct {
	label string
	stat  scenario.Stat
	// highIsGood says how to read the value: trust is good when high,
	// anger and apprehension when low.
	highIsGood bool
}

// gauges are the meters on the play screen's first row, in display order.
var gauges = []gauge{
	{"Apprehension", scenario.Apprehension, false},
	{"Anger", scenario.Anger, false},
	{"Trust", scenario.Trust, true},
}

// patience is drawn on a row of its own under the others, with what it
// decides: at 0 the customer walks out (engine.WalkoutID), so the trainee
// sees the walk-out coming instead of meeting it as a surprise.
var patience = gauge{"Patience", scenario.Patience, true}

// patienceRow is the patience meter and what it means, within width.
func (s *Styles) patienceRow(now, before scenario.Mood, width int) string {
	const note = " · at 0 they walk out"
	bw := meterMaxBar
	row := s.meter(patience, now, before, len(patience.label), bw, true)
	if lipgloss.Width(row)+len(note) > width {
		v := now.Get(patience.stat)
		row = s.MeterLabel.Render(patience.label) + fmt.Sprintf(" %d", v)
		if d := delta(v, before.Get(patience.stat)); d != "" {
			row += " " + d
		}
	}
	row = strings.TrimRight(row, " ")
	if lipgloss.Width(row)+len(note) <= width {
		row += s.Subtle.Render(note)
	}
	return row
}

const (
	meterMinBar = 4
	meterMaxBar = 10
	// meterDeltaWidth fits "▲12 " and keeps columns steady when a scale did
	// not move.
	meterDeltaWidth = 4
)

// bar draws value (0–100) as a bar of width cells: '#' filled and '-'
// empty, so the level reads without colour.
func (s *Styles) bar(value, width int, style lipgloss.Style) string {
	value = max(0, min(100, value))
	filled := (value*width + 50) / 100
	return "[" + style.Render(strings.Repeat("#", filled)) +
		s.MeterEmpty.Render(strings.Repeat("-", width-filled)) + "]"
}

// levelStyle colours a value by how it reads for the trainee.
func (s *Styles) levelStyle(value int, highIsGood bool) lipgloss.Style {
	if highIsGood {
		value = 100 - value
	}
	switch {
	case value >= 60:
		return s.MeterBad
	case value >= 35:
		return s.MeterWarn
	}
	return s.MeterGood
}

// delta shows how a scale moved on the last turn, with an arrow so the
// direction is never carried by colour alone.
func delta(now, before int) string {
	switch d := now - before; {
	case d > 0:
		return fmt.Sprintf("▲%d", d)
	case d < 0:
		return fmt.Sprintf("▼%d", -d)
	}
	return ""
}

// meter renders one labelled meter: "Anger [######----]  62 ▲8".
func (s *Styles) meter(g gauge, now, before scenario.Mood, labelWidth, barWidth int, withDelta bool) string {
	v := now.Get(g.stat)
	label := s.MeterLabel.Render(fmt.Sprintf("%-*s", labelWidth, g.label))
	out := fmt.Sprintf("%s %s %3d", label, s.bar(v, barWidth, s.levelStyle(v, g.highIsGood)), v)
	if withDelta {
		out += " " + fmt.Sprintf("%-*s", meterDeltaWidth-1, delta(v, before.Get(g.stat)))
	}
	return out
}

// meters lays the three meters out in one row when they fit the width with
// a bar of at least meterMinBar cells; else as words and numbers on one row
// ("Apprehension 90 ▲5 · Anger 5 · Trust 30 ▼5"); else one per line.
func (s *Styles) meters(now, before scenario.Mood, width int) string {
	return s.moodMeters(now, before, width) + "\n" + s.patienceRow(now, before, width)
}

// moodMeters lays out the first row: apprehension, anger and trust.
func (s *Styles) moodMeters(now, before scenario.Mood, width int) string {
	const gap = "  "
	// Fixed part of one meter: space + "[]" + space + 3 digits + delta.
	fixed := 1 + 2 + 1 + 3 + meterDeltaWidth
	labels := 0
	for _, g := range gauges {
		labels += len(g.label)
	}
	rowFixed := labels + len(gauges)*fixed + (len(gauges)-1)*len(gap)
	if bw := (width - rowFixed) / len(gauges); bw >= meterMinBar {
		bw = min(bw, meterMaxBar)
		parts := make([]string, len(gauges))
		for i, g := range gauges {
			parts[i] = s.meter(g, now, before, len(g.label), bw, true)
		}
		return strings.TrimRight(strings.Join(parts, gap), " ")
	}
	// Too narrow for bars: words and numbers on one row, with the arrows
	// if they fit.
	for _, arrows := range []bool{true, false} {
		words := make([]string, len(gauges))
		for i, g := range gauges {
			v := now.Get(g.stat)
			words[i] = s.MeterLabel.Render(g.label) + fmt.Sprintf(" %d", v)
			if d := delta(v, before.Get(g.stat)); arrows && d != "" {
				words[i] += " " + d
			}
		}
		if row := strings.Join(words, " · "); lipgloss.Width(row) <= width {
			return row
		}
	}
	return s.meterStack(now, before, width)
}

// meterStack draws one meter per line with the labels aligned, the bars
// as long as the width allows.
func (s *Styles) meterStack(now, before scenario.Mood, width int) string {
	fixed := 1 + 2 + 1 + 3 + meterDeltaWidth
	labelWidth := 0
	for _, g := range gauges {
		labelWidth = max(labelWidth, len(g.label))
	}
	bw := max(1, min(meterMaxBar, width-labelWidth-fixed))
	withDelta := width >= labelWidth+fixed+bw
	lines := make([]string, len(gauges))
	for i, g := range gauges {
		lines[i] = strings.TrimRight(s.meter(g, now, before, labelWidth, bw, withDelta), " ")
	}
	return strings.Join(lines, "\n")
}

// scoreBar draws a 0–100 score as "[#######---]  72" for the debrief.
func (s *Styles) scoreBar(value, width int) string {
	st := s.levelStyle(value, true)
	return fmt.Sprintf("%s %3d", s.bar(value, width, st), value)
}
