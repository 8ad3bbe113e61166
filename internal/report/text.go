package report

import (
	"fmt"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"

	"github.com/rapport-sim/rapport/internal/textsafe"
	"github.com/rapport-sim/rapport/internal/textwrap"
)

// sparks are the eight bar heights of a sparkline.
var sparks = [...]rune{'▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'}

// SparkWidth is how many of the latest attempts a sparkline shows.
const SparkWidth = 20

// Sparkline draws 0–100 scores as bars, oldest first, keeping the last
// SparkWidth. The scale is absolute (0 is the lowest bar, 100 the
// highest), so sparklines of different trainees compare at a glance.
func Sparkline(vals []int) string {
	if len(vals) > SparkWidth {
		vals = vals[len(vals)-SparkWidth:]
	}
	var b strings.Builder
	for _, v := range vals {
		v = max(0, min(100, v))
		b.WriteRune(sparks[(v*(len(sparks)-1)+50)/100])
	}
	return b.String()
}

// oneLine makes record text safe for a terminal or a table cell: escape
// sequences and control characters go, line breaks become spaces, and the
// text is cut to limit characters (0: no limit) with an ellipsis.
func oneLine(s string, limit int) string {
	s = textsafe.Line(s)
	if limit > 0 && utf8.RuneCountInString(s) > limit {
		s = string([]rune(s)[:limit-1]) + "…"
	}
	return s
}

// meanSD formats a score's average and spread: "72 ±4", or "n/a" when no
// attempt was assessed.
func meanSD(s Stat) string {
	if s.N == 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.0f ±%.0f", s.Mean, s.SD)
}

// pct formats a share as a whole percentage.
func pct(share float64) string { return fmt.Sprintf("%.0f%%", math.Round(share*100)) }

// round2 rounds to two decimals for machine formats, so output does not
// carry float noise and stays stable for golden tests.
func round2(f float64) float64 { return math.Round(f*100) / 100 }

// counts formats behaviour counts: "blame 2/5 (40%), jargon 1/5 (20%)".
func counts(cs []Count) string {
	if len(cs) == 0 {
		return "none"
	}
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = fmt.Sprintf("%s %d/%d (%s)", c.ID, c.Count, c.Of, pct(c.Share))
	}
	return strings.Join(parts, ", ")
}

// attempts formats an attempt count with the abandoned ones.
func attempts(g Group) string {
	if g.Abandoned == 0 {
		return fmt.Sprint(g.Attempts)
	}
	return fmt.Sprintf("%d (%d abandoned)", g.Attempts, g.Abandoned)
}

func trend(s Stat) string {
	if s.N == 0 {
		return ""
	}
	out := Sparkline(s.Trend)
	if s.N > 1 {
		out += fmt.Sprintf(" %d→%d", s.Trend[0], s.Trend[len(s.Trend)-1])
	}
	return out
}

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

// attemptsPhrase says how many attempts a group has in words: "5 attempts
// (1 abandoned)".
func attemptsPhrase(g Group) string {
	s := plural(g.Attempts, "attempt", "attempts")
	if g.Abandoned > 0 {
		s += fmt.Sprintf(" (%d abandoned)", g.Abandoned)
	}
	return s
}

// hang writes prefix (it may be styled) and text wrapped beside it, the
// lines after the first indented under the text, with at least 10 cells
// for the text however long the prefix.
func hang(prefix, text string, width int) string {
	pw := ansi.StringWidth(prefix)
	width = max(width, pw+10)
	// Most lines of a report fit as they are; wrapping finds that out
	// more slowly, for thousands of lines.
	if pw+len(text) <= width && plainCell(text) && !strings.Contains(text, "  ") && text == strings.TrimSpace(text) {
		return prefix + text
	}
	return textwrap.Hang(prefix, pw, text, width)
}

// rounds is a drill's rounds with the abandoned ones: "5 (1 abandoned)".
func rounds(d DrillStat) string {
	if d.Abandoned == 0 {
		return fmt.Sprint(d.Rounds)
	}
	return fmt.Sprintf("%d (%d abandoned)", d.Rounds, d.Abandoned)
}

// bestOf is the answers that found the best response: "14/20 (70%)".
func bestOf(d DrillStat) string {
	if d.Answers == 0 {
		return "n/a"
	}
	return fmt.Sprintf("%d/%d (%s)", d.Best, d.Answers, pct(float64(d.Best)/float64(d.Answers)))
}
