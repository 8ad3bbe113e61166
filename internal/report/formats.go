package report

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Formats lists the report formats, for flag help and validation.
var Formats = []string{"table", "csv", "json", "markdown"}

// WriteJSON writes the report as indented JSON (the Report type; shares
// and averages rounded to two decimals).
func WriteJSON(w io.Writer, rep *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(rounded(rep)); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}

// rounded returns a copy with floats rounded for output.
func rounded(rep *Report) *Report {
	out := *rep
	roundGroup := func(g Group) Group {
		g.Scores = append([]Stat(nil), g.Scores...)
		for i := range g.Scores {
			g.Scores[i].Mean, g.Scores[i].SD = round2(g.Scores[i].Mean), round2(g.Scores[i].SD)
		}
		for _, cs := range []*[]Count{&g.Outcomes, &g.Negatives, &g.Missing} {
			*cs = append([]Count(nil), *cs...)
			for i := range *cs {
				(*cs)[i].Share = round2((*cs)[i].Share)
			}
		}
		return g
	}
	out.Trainees = make([]Group, len(rep.Trainees))
	for i, g := range rep.Trainees {
		out.Trainees[i] = roundGroup(g)
	}
	out.Scenarios = make([]Scenario, len(rep.Scenarios))
	for i, s := range rep.Scenarios {
		s.Group = roundGroup(s.Group)
		s.Points = append([]Point(nil), s.Points...)
		for j := range s.Points {
			s.Points[j].Choices = append([]Choice(nil), s.Points[j].Choices...)
			for k := range s.Points[j].Choices {
				c := &s.Points[j].Choices[k]
				c.Share = round2(c.Share)
				c.Say = oneLine(c.Say, 0)
			}
		}
		out.Scenarios[i] = s
	}
	return &out
}

// CSVHeader is the header of the CSV report. The CSV is "long": one row
// per fact, so a spreadsheet's filter or pivot table can slice it.
//
//	group   trainee or scenario
//	name    the trainee's name or the scenario's id
//	metric  attempts, finished, abandoned, mean, sd, min, max, trend,
//	        outcome, negative, missing, choice
//	item    the score key (first_30_seconds, empathy, difficult_customers,
//	        overall), the outcome, the behaviour id, or node#choice
//	label   the choice's text; for trend, the scores oldest first
//	value   the number: a score, or a share 0–1
//	count   how many attempts (or visits) it counts
//	of      out of how many
//	best    "yes" for the best choice at a decision point
var CSVHeader = []string{"group", "name", "metric", "item", "label", "value", "count", "of", "best"}

// WriteCSV writes the report as CSV (see CSVHeader). Text cells that a
// spreadsheet would run as a formula are neutralised (see csvWriter).
func WriteCSV(w io.Writer, rep *Report) error {
	cw := newCSVWriter(w)
	cw.Write(CSVHeader)
	num := func(f float64) string { return strconv.FormatFloat(round2(f), 'f', -1, 64) }
	itoa := strconv.Itoa
	row := func(cells ...string) { cw.Write(cells) }
	writeGroup := func(kind string, g Group) {
		name := oneLine(g.Name, 0)
		row(kind, name, "attempts", "", "", "", itoa(g.Attempts), "", "")
		row(kind, name, "finished", "", "", "", itoa(g.Finished), itoa(g.Attempts), "")
		row(kind, name, "abandoned", "", "", "", itoa(g.Abandoned), itoa(g.Attempts), "")
		for _, s := range g.Scores {
			if s.N == 0 {
				continue
			}
			row(kind, name, "mean", s.Key, "", num(s.Mean), itoa(s.N), "", "")
			row(kind, name, "sd", s.Key, "", num(s.SD), itoa(s.N), "", "")
			row(kind, name, "min", s.Key, "", itoa(s.Min), itoa(s.N), "", "")
			row(kind, name, "max", s.Key, "", itoa(s.Max), itoa(s.N), "", "")
			vals := make([]string, len(s.Trend))
			for i, v := range s.Trend {
				vals[i] = itoa(v)
			}
			row(kind, name, "trend", s.Key, strings.Join(vals, " "), "", itoa(s.N), "", "")
		}
		for _, c := range g.Outcomes {
			row(kind, name, "outcome", c.ID, "", num(c.Share), itoa(c.Count), itoa(c.Of), "")
		}
		for _, c := range g.Negatives {
			row(kind, name, "negative", c.ID, "", num(c.Share), itoa(c.Count), itoa(c.Of), "")
		}
		for _, c := range g.Missing {
			row(kind, name, "missing", c.ID, "", num(c.Share), itoa(c.Count), itoa(c.Of), "")
		}
	}
	for _, g := range rep.Trainees {
		writeGroup("trainee", g)
	}
	for _, s := range rep.Scenarios {
		writeGroup("scenario", s.Group)
		for _, p := range s.Points {
			for _, c := range p.Choices {
				best := ""
				if c.Best {
					best = "yes"
				}
				row("scenario", oneLine(s.Name, 0), "choice", oneLine(p.Node, 0)+"#"+itoa(c.Number), oneLine(c.Say, 0),
					num(c.Share), itoa(c.Count), itoa(p.Visits), best)
			}
		}
	}
	if err := cw.Flush(); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}

// csvNumeric marks the CSV columns that hold numbers this package formats
// (value, count, of). They are never neutralised: a negative number must
// stay a number in a spreadsheet.
var csvNumeric = []bool{5: true, 6: true, 7: true}

