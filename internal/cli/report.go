package cli

import (
	"flag"
	"fmt"
	"slices"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/rapport-sim/rapport/internal/report"
	"github.com/rapport-sim/rapport/internal/results"
)

func reportCmd() *command {
	return &command{
		heap:  bigHeap,
		name:  "report",
		args:  "[PATH...] [--trainee NAME] [--scenario ID] [--format table|csv|json|markdown] [--per fact|attempt]",
		short: "trainer's report over a folder of results",
		long: `Summarise attempts for a trainer: per trainee and per scenario, the average and
spread of each score with the trend over attempts, the weakest behaviours
(negatives that recur, positives that are missing), and for each decision point
the share of attempts that took each choice. A trainee's averages are per
scenario: an easy call and a hard one are never averaged together.

--format csv writes one row per fact (for a pivot table); with --per attempt
it writes one row per attempt instead: trainee, scenario, version, date,
duration, outcome, the three scores, overall, band, mode and whether it was
abandoned (abandoned attempts are counted, not scored: their scores are
empty). The table fits 80 columns; in a terminal a report taller than the
screen goes through $PAGER, or less, or a built-in pager (q quits); --plain,
PAGER=cat, or output that is not a terminal print it as it is.

PATH is a results folder or record files; the default is the results folder.
A class that plays with --results pointing at one shared folder is reported on
with 'rapport report FOLDER'. Files that are not valid records are skipped with
a warning on stderr.`,
		define: func(fs *flag.FlagSet) func(*env, []string) int {
			var f report.Filter
			var dir string
			format, per := "table", "fact"
			fs.StringVar(&f.Trainee, "trainee", "", "only the attempts of trainee `NAME`")
			fs.StringVar(&f.Scenario, "scenario", "", "only the attempts at scenario `ID`")
			fs.StringVar(&format, "format", format, "output `format`: "+strings.Join(report.Formats, ", "))
			fs.StringVar(&per, "per", per, "CSV rows: one per `fact` or one per attempt")
			var plain bool
			fs.BoolVar(&plain, "plain", false, "print the report as it is, never through a pager")
			resultsFlag(fs, &dir)
			return func(e *env, args []string) int {
				if !slices.Contains(report.Formats, format) {
					fmt.Fprintf(e.stderr, "rapport report: unknown format %q (use %s)\n", format, strings.Join(report.Formats, ", "))
					return ExitUsage
				}
				switch {
				case per != "fact" && per != "attempt":
					fmt.Fprintf(e.stderr, "rapport report: --per %q: use fact or attempt\n", per)
					return ExitUsage
				case per == "attempt" && format != "csv":
					fmt.Fprintln(e.stderr, "rapport report: --per attempt is for --format csv")
					return ExitUsage
				}
				paths, ok := resultPaths(e, "report", dir, args)
				if !ok {
					return ExitFailure
				}
				defer collectLate(e.getenv, reportMemoryLimit)()
				// The report is built as the records are read, never
				// holding them all: a folder of any size fits in memory.
				// Only a row per attempt needs the records themselves.
				var b report.Builder
				var recs []*results.Record
				add := func(r *results.Record) {
					switch {
					case !f.Match(r):
					case per == "attempt":
						recs = append(recs, r)
					default:
						b.Add(r)
					}
				}
				// The sums keep only strings of a record: its memory is
				// reused for the next, unless rows per attempt keep them.
				each := results.EachTransient
				if per == "attempt" {
					each = results.Each
				}
				if !eachResult(e, "report", each, results.Brief, len(args) > 0, add, paths...) {
					return ExitFailure
				}
				results.SortByTime(recs)
				rep := b.Report()
				// Written whole, then paged: a pager shows it from the top.
				var out strings.Builder
				var err error
				switch {
				case per == "attempt":
					err = report.WriteAttemptsCSV(&out, recs)
				case format == "csv":
					err = report.WriteCSV(&out, rep)
				case format == "json":
					err = report.WriteJSON(&out, rep)
				case format == "markdown":
					err = report.WriteMarkdown(&out, rep)
				default:
					// Colour is decided by the real output, not the buffer.
					err = report.WriteTable(&out, rep, lipgloss.NewRenderer(e.stdout, termenv.WithEnvironment(environ{e.getenv})))
				}
				if err == nil {
					err = page(e, "rapport report", out.String(), plain)
				}
				if err != nil {
					fmt.Fprintf(e.stderr, "rapport report: %v\n", err)
					return ExitFailure
				}
				return ExitOK
			}
		},
	}
}

// resultPaths is the PATH arguments, or the results folder (--results, or
// the default) when there are none.
func resultPaths(e *env, cmd, dir string, args []string) ([]string, bool) {
	if len(args) > 0 {
		if dir != "" {
			args = append(args, dir)
		}
		return args, true
	}
	d, err := resultsDir(e, dir)
	if err != nil {
		fmt.Fprintf(e.stderr, "rapport %s: %v\n", cmd, err)
		return nil, false
	}
	return []string{d}, true
}

// reportMemoryLimit is the memory a report may use before the collector
// runs at all (collectLate). A report over 10,000 records read through the
// folder's index allocates about 15 MB and never reaches it (24 MB
// resident, of the 40 MiB it may take, against 22 MB collected as usual);
// one that reads the records themselves (no index yet) or a bigger folder
// reaches it and is collected from there on as usual (10,000 records
// without the index: 28 MB resident, against 25 MB).
const reportMemoryLimit = 24 << 20
