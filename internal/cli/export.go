package cli

import (
	"context"
	"flag"
	"fmt"

	"github.com/rapport-sim/rapport/internal/debrief"
	"github.com/rapport-sim/rapport/internal/report"
	"github.com/rapport-sim/rapport/internal/results"
	"github.com/rapport-sim/rapport/internal/textsafe"
)

func exportCmd() *command {
	return &command{
		name:  "export",
		args:  "--format xapi [PATH...] [--trainee NAME] [--scenario ID] [--account-homepage URL] [--lrs URL]",
		short: "export results as xAPI statements",
		long:  exportLong(),
		define: func(fs *flag.FlagSet) func(*env, []string) int {
			var f report.Filter
			var dir, format, store string
			o := report.XAPIOptions{HomePage: report.DefaultHomePage}
			batch := 0
			fs.StringVar(&format, "format", "", "export `format`: xapi")
			fs.StringVar(&o.HomePage, "account-homepage", o.HomePage, "the `URL` of the system trainees' names belong to")
			if sender != nil {
				batch = sender.DefaultBatch
				fs.StringVar(&store, "lrs", "", "send the statements to the learning record store at `URL`")
				fs.IntVar(&batch, "batch", batch, "statements per request to the store (with --lrs)")
			} else {
				fs.StringVar(&store, "lrs", "", "send to the learning record store at `URL`: in "+networkProgram+" only")
			}
			fs.StringVar(&f.Trainee, "trainee", "", "only the attempts of trainee `NAME`")
			fs.StringVar(&f.Scenario, "scenario", "", "only the attempts at scenario `ID`")
			resultsFlag(fs, &dir)
			return func(e *env, args []string) int {
				if format != "xapi" {
					fmt.Fprintln(e.stderr, "rapport export: give --format xapi (the one export format)")
					return ExitUsage
				}
				if err := report.CheckHomePage(o.HomePage); err != nil {
					fmt.Fprintf(e.stderr, "rapport export: --account-homepage: %v\n", err)
					return ExitUsage
				}
				if store != "" && sender == nil {
					pointToServer(e.stderr, "rapport export", "sending to a learning record store", networkProgram+" export --format xapi --lrs URL …")
					return ExitUsage
				}
				if store != "" {
					if err := sender.Check(store); err != nil {
						fmt.Fprintf(e.stderr, "rapport export: --lrs: %v\n", err)
						return ExitUsage
					}
				}
				if sender != nil && batch < 1 {
					fmt.Fprintf(e.stderr, "rapport export: --batch %d: give at least 1\n", batch)
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
				if store != "" {
					return sendToStore(e, store, batch, f.Apply(recs), o)
				}
				if err := report.WriteXAPI(e.stdout, f.Apply(recs), o); err != nil {
					fmt.Fprintf(e.stderr, "rapport export: %v\n", err)
					return ExitFailure
				}
				return ExitOK
			}
		},
	}
}

// exportLong is export's help; it depends on whether this program can send
// (see Extend).
func exportLong() string {
	return `Export attempts as xAPI statements (a JSON array) for a learning record store:
every answer as an "answered" statement (a typed line as "responded") with its
own time and duration, and each attempt as "completed" with the overall score
scaled to 0..1, success when the band is Solid or better and the three scores
as extensions, or "abandoned" with no score. Statement ids are derived from the
record ids, so exporting the same attempts twice gives the same statements.

Trainees are accounts on --account-homepage: the address of the system their
names belong to, such as your learning platform (default ` + report.DefaultHomePage + `).

` + sendingHelp() + `

PATH is a results folder or record files; the default is the results folder.`
}

// sendingHelp is export's paragraph about --lrs.
func sendingHelp() string {
	if sender != nil {
		return sender.Help
	}
	return "Sending the statements to a learning record store (--lrs URL) is done by " + networkProgram + ",\nwhich holds Rapport's network code: " + program + " itself never opens a connection."
}

// sendToStore posts the statements of recs to a learning record store and
// says what it did.
func sendToStore(e *env, store string, batch int, recs []*results.Record, o report.XAPIOptions) int {
	var sts []report.Statement
	for _, r := range recs {
		sts = append(sts, report.Statements(r, o)...)
	}
	ctx := e.ctx
	if ctx == nil {
		ctx = context.Background()
	}
	sent, kept, err := sender.Send(ctx, store, batch, sts, e.getenv)
	if err != nil {
		fmt.Fprintf(e.stderr, "rapport export: %v\n%d of %d statements reached the store; run the same command again to send the rest (nothing is stored twice).\n", err, sent+kept, len(sts))
		return ExitFailure
	}
	held := ""
	if kept > 0 {
		held = fmt.Sprintf("; it kept %d it already had in another form (sent before with other options, or from a changed record)", kept)
	}
	fmt.Fprintf(e.stdout, "Sent %s (%s) to %s%s.\n",
		debrief.Plural(len(sts), "statement", "statements"), debrief.Plural(len(recs), "attempt", "attempts"), textsafe.Line(store), held)
	return ExitOK
}
