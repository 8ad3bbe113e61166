package cli

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/rapport-sim/rapport/internal/results"
	"github.com/rapport-sim/rapport/internal/textsafe"
)

func replayCmd() *command {
	return &command{
		name:  "replay",
		args:  "RECORD [--plain] [--results DIR] [--scenarios DIR]",
		short: "replay a saved attempt and show its debrief",
		long: `Replay a saved attempt through the engine and the scoring model and print its
debrief. RECORD is a record file, or a record id (or the start of one, such as
its date) in the results folder.

If the scenario has changed since the attempt (its file hash differs), the
replay uses today's version and says so. If the scenario is not in the library
(use --scenarios DIR) or no longer fits the recorded choices, the summary
saved with the attempt is printed instead and the exit status is 1.

In a terminal a debrief taller than the screen goes through $PAGER, or less,
or a built-in pager (q quits); --plain, PAGER=cat, or output that is not a
terminal print it as it is.`,
		define: func(fs *flag.FlagSet) func(*env, []string) int {
			var dir, scenariosDir string
			var plain bool
			fs.BoolVar(&plain, "plain", false, "print the debrief as plain text, never through a pager (for screen readers)")
			resultsFlag(fs, &dir)
			scenariosFlag(fs, &scenariosDir)
			return func(e *env, args []string) int {
				if len(args) != 1 {
					fmt.Fprintln(e.stderr, "rapport replay: give one record (a file or an id)")
					return ExitUsage
				}
				rec, err := findRecord(e, dir, args[0])
				if err != nil {
					// The error may name files of a shared folder.
					fmt.Fprintf(e.stderr, "rapport replay: %s\n", textsafe.Text(err.Error()))
					return ExitFailure
				}
				if rec.IsDrill() {
					if err := page(e, "rapport replay "+rec.ID, drillRecordText(rec), plain); err != nil {
						fmt.Fprintf(e.stderr, "rapport replay: %v\n", err)
						return ExitFailure
					}
					return ExitOK
				}
				shown := attemptDebrief(rec, scenariosDir)
				if shown.changed {
					fmt.Fprintf(e.stderr, "rapport replay: warning: scenario %q has changed since %s was played (hash %.12s, now different); replayed on today's version\n",
						textsafe.Line(rec.Scenario.ID), rec.ID, textsafe.Line(rec.Scenario.Hash))
				}
				if err := page(e, "rapport replay "+rec.ID, shown.text, plain); err != nil {
					fmt.Fprintf(e.stderr, "rapport replay: %v\n", err)
					return ExitFailure
				}
				if !shown.replayed {
					fmt.Fprintf(e.stderr, "rapport replay: %s was not replayed; its saved summary is shown\n", rec.ID)
					return ExitFailure
				}
				return ExitOK
			}
		},
	}
}

// findRecord reads RECORD: a file if it names one, else an id or id
// prefix in the results folder.
func findRecord(e *env, dir, arg string) (*results.Record, error) {
	if info, err := os.Stat(arg); err == nil && !info.IsDir() {
		return results.ReadFile(arg)
	}
	if strings.HasSuffix(arg, results.Ext) || strings.ContainsAny(arg, `/\`) {
		return nil, fmt.Errorf("no record file %s", arg)
	}
	d, err := resultsDir(e, dir)
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(d); err != nil {
		return nil, fmt.Errorf("no results folder %s: %w", d, errors.Unwrap(err))
	}
	store, err := results.Open(d)
	if err != nil {
		return nil, err
	}
	rec, err := store.Find(arg)
	if errors.Is(err, results.ErrNotFound) {
		return nil, fmt.Errorf("%w\n  hint: 'rapport history --all --plain' lists the ids", err)
	}
	return rec, err
}

// drillRecordText is a saved drill round as text: who, when, the score,
// and every opener with the pick, its rating and the best opening.
func drillRecordText(r *results.Record) string {
	var b strings.Builder
	line := textsafe.Line
	d := r.Drill
	fmt.Fprintf(&b, "DRILL %s: %s\n", line(r.Scenario.ID), line(r.Scenario.Title))
	status := "finished"
	if r.Status != results.Finished {
		status = fmt.Sprintf("abandoned after %d of %d openers", len(d.Answers), d.Count)
	}
	fmt.Fprintf(&b, "%s · %s · %s · %s\n", line(r.Trainee), r.Started.Local().Format("2006-01-02 15:04"), r.Mode, status)
	if p, ok := d.Percent(); ok {
		fmt.Fprintf(&b, "Score: %d%% (%d of %d best, %d of %d points", p, d.Best, len(d.Answers), d.Points, d.MaxPoints)
		if d.DeadAir > 0 {
			fmt.Fprintf(&b, ", dead air %d", d.DeadAir)
		}
		b.WriteString(")\n")
	}
	for i, a := range d.Answers {
		fmt.Fprintf(&b, "\n%d. %s, %s, %s: %q\n", i+1, line(a.Opener), line(a.Channel), line(a.Mood), line(a.Say))
		switch {
		case a.Picked == 0:
			b.WriteString("   No answer in time: dead air (poor)\n")
		default:
			late := ""
			if a.DeadAir {
				late = ", too late: dead air"
			}
			fmt.Fprintf(&b, "   You picked %d (%s%s): %q\n", a.Picked, line(a.Rating), late, line(a.PickedSay))
		}
		if a.Rating != "best" && a.BestPick > 0 {
			fmt.Fprintf(&b, "   Best was %d: %q\n", a.BestPick, line(a.BestSay))
		}
	}
	b.WriteString("\nSame round again: rapport drill " + line(r.Scenario.ID) + fmt.Sprintf(" --seed %d --count %d", d.Seed, d.Count))
	if r.Limit > 0 {
		b.WriteString(" --timed " + time.Duration(r.Limit).String())
	}
	b.WriteString("\n")
	return b.String()
}
