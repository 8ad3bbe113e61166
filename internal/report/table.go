package report

import (
	"fmt"
	"io"
	"strings"
	"sync/atomic"

	"github.com/charmbracelet/lipgloss"

	"github.com/rapport-sim/rapport/internal/textwrap"
)

// tableStyles are the few styles of the terminal report. Colours are fixed
// ANSI-16 ones (no background query in a print-and-exit command), and
// nothing depends on them: the best choice also carries a ✓ and the word.
type tableStyles struct {
	heading, header, best, faint lipgloss.Style
}

func newTableStyles(r *lipgloss.Renderer) tableStyles {
	return tableStyles{
		heading: r.NewStyle().Bold(true).Underline(true),
		header:  r.NewStyle().Bold(true).Padding(0, 1),
		best:    r.NewStyle().Foreground(lipgloss.Color("2")),
		faint:   r.NewStyle().Faint(true),
	}
}

// Width is the width of the terminal report: every line fits 80 columns,
// the width of the smallest terminal Rapport supports. Tables are laid out
// to fit it; prose and choice lines wrap under their first word.
const Width = 80

// WriteTable writes the report for a terminal: summary tables with
// sparklines, then each scenario's decision points. r decides colour (nil:
// a renderer on w, which follows NO_COLOR and drops colour when w is not a
// terminal).
func WriteTable(w io.Writer, rep *Report, r *lipgloss.Renderer) error {
	if r == nil {
		r = lipgloss.NewRenderer(w)
	}
	st := newTableStyles(r)
	var b strings.Builder
	// Grown once to about the report's size, not doubled again and
	// again: a report over thousands of attempts is hundreds of
	// kilobytes. Choice lines and the weakest behaviours often take two
	// lines; 160 bytes for each line counted here is about right.
	lines := 32 + len(rep.Drills)
	for _, g := range rep.Trainees {
		lines += 4 + len(g.Scenarios)
	}
	for _, sc := range rep.Scenarios {
		lines += 8
		for _, p := range sc.Points {
			lines += 1 + len(p.Choices)
		}
	}
	b.Grow(160 * lines)
	line := func(indent int, text string) { b.WriteString(hang(strings.Repeat(" ", indent), text, Width) + "\n") }
	line(0, fmt.Sprintf("Rapport report: %s (%d finished, %d abandoned), %s, %s",
		plural(rep.Attempts, "attempt", "attempts"), rep.Finished, rep.Abandoned,
		plural(len(rep.Trainees), "trainee", "trainees"), plural(len(rep.Scenarios), "scenario", "scenarios")))
	if rep.Attempts == 0 && len(rep.Drills) == 0 {
		b.WriteString("No attempts match.\n")
		_, err := io.WriteString(w, b.String())
		return err
	}
	if rep.Attempts == 0 {
		b.WriteString(drillTable(r, st, rep.Drills))
		_, err := io.WriteString(w, b.String())
		return err
	}
	// Each scenario's decision points, most of a big report, are laid
	// out beside the summary tables, on another core (sections), and
	// written after them in order.
	sections := make([]string, len(rep.Scenarios))
	share := shareWork(len(sections), func(_, i int) { sections[i] = scenarioSection(st, rep.Scenarios[i]) })
	b.WriteString(faint(st, "Scores are the mean ±spread over finished attempts (abandoned ones are counted, in brackets, not scored). Opening: the first 30 seconds; Difficult: difficult customers; Trend: the last overall scores, oldest first, and the first→last."))

	b.WriteString("\n" + st.heading.Render("Trainees") + st.faint.Render(" (averages per scenario)") + "\n")
	var rows []summaryRow
	for _, g := range rep.Trainees {
		rows = append(rows, summaryRow{name: oneLine(g.Name, nameWidth), g: g, heading: true})
		for _, sg := range g.Scenarios {
			rows = append(rows, summaryRow{name: "  " + oneLine(sg.Name, nameWidth-2), g: sg})
		}
	}
	b.WriteString(summaryTable(r, st, "Trainee / scenario", rows) + "\n")
	b.WriteString(weakest(rep.Trainees))

	b.WriteString("\n" + st.heading.Render("Scenarios") + "\n")
	rows = rows[:0]
	groups := make([]Group, 0, len(rep.Scenarios))
	for _, s := range rep.Scenarios {
		rows = append(rows, summaryRow{name: oneLine(s.Name, nameWidth), g: s.Group})
		groups = append(groups, s.Group)
	}
	b.WriteString(summaryTable(r, st, "Scenario", rows) + "\n")
	b.WriteString(weakest(groups))

	share()
	for _, s := range sections {
		b.WriteString(s)
	}
	b.WriteString(drillTable(r, st, rep.Drills))
	_, err := io.WriteString(w, b.String())
	return err
}