// csvWriter writes CSV as encoding/csv does (RFC 4180, "\n" line ends,
// the same quoting), and neutralises formula injection as OWASP advises:
// a text cell starting with '=', '+', '-', '@', a tab or a carriage
// return, which a spreadsheet would run as a formula (a trainee named
// =HYPERLINK(...)), gets a leading single quote and is quoted. Names and
// lines in a report come from records anyone in a class can write.
// encoding/csv cannot force quotes, hence this writer.
type csvWriter struct {
	w   *bufio.Writer
	err error
}

func newCSVWriter(w io.Writer) *csvWriter { return &csvWriter{w: bufio.NewWriter(w)} }

// Write writes one row; cells in csvNumeric columns are left as they are.
func (c *csvWriter) Write(cells []string) {
	if c.err != nil {
		return
	}
	for i, cell := range cells {
		if i > 0 {
			c.w.WriteByte(',')
		}
		force := false
		if !(i < len(csvNumeric) && csvNumeric[i]) && formulaStart(cell) {
			cell, force = "'"+cell, true
		}
		if !force && !csvNeedsQuotes(cell) {
			c.w.WriteString(cell)
			continue
		}
		c.w.WriteByte('"')
		c.w.WriteString(strings.ReplaceAll(cell, `"`, `""`))
		c.w.WriteByte('"')
	}
	c.err = c.w.WriteByte('\n')
}

// Flush writes out what is buffered and returns the first error.
func (c *csvWriter) Flush() error {
	if c.err != nil {
		return c.err
	}
	return c.w.Flush()
}

// formulaStart reports whether a spreadsheet would read s as a formula.
func formulaStart(s string) bool {
	return s != "" && strings.IndexByte("=+-@\t\r", s[0]) >= 0
}

// csvNeedsQuotes is encoding/csv's rule for quoting a field.
func csvNeedsQuotes(s string) bool {
	if s == "" {
		return false
	}
	if s == `\.` || strings.ContainsAny(s, "\"\r\n,") {
		return true
	}
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsSpace(r)
}

// WriteMarkdown writes the report as GitHub-flavoured Markdown, for a
// trainer's notes or a wiki page.
func WriteMarkdown(w io.Writer, rep *Report) error {
	var b strings.Builder
	b.WriteString("# Rapport report\n\n")
	fmt.Fprintf(&b, "%s (%d finished, %d abandoned), %s, %s.\n",
		plural(rep.Attempts, "attempt", "attempts"), rep.Finished, rep.Abandoned,
		plural(len(rep.Trainees), "trainee", "trainees"), plural(len(rep.Scenarios), "scenario", "scenarios"))
	summary := func(title, first string, groups []Group) {
		fmt.Fprintf(&b, "\n## %s\n\n", title)
		fmt.Fprintf(&b, "| %s | Attempts | First 30 seconds | Empathy | Difficult customers | Overall | Overall trend |\n", first)
		b.WriteString("|---|--:|--:|--:|--:|--:|---|\n")
		for _, g := range groups {
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s |\n", mdCell(g.Name), attempts(g),
				meanSD(g.Scores[0]), meanSD(g.Scores[1]), meanSD(g.Scores[2]), meanSD(g.Scores[3]), trend(g.Scores[3]))
		}
		b.WriteString("\nWeakest behaviours (recurring negatives; positives missing where others showed them):\n\n")
		for _, g := range groups {
			fmt.Fprintf(&b, "- **%s**: recurring %s; missing %s\n", mdCell(g.Name), counts(g.Negatives), counts(g.Missing))
		}
	}
	var groups []Group
	groups = append(groups, rep.Trainees...)
	summary("Trainees", "Trainee", groups)
	groups = groups[:0]
	for _, s := range rep.Scenarios {
		groups = append(groups, s.Group)
	}
	summary("Scenarios", "Scenario", groups)
	for _, s := range rep.Scenarios {
		fmt.Fprintf(&b, "\n### %s: %s\n\n", mdCell(s.Name), mdCell(s.Title))
		fmt.Fprintf(&b, "%s, %s played.", attemptsPhrase(s.Group), plural(s.Versions, "version", "versions"))
		if len(s.Outcomes) > 0 {
			var parts []string
			for _, o := range s.Outcomes {
				parts = append(parts, fmt.Sprintf("%s %d", o.ID, o.Count))
			}
			fmt.Fprintf(&b, " Outcomes: %s.", strings.Join(parts, ", "))
		}
		b.WriteString("\n")
		for _, p := range s.Points {
			fmt.Fprintf(&b, "\n**%s** (reached %s)\n\n", mdCell(p.Node), plural(p.Visits, "time", "times"))
			b.WriteString("| Choice | Share | Count | Line |\n|--:|--:|--:|---|\n")
			for _, c := range p.Choices {
				num := strconv.Itoa(c.Number)
				if c.Best {
					num = "✓ " + num + " (best)"
				}
				fmt.Fprintf(&b, "| %s | %s | %d | %s |\n", num, pct(c.Share), c.Count, mdCell(c.Say))
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// mdCell makes text safe inside a Markdown table cell: one line, pipes and
// the characters that start emphasis, code or HTML escaped.
func mdCell(s string) string {
	s = oneLine(s, 0)
	r := strings.NewReplacer(`\`, `\\`, `|`, `\|`, "*", `\*`, "_", `\_`, "`", "\\`", "<", "&lt;", ">", "&gt;", "[", `\[`, "]", `\]`)
	return r.Replace(s)
}
