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

func init() { register(reportCmd()) }

func reportCmd() *command {
	return &command{
		name:  "report",
		args:  "[PATH...] [--trainee NAME] [--scenario ID] [--format table|csv|json|markdown]",
		short: "trainer's report over a folder of results",
		long: `Summarise attempts for a trainer: per trainee and per scenario, the average and
spread of each score with the trend over attempts, the weakest behaviours
(negatives that recur, positives that are missing), and for each decision point
the share of attempts that took each choice.

PATH is a results folder or record files; the default is the results folder.
A class that plays with --results pointing at one shared folder is reported on
with 'rapport report FOLDER'. Files that are not valid records are skipped with
a warning on stderr.`,
		define: func(fs *flag.FlagSet) func(*env, []string) int {
			var f report.Filter
			var dir string
			format := "table"
			fs.StringVar(&f.Trainee, "trainee", "", "only the attempts of trainee `NAME`")
			fs.StringVar(&f.Scenario, "scenario", "", "only the attempts at scenario `ID`")
			fs.StringVar(&format, "format", format, "output `format`: "+strings.Join(report.Formats, ", "))
			resultsFlag(fs, &dir)
			return func(e *env, args []string) int {
				if !slices.Contains(report.Formats, format) {
					fmt.Fprintf(e.stderr, "rapport report: unknown format %q (use %s)\n", format, strings.Join(report.Formats, ", "))
					return ExitUsage
				}
				paths, ok := resultPaths(e, "report", dir, args)
				if !ok {
					return ExitFailure
				}
				// The report is built as the records are read, never
				// holding them all: a folder of any size fits in memory.
				var b report.Builder
				add := func(r *results.Record) {
					if f.Match(r) {
						b.Add(r)
					}
				}
				if !eachResult(e, "report", results.Brief, len(args) > 0, add, paths...) {
					return ExitFailure
				}
				rep := b.Report()
				var err error
				switch format {
				case "csv":
					err = report.WriteCSV(e.stdout, rep)
				case "json":
					err = report.WriteJSON(e.stdout, rep)
				case "markdown":
					err = report.WriteMarkdown(e.stdout, rep)
				default:
					err = report.WriteTable(e.stdout, rep, lipgloss.NewRenderer(e.stdout, termenv.WithEnvironment(environ{e.getenv})))
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
