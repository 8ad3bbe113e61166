package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/rapport-sim/rapport/internal/results"
	"github.com/rapport-sim/rapport/internal/textsafe"
)

func init() { register(replayCmd()) }

func replayCmd() *command {
	return &command{
		name:  "replay",
		args:  "RECORD [--results DIR] [--scenarios DIR]",
		short: "replay a saved attempt and show its debrief",
		long: `Replay a saved attempt through the engine and the scoring model and print its
debrief. RECORD is a record file, or a record id (or the start of one, such as
its date) in the results folder.

If the scenario has changed since the attempt (its file hash differs), the
replay uses today's version and says so. If the scenario is not in the library
(use --scenarios DIR) or no longer fits the recorded choices, the summary
saved with the attempt is printed instead and the exit status is 1.`,
		define: func(fs *flag.FlagSet) func(*env, []string) int {
			var dir, scenariosDir string
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
				shown := attemptDebrief(rec, scenariosDir)
				if shown.changed {
					fmt.Fprintf(e.stderr, "rapport replay: warning: scenario %q has changed since %s was played (hash %.12s, now different); replayed on today's version\n",
						textsafe.Line(rec.Scenario.ID), rec.ID, textsafe.Line(rec.Scenario.Hash))
				}
				if _, err := io.WriteString(e.stdout, shown.text); err != nil {
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
