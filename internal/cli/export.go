package cli

import (
	"flag"
	"fmt"

	"github.com/rapport-sim/rapport/internal/report"
	"github.com/rapport-sim/rapport/internal/results"
)

func init() { register(exportCmd()) }

func exportCmd() *command {
	return &command{
		name:  "export",
		args:  "--format xapi [PATH...] [--trainee NAME] [--scenario ID]",
		short: "export results as xAPI statements",
		long: `Export attempts as xAPI statements (a JSON array) for a learning record store:
every choice as an "answered" statement (a typed line as "responded") with its
result, and each attempt as "completed" (or "attempted" if abandoned) with the
overall score scaled to 0..1 and the three scores as extensions. Statement ids
are derived from the record ids, so exporting the same attempts twice gives the
same statements and a store can ignore the repeats.

PATH is a results folder or record files; the default is the results folder.`,
		define: func(fs *flag.FlagSet) func(*env, []string) int {
			var f report.Filter
			var dir, format string
			fs.StringVar(&format, "format", "", "export `format`: xapi")
			fs.StringVar(&f.Trainee, "trainee", "", "only the attempts of trainee `NAME`")
			fs.StringVar(&f.Scenario, "scenario", "", "only the attempts at scenario `ID`")
			resultsFlag(fs, &dir)
			return func(e *env, args []string) int {
				if format != "xapi" {
					fmt.Fprintln(e.stderr, "rapport export: give --format xapi (the one export format)")
					return ExitUsage
				}
				paths, ok := resultPaths(e, "export", dir, args)
				if !ok {
					return ExitFailure
				}
				recs, ok := readResults(e, "export", results.Full, len(args) > 0, paths...)
				if !ok {
					return ExitFailure
				}
				if err := report.WriteXAPI(e.stdout, f.Apply(recs)); err != nil {
					fmt.Fprintf(e.stderr, "rapport export: %v\n", err)
					return ExitFailure
				}
				return ExitOK
			}
		},
	}
}
