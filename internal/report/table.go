package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/lipgloss/table"
)

// SayWidth is how much of a choice's text the table shows.
const SayWidth = 64

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
	fmt.Fprintf(&b, "Rapport report: %s (%d finished, %d abandoned), %s, %s\n",
		plural(rep.Attempts, "attempt", "attempts"), rep.Finished, rep.Abandoned,
		plural(len(rep.Trainees), "trainee", "trainees"), plural(len(rep.Scenarios), "scenario", "scenarios"))
	if rep.Attempts == 0 {
		b.WriteString("No attempts match.\n")
		_, err := io.WriteString(w, b.String())
		return err
	}

	b.WriteString("\n" + st.heading.Render("Trainees") + "\n")
	groups := make([]Group, len(rep.Trainees))
	copy(groups, rep.Trainees)
	b.WriteString(summaryTable(r, st, "Trainee", groups) + "\n")
	b.WriteString(weakest(groups))

	b.WriteString("\n" + st.heading.Render("Scenarios") + "\n")
	groups = groups[:0]
	for _, s := range rep.Scenarios {
		groups = append(groups, s.Group)
	}
	b.WriteString(summaryTable(r, st, "Scenario", groups) + "\n")
	b.WriteString(weakest(groups))

	for _, s := range rep.Scenarios {
		b.WriteString("\n" + st.heading.Render(oneLine(s.Name, 0)+": "+oneLine(s.Title, 0)) + "\n")
		fmt.Fprintf(&b, "%s, %s played", attemptsPhrase(s.Group), plural(s.Versions, "version", "versions"))
		if len(s.Outcomes) > 0 {
			var parts []string
			for _, o := range s.Outcomes {
				parts = append(parts, fmt.Sprintf("%s %d", o.ID, o.Count))
			}
			fmt.Fprintf(&b, "; outcomes: %s", strings.Join(parts, ", "))
		}
		b.WriteString("\n")
		if len(s.Points) > 0 {
			b.WriteString(st.faint.Render("Decision points: share of visits taking each choice; ✓ marks the best choice.") + "\n")
		}
		for _, p := range s.Points {
			fmt.Fprintf(&b, "  %s (reached %s)\n", oneLine(p.Node, 0), plural(p.Visits, "time", "times"))
			for _, c := range p.Choices {
				mark := "  "
				if c.Best {
					mark = st.best.Render("✓") + " "
				}
				bar := strings.Repeat("█", int(c.Share*10+0.5))
				line := fmt.Sprintf("%s%d %4s %-10s %q", mark, c.Number, pct(c.Share), bar, oneLine(c.Say, SayWidth))
				if c.Best {
					line += " (best)"
				}
				b.WriteString("    " + line + "\n")
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func summaryTable(r *lipgloss.Renderer, st tableStyles, first string, groups []Group) string {
	cell := r.NewStyle().Padding(0, 1)
	num := cell.Align(lipgloss.Right)
	t := table.New().
		Border(lipgloss.NormalBorder()).
		BorderStyle(r.NewStyle()).
		Headers(first, "Attempts", "First 30 seconds", "Empathy", "Difficult customers", "Overall", "Overall trend").
		StyleFunc(func(row, col int) lipgloss.Style {
			switch {
			case row == table.HeaderRow:
				return st.header
			case col == 0 || col == 6:
				return cell
			}
			return num
		})
	for _, g := range groups {
		t.Row(oneLine(g.Name, 32), attempts(g), meanSD(g.Scores[0]), meanSD(g.Scores[1]), meanSD(g.Scores[2]), meanSD(g.Scores[3]), trend(g.Scores[3]))
	}
	return t.Render()
}

func weakest(groups []Group) string {
	var b strings.Builder
	b.WriteString("Weakest behaviours (recurring negatives; positives missing where others showed them):\n")
	for _, g := range groups {
		fmt.Fprintf(&b, "  %s\n    recurring: %s\n    missing:   %s\n", oneLine(g.Name, 32), counts(g.Negatives), counts(g.Missing))
	}
	return b.String()
}
