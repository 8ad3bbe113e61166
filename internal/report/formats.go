package report

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/rapport-sim/rapport/internal/results"
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
		g = roundGroup(g)
		// A trainee's averages are per scenario (Group.Scenarios).
		g.Scores = nil
		g.Scenarios = append([]Group(nil), g.Scenarios...)
		for j := range g.Scenarios {
			g.Scenarios[j] = roundGroup(g.Scenarios[j])
		}
		out.Trainees[i] = g
	}
	out.Drills = append([]DrillStat(nil), rep.Drills...)
	for i := range out.Drills {
		d := &out.Drills[i]
		d.Score.Mean, d.Score.SD = round2(d.Score.Mean), round2(d.Score.SD)
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
//	group     trainee or scenario
//	name      the trainee's name or the scenario's id
//	scenario  for a trainee's score rows, the scenario they are about
//	          (a trainee's averages are per scenario); else empty
//	metric    attempts, finished, abandoned, mean, sd, min, max, trend,
//	          outcome, negative, missing, choice
//	item      the score key (first_30_seconds, empathy, difficult_customers,
//	          overall), the outcome, the behaviour id, or node#choice
//	label     the choice's text; for trend, the scores oldest first
//	value     the number: a score, or a share 0–1
//	count     how many attempts (or visits) it counts
//	of        out of how many
//	best      "yes" for the best choice at a decision point
var CSVHeader = []string{"group", "name", "scenario", "metric", "item", "label", "value", "count", "of", "best"}

// csvNumeric marks the CSV columns that hold numbers this package formats
// (value, count, of). They are never neutralised: a negative number must
// stay a number in a spreadsheet.
var csvNumeric = []bool{6: true, 7: true, 8: true}

// WriteCSV writes the report as CSV (see CSVHeader). Text cells that a
// spreadsheet would run as a formula are neutralised (see csvWriter).
func WriteCSV(w io.Writer, rep *Report) error {
	cw := newCSVWriter(w, csvNumeric)
	cw.Write(CSVHeader)
	num := func(f float64) string { return strconv.FormatFloat(round2(f), 'f', -1, 64) }
	itoa := strconv.Itoa
	row := func(cells ...string) { cw.Write(cells) }
	counts := func(kind, name, scen string, g Group) {
		row(kind, name, scen, "attempts", "", "", "", itoa(g.Attempts), "", "")
		row(kind, name, scen, "finished", "", "", "", itoa(g.Finished), itoa(g.Attempts), "")
		row(kind, name, scen, "abandoned", "", "", "", itoa(g.Abandoned), itoa(g.Attempts), "")
	}
	scores := func(kind, name, scen string, g Group) {
		for _, s := range g.Scores {
			if s.N == 0 {
				continue
			}
			row(kind, name, scen, "mean", s.Key, "", num(s.Mean), itoa(s.N), "", "")
			row(kind, name, scen, "sd", s.Key, "", num(s.SD), itoa(s.N), "", "")
			row(kind, name, scen, "min", s.Key, "", itoa(s.Min), itoa(s.N), "", "")
			row(kind, name, scen, "max", s.Key, "", itoa(s.Max), itoa(s.N), "", "")
			vals := make([]string, len(s.Trend))
			for i, v := range s.Trend {
				vals[i] = itoa(v)
			}
			row(kind, name, scen, "trend", s.Key, strings.Join(vals, " "), "", itoa(s.N), "", "")
		}
	}
	behaviours := func(kind, name string, g Group) {
		for _, c := range g.Outcomes {
			row(kind, name, "", "outcome", c.ID, "", num(c.Share), itoa(c.Count), itoa(c.Of), "")
		}
		for _, c := range g.Negatives {
			row(kind, name, "", "negative", c.ID, "", num(c.Share), itoa(c.Count), itoa(c.Of), "")
		}
		for _, c := range g.Missing {
			row(kind, name, "", "missing", c.ID, "", num(c.Share), itoa(c.Count), itoa(c.Of), "")
		}
	}
	for _, g := range rep.Trainees {
		name := oneLine(g.Name, 0)
		counts("trainee", name, "", g)
		for _, sg := range g.Scenarios {
			scen := oneLine(sg.Name, 0)
			counts("trainee", name, scen, sg)
			scores("trainee", name, scen, sg)
		}
		behaviours("trainee", name, g)
	}
	for _, s := range rep.Scenarios {
		name := oneLine(s.Name, 0)
		counts("scenario", name, "", s.Group)
		scores("scenario", name, "", s.Group)
		behaviours("scenario", name, s.Group)
		for _, p := range s.Points {
			for _, c := range p.Choices {
				best := ""
				if c.Best {
					best = "yes"
				}
				row("scenario", name, "", "choice", oneLine(p.Node, 0)+"#"+itoa(c.Number), oneLine(c.Say, 0),
					num(c.Share), itoa(c.Count), itoa(p.Visits), best)
			}
		}
	}
	for _, d := range rep.Drills {
		name, drill := oneLine(d.Trainee, 0), oneLine(d.Drill, 0)
		row("drill", name, drill, "attempts", "", "", "", itoa(d.Rounds), "", "")
		row("drill", name, drill, "abandoned", "", "", "", itoa(d.Abandoned), itoa(d.Rounds), "")
		if s := d.Score; s.N > 0 {
			row("drill", name, drill, "mean", s.Key, "", num(s.Mean), itoa(s.N), "", "")
			row("drill", name, drill, "sd", s.Key, "", num(s.SD), itoa(s.N), "", "")
			vals := make([]string, len(s.Trend))
			for i, v := range s.Trend {
				vals[i] = itoa(v)
			}
			row("drill", name, drill, "trend", s.Key, strings.Join(vals, " "), "", itoa(s.N), "", "")
		}
		if d.Answers > 0 {
			row("drill", name, drill, "best", "", "", num(float64(d.Best)/float64(d.Answers)), itoa(d.Best), itoa(d.Answers), "")
			row("drill", name, drill, "dead_air", "", "", num(float64(d.DeadAir)/float64(d.Answers)), itoa(d.DeadAir), itoa(d.Answers), "")
		}
	}
	if err := cw.Flush(); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}

// AttemptsHeader is the header of the per-attempt CSV (report --format csv
// --per attempt): one row per attempt, ready for a spreadsheet without a
// pivot table.
//
//	trainee             the trainee's name
//	scenario            the scenario's id
//	version             the scenario's version, or sha256: and the start
//	                    of its file's hash when it has none
//	date                when the attempt started, RFC 3339 in UTC
//	duration_s          how long it took, in whole seconds (wall clock)
//	outcome             resolved, kept, follow-up, escalated or lost; empty
//	                    when abandoned
//	first_30_seconds,   the three scores, 0–100; empty when abandoned or
//	empathy,            not assessed (difficult_customers with a calm
//	difficult_customers customer)
//	overall, band       the overall score and its band; empty when abandoned
//	mode                choices, free-text or timed
//	abandoned           yes or no
//	record              the record's id (rapport replay ID)
//	kind                scenario, or drill for a drill round: its
//	                    scenario is the drill's id, its overall the
//	                    round's score (points out of the most, 0–100),
//	                    and outcome, the three scores and band are empty
var AttemptsHeader = []string{"trainee", "scenario", "version", "date", "duration_s", "outcome",
	KeyOpening, KeyEmpathy, KeyDifficult, KeyOverall, "band", "mode", "abandoned", "record", "kind"}

// WriteAttemptsCSV writes one row per attempt (see AttemptsHeader), in the
// order given. Abandoned attempts are counted, not scored: their score
// cells are empty, as in every report.
func WriteAttemptsCSV(w io.Writer, recs []*results.Record) error {
	cw := newCSVWriter(w, []bool{4: true, 6: true, 7: true, 8: true, 9: true})
	cw.Write(AttemptsHeader)
	for _, r := range recs {
		version := oneLine(r.Scenario.Version, 0)
		if version == "" && r.Scenario.Hash != "" {
			version = "sha256:" + oneLine(r.Scenario.Hash[:min(12, len(r.Scenario.Hash))], 0)
		}
		duration := ""
		if !r.Ended.IsZero() && !r.Ended.Before(r.Started) {
			duration = strconv.Itoa(int(r.Ended.Sub(r.Started).Round(time.Second) / time.Second))
		}
		outcome := ""
		if r.Ending != nil {
			outcome = oneLine(string(r.Ending.Outcome), 0)
		}
		var sc [4]string
		band := ""
		kind := string(results.KindScenario)
		if r.IsDrill() {
			kind = string(results.KindDrill)
			if p, ok := r.Drill.Percent(); ok && r.Status == results.Finished {
				sc[3] = strconv.Itoa(p)
			}
		} else if s := r.Scores; r.Scored() {
			for i, v := range s.All() {
				if v.Assessed {
					sc[i] = strconv.Itoa(v.Value)
				}
			}
			sc[3], band = strconv.Itoa(s.Overall), oneLine(s.Band, 0)
		}
		abandoned := "no"
		if r.Status != results.Finished {
			abandoned = "yes"
		}
		name := oneLine(r.Trainee, 0)
		if strings.TrimSpace(name) == "" {
			name = Unnamed
		}
		cw.Write([]string{name, oneLine(r.Scenario.ID, 0), version, r.Started.UTC().Format(time.RFC3339), duration, outcome,
			sc[0], sc[1], sc[2], sc[3], band, oneLine(string(r.Mode), 0), abandoned, oneLine(r.ID, 0), kind})
	}
	if err := cw.Flush(); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}

// csvWriter writes CSV as encoding/csv does (RFC 4180, "\n" line ends,
// the same quoting), and neutralises formula injection as OWASP advises:
// a text cell starting with '=', '+', '-', '@', a tab or a carriage
// return, which a spreadsheet would run as a formula (a trainee named
// =HYPERLINK(...)), gets a leading single quote and is quoted. Names and
// lines in a report come from records anyone in a class can write.
// encoding/csv cannot force quotes, hence this writer.
type csvWriter struct {
	w       *bufio.Writer
	numeric []bool
	err     error
}

// newCSVWriter writes to w; numeric marks the columns of numbers this
// package formats, which are never neutralised (a negative number must
// stay a number).
func newCSVWriter(w io.Writer, numeric []bool) *csvWriter {
	return &csvWriter{w: bufio.NewWriter(w), numeric: numeric}
}

// Write writes one row; cells in numeric columns are left as they are.
func (c *csvWriter) Write(cells []string) {
	if c.err != nil {
		return
	}
	for i, cell := range cells {
		if i > 0 {
			c.w.WriteByte(',')
		}
		force := false
		if !(i < len(c.numeric) && c.numeric[i]) && formulaStart(cell) {
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
	weakest := func(groups []Group) {
		b.WriteString("\nWeakest behaviours (recurring negatives; positives missing where others showed them):\n\n")
		for _, g := range groups {
			fmt.Fprintf(&b, "- **%s**: recurring %s; missing %s\n", mdCell(g.Name), counts(g.Negatives), counts(g.Missing))
		}
	}
	scoreCells := func(g Group) string {
		return fmt.Sprintf("%s | %s | %s | %s | %s", meanSD(g.Scores[0]), meanSD(g.Scores[1]), meanSD(g.Scores[2]), meanSD(g.Scores[3]), trend(g.Scores[3]))
	}
	// A trainee's averages are per scenario: one row for each.
	b.WriteString("\n## Trainees\n\n")
	b.WriteString("| Trainee | Scenario | Attempts | First 30 seconds | Empathy | Difficult customers | Overall | Overall trend |\n")
	b.WriteString("|---|---|--:|--:|--:|--:|--:|---|\n")
	for _, g := range rep.Trainees {
		for _, sg := range g.Scenarios {
			fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", mdCell(g.Name), mdCell(sg.Name), attempts(sg), scoreCells(sg))
		}
	}
	weakest(rep.Trainees)
	b.WriteString("\n## Scenarios\n\n")
	b.WriteString("| Scenario | Attempts | First 30 seconds | Empathy | Difficult customers | Overall | Overall trend |\n")
	b.WriteString("|---|--:|--:|--:|--:|--:|---|\n")
	var groups []Group
	for _, s := range rep.Scenarios {
		fmt.Fprintf(&b, "| %s | %s | %s |\n", mdCell(s.Name), attempts(s.Group), scoreCells(s.Group))
		groups = append(groups, s.Group)
	}
	weakest(groups)
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
	if len(rep.Drills) > 0 {
		b.WriteString("\n## Drills\n\n")
		b.WriteString("| Trainee | Drill | Rounds | Score | Best answers | Dead air | Trend |\n|---|---|--:|--:|--:|--:|---|\n")
		for _, d := range rep.Drills {
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %d | %s |\n", mdCell(d.Trainee), mdCell(d.Drill), rounds(d),
				meanSD(d.Score), bestOf(d), d.DeadAir, trend(d.Score))
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