// scenarioSection is a scenario's part of the terminal report: its
// heading, attempts and outcomes, and its decision points.
func scenarioSection(st tableStyles, s Scenario) string {
	var b strings.Builder
	lines := 8
	for _, p := range s.Points {
		lines += 1 + len(p.Choices)
	}
	b.Grow(160 * lines)
	line := func(indent int, text string) { b.WriteString(hang(strings.Repeat(" ", indent), text, Width) + "\n") }
	b.WriteString("\n" + st.heading.Render(textwrap.Wrap(oneLine(s.Name, 0)+": "+oneLine(s.Title, 0), Width)) + "\n")
	text := fmt.Sprintf("%s, %s played", attemptsPhrase(s.Group), plural(s.Versions, "version", "versions"))
	if len(s.Outcomes) > 0 {
		var parts []string
		for _, o := range s.Outcomes {
			parts = append(parts, fmt.Sprintf("%s %d", o.ID, o.Count))
		}
		text += "; outcomes: " + strings.Join(parts, ", ")
	}
	line(0, text)
	if len(s.Points) > 0 {
		b.WriteString(faint(st, "Decision points: share of visits taking each choice; ✓ marks the best choice."))
	}
	for _, p := range s.Points {
		line(2, fmt.Sprintf("%s (reached %s)", oneLine(p.Node, 0), plural(p.Visits, "time", "times")))
		for _, c := range p.Choices {
			mark := "  "
			if c.Best {
				mark = st.best.Render("✓") + " "
			}
			bar := strings.Repeat("█", int(c.Share*10+0.5))
			head := fmt.Sprintf("    %s%d %4s %-10s ", mark, c.Number, pct(c.Share), bar)
			say := fmt.Sprintf("%q", oneLine(c.Say, 0))
			if c.Best {
				say += " (best)"
			}
			b.WriteString(hang(head, say, Width) + "\n")
		}
	}
	return b.String()
}

// shareWork starts doing f(w, i) for i in 0..n-1 on another goroutine,
// and returns a function that joins in on the caller's and returns once
// all are done. w says which goroutine calls: 1 the other, 0 the
// caller's. Each f writes only what is its own, or its goroutine's.
func shareWork(n int, f func(w, i int)) func() {
	var next atomic.Int64
	work := func(w int) {
		for {
			i := int(next.Add(1)) - 1
			if i >= n {
				return
			}
			f(w, i)
		}
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		work(1)
	}()
	return func() {
		work(0)
		<-done
	}
}

// drillTable sums up drill rounds per trainee and drill, in Width columns;
// "" when there are none.
func drillTable(r *lipgloss.Renderer, st tableStyles, ds []DrillStat) string {
	if len(ds) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("\n" + st.heading.Render("Drills") + "\n")
	b.WriteString(faint(st, "Score: points out of the most (best 3, good 2, weak 1, poor 0 per opener), mean ±spread over finished rounds; Best: answers that found the best opening; Rounds: abandoned ones in brackets."))
	var rows [][]string
	last := ""
	for _, d := range ds {
		if d.Trainee != last {
			rows = append(rows, []string{oneLine(d.Trainee, nameWidth), "", "", "", "", ""})
			last = d.Trainee
		}
		rounds := fmt.Sprint(d.Rounds)
		if d.Abandoned > 0 {
			rounds = fmt.Sprintf("%d (%d)", d.Rounds, d.Abandoned)
		}
		rows = append(rows, []string{"  " + oneLine(d.Drill, nameWidth-2), rounds, meanSD(d.Score), bestOf(d), fmt.Sprint(d.DeadAir), shortTrend(d.Score)})
	}
	b.WriteString(columns(r, st, []string{"Trainee / drill", "Rounds", "Score", "Best", "Dead air", "Trend"}, rows) + "\n")
	return b.String()
}

// faint wraps text to Width and renders it faint line by line (a block
// would be padded to its widest line).
func faint(st tableStyles, text string) string {
	var b strings.Builder
	for _, l := range strings.Split(textwrap.Wrap(text, Width), "\n") {
		b.WriteString(st.faint.Render(l) + "\n")
	}
	return b.String()
}

// nameWidth is the widest name the summary tables show.
const nameWidth = 19

// summaryRow is one row of a summary table: a trainee (heading, with
// their attempts only: their scores are per scenario, on the rows below),
// a trainee's scenario, or a scenario.
type summaryRow struct {
	name    string
	g       Group
	heading bool
}

// summaryTable lays the rows out in at most Width columns: no vertical
// rules, two spaces between columns.
func summaryTable(r *lipgloss.Renderer, st tableStyles, first string, rows []summaryRow) string {
	cells := make([][]string, 0, len(rows))
	for _, row := range rows {
		g := row.g
		if row.heading {
			cells = append(cells, []string{row.name, tries(g), "", "", "", "", ""})
			continue
		}
		cells = append(cells, []string{row.name, tries(g), meanSD(g.Scores[0]), meanSD(g.Scores[1]), meanSD(g.Scores[2]), meanSD(g.Scores[3]), shortTrend(g.Scores[3])})
	}
	return columns(r, st, []string{first, "Tries", "Opening", "Empathy", "Difficult", "Overall", "Trend"}, cells)
}

// tries is a group's attempts with the abandoned ones in brackets: "5 (1)".
func tries(g Group) string {
	if g.Abandoned == 0 {
		return fmt.Sprint(g.Attempts)
	}
	return fmt.Sprintf("%d (%d)", g.Attempts, g.Abandoned)
}

// tableSparks is how many of the latest scores a table's trend shows.
const tableSparks = 4

// shortTrend is a trend that fits a summary table: the last tableSparks
// scores as bars, and the first and last score.
func shortTrend(s Stat) string {
	if s.N == 0 {
		return ""
	}
	vals := s.Trend
	if len(vals) > tableSparks {
		vals = vals[len(vals)-tableSparks:]
	}
	out := Sparkline(vals)
	if s.N > 1 {
		out += fmt.Sprintf(" %d→%d", s.Trend[0], s.Trend[len(s.Trend)-1])
	}
	return out
}

func weakest(groups []Group) string {
	var b strings.Builder
	b.WriteString(textwrap.Wrap("Weakest behaviours (recurring negatives; positives missing where others showed them):", Width) + "\n")
	for _, g := range groups {
		b.WriteString(hang("  ", oneLine(g.Name, 0), Width) + "\n")
		b.WriteString(hang("    recurring: ", counts(g.Negatives), Width) + "\n")
		b.WriteString(hang("    missing:   ", counts(g.Missing), Width) + "\n")
	}
	return b.String()
}
