package cli

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/rapport-sim/rapport/internal/config"
	"github.com/rapport-sim/rapport/internal/drill"
	"github.com/rapport-sim/rapport/internal/results"
	"github.com/rapport-sim/rapport/internal/textsafe"
	drilltui "github.com/rapport-sim/rapport/internal/tui/drill"
	"github.com/rapport-sim/rapport/internal/version"
	"github.com/rapport-sim/rapport/scenarios"
)

// defaultDrillCount keeps a round short enough to repeat: ten openers take
// two or three minutes.
const defaultDrillCount = 10

func drillCmd() *command {
	return &command{
		name:  "drill",
		args:  "ID|FILE [--timed 8s] [--plain] [--count N] [--seed S] [--name NAME] [--results DIR] [--scenarios DIR]",
		short: "rapid practice of one skill, such as openings",
		long: `Rapid practice: customers' first lines one after another. Press 1-4 for the
opening you would use; each pick is rated at once (best, good, weak or poor)
with the reason, the best opening when you missed it, and what the scoring
model heard. A summary ends the round: the score, how you did by mood and by
channel, and the principles you missed most.

  rapport drill openings               ten openers in a random order
  rapport drill openings --timed 8s    eight seconds per opener; silence is dead air
  rapport drill openings --count 0     every opener in the drill

The order comes from --seed; the summary prints the seed, so the same round
can be run again or handed to a class. --plain prints plain lines and reads
numbers from standard input, for screen readers and scripts:
  printf '1\n3\n2\n' | rapport drill openings --count 3 --seed 7 --plain
Plain mode is also used when standard input or output is not a terminal, or
when ACCESSIBLE is set. Input that ends before the last opener abandons the
round and exits with status 1.

Every round is saved as a drill record in the results folder (an abandoned
one too, once an opener was answered), under --name or the remembered name;
'rapport history' lists it and 'rapport report' sums drills up per trainee.`,
		define: func(flags *flag.FlagSet) func(*env, []string) int {
			o := drillOptions{count: defaultDrillCount}
			scenariosFlag(flags, &o.dir)
			flags.DurationVar(&o.timed, "timed", 0, "time allowed per opener, such as `8s`; running out counts as dead air")
			flags.BoolVar(&o.plain, "plain", false, "plain text mode: numbered lines, answers from standard input")
			flags.IntVar(&o.count, "count", o.count, "openers in the round (`N`); 0 means all")
			flags.Uint64Var(&o.seed, "seed", 0, "order the openers with this `seed` (default: a new order each time)")
			flags.StringVar(&o.name, "name", "", "save the round under this trainee `NAME` (default: the remembered name)")
			resultsFlag(flags, &o.results)
			return func(e *env, args []string) int {
				flags.Visit(func(f *flag.Flag) { o.seeded = o.seeded || f.Name == "seed" })
				switch {
				case len(args) == 0:
					return drillUsage(e, o.dir)
				case len(args) > 1:
					fmt.Fprintf(e.stderr, "rapport drill: one drill at a time (got %d)\n", len(args))
					return ExitUsage
				case o.count < 0:
					fmt.Fprintf(e.stderr, "rapport drill: --count must be 0 (all) or more, not %d\n", o.count)
					return ExitUsage
				case badTimed(flags, o.timed):
					fmt.Fprintf(e.stderr, "rapport drill: --timed must be at least 1s (got %s); leave it out for untimed practice\n", o.timed)
					return ExitUsage
				}
				if !o.seeded {
					o.seed = uint64(time.Now().UnixNano())
				}
				o.target = args[0]
				return runDrill(e, o)
			}
		},
	}
}

type drillOptions struct {
	dir, target   string
	name, results string
	timed         time.Duration
	plain         bool
	count         int
	seed          uint64
	seeded        bool
}

// drillFS is the folder drills are looked up in: the built-in library, or
// --scenarios DIR.
func drillFS(dir string) (fs.FS, error) {
	if dir == "" {
		return scenarios.FS, nil
	}
	info, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("scenario folder: %w", err)
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("scenario folder %s is not a folder", dir)
	}
	return config.RegularFS(dir), nil
}

// drillUsage answers `rapport drill` with no drill named: the drills there
// are, and how to start one.
func drillUsage(e *env, dir string) int {
	fmt.Fprintln(e.stderr, "rapport drill: name the drill to run, for example: rapport drill openings")
	fsys, err := drillFS(dir)
	if err != nil {
		fmt.Fprintf(e.stderr, "rapport drill: %v\n", err)
		return ExitUsage
	}
	drills, _, err := drill.LoadDir(fsys)
	if err != nil {
		fmt.Fprintf(e.stderr, "rapport drill: %v\n", err)
		return ExitUsage
	}
	for _, d := range drills {
		fmt.Fprintf(e.stderr, "  %-12s %s (%d openers)\n", d.ID, textsafe.Text(d.Title), len(d.Openers))
	}
	return ExitUsage
}

// loadDrill finds the drill the argument names: a drill file, or an id in
// the library. Problems are printed; the error is errReported then.
func loadDrill(e *env, o drillOptions) (*drill.Drill, error) {
	if looksLikeFile(o.target) {
		src, err := readScenarioFile(o.target)
		if err != nil {
			fmt.Fprintf(e.stderr, "rapport drill: %v\n", err)
			return nil, errReported
		}
		done := whileReading()
		d, diags := drill.Parse(o.target, src)
		done()
		if diags.HasErrors() {
			printDiagnostics(e.stderr, diags.Errors())
			fmt.Fprintf(e.stderr, "rapport drill: %s has errors; fix them and try again (rapport check %s)\n", o.target, o.target)
			return nil, errReported
		}
		return d, nil
	}
	fsys, err := drillFS(o.dir)
	if err != nil {
		fmt.Fprintf(e.stderr, "rapport drill: %v\n", err)
		return nil, errReported
	}
	d, diags, err := drill.Find(fsys, o.target)
	if o.dir != "" {
		for i := range diags {
			diags[i].File = filepath.Join(o.dir, diags[i].File)
		}
	}
	switch {
	case errors.Is(err, drill.ErrInvalid):
		printDiagnostics(e.stderr, diags.Errors())
		fmt.Fprintf(e.stderr, "rapport drill: drill %q has errors; fix them and try again\n", o.target)
		return nil, errReported
	case errors.Is(err, drill.ErrNotFound):
		fmt.Fprintf(e.stderr, "rapport drill: no drill with id %q\n", o.target)
		if drills, _, _ := drill.LoadDir(fsys); len(drills) > 0 {
			ids := make([]string, len(drills))
			for i, d := range drills {
				ids[i] = d.ID
			}
			fmt.Fprintf(e.stderr, "  hint: the drills are: %s\n", strings.Join(ids, ", "))
		}
		return nil, errReported
	case err != nil:
		fmt.Fprintf(e.stderr, "rapport drill: %v\n", err)
		return nil, errReported
	}
	return d, nil
}

func runDrill(e *env, o drillOptions) int {
	d, err := loadDrill(e, o)
	if err != nil {
		return ExitFailure
	}
	s := drill.NewSession(d, drill.Options{Seed: o.seed, Count: o.count, Limit: o.timed})
	started := time.Now()
	plainMode := o.plain || e.getenv("ACCESSIBLE") != "" || !fullScreen(e)
	var code int
	if plainMode {
		code = drillPlain(e, o, s)
	} else {
		code = drillTUI(e, o, s)
	}
	if len(s.Results()) == 0 {
		return code
	}
	path, err := saveDrill(e, o, s, traineeName(e, o.name, false), started, time.Now())
	if err != nil {
		return ExitFailure
	}
	what := "Drill saved"
	if !s.Done() {
		what = "Unfinished drill saved"
	}
	fmt.Fprintf(e.stderr, "%s: %s\n  all attempts and drills: rapport history\n", what, path)
	return code
}

// saveDrill writes the round as a drill record. A failure is reported and
// returned.
func saveDrill(e *env, o drillOptions, s *drill.Session, trainee string, started, ended time.Time) (string, error) {
	rec, err := drillRecord(s, trainee, started, ended)
	if err == nil {
		var dir string
		if dir, err = resultsDir(e, o.results); err == nil {
			var store *results.Store
			if store, err = results.Open(dir); err == nil {
				var path string
				if path, err = store.Save(rec); err == nil {
					return path, nil
				}
			}
		}
	}
	fmt.Fprintf(e.stderr, "rapport drill: your round was NOT saved: %v\n", err)
	return "", err
}

// drillRecord is the record of a round as far as it went.
func drillRecord(s *drill.Session, trainee string, started, ended time.Time) (*results.Record, error) {
	id, err := results.NewID(started, nil)
	if err != nil {
		return nil, err
	}
	d := s.Drill()
	sum := s.Summary()
	round := &results.DrillRound{Seed: s.Seed(), Count: s.Len(), Best: sum.Best, Points: sum.Points, MaxPoints: sum.MaxPoints, DeadAir: sum.DeadAir}
	for _, r := range s.Results() {
		a := results.DrillAnswer{
			Opener: r.Opener.ID, Channel: string(r.Opener.Channel), Mood: string(r.Opener.Mood), Say: r.Opener.Say,
			Rating: string(r.Rating), Principle: string(r.Principle()), DeadAir: r.DeadAir, Took: results.Duration(r.Took),
		}
		if r.Picked != nil {
			a.Picked, a.PickedSay = r.Picked.Number, r.Picked.Say
		}
		if best, n := r.Best(); best != nil {
			a.BestPick, a.BestSay = n, best.Say
		}
		round.Answers = append(round.Answers, a)
	}
	rec := &results.Record{
		Schema: results.DrillSchema, ID: id, Kind: results.KindDrill, Trainee: trainee,
		Scenario: results.ScenarioRef{ID: d.ID, Title: d.Title, Version: d.Version},
		Mode:     results.Choices, Status: results.Finished, Started: started, Ended: ended,
		Version: version.String(), Drill: round,
	}
	if s.Limit() > 0 {
		rec.Mode, rec.Limit = results.Timed, results.Duration(s.Limit())
	}
	if !s.Done() {
		rec.Status = results.Abandoned
	}
	if err := rec.Validate(); err != nil {
		return nil, fmt.Errorf("record of drill %s: %w", d.ID, err)
	}
	return rec, nil
}

func drillPlain(e *env, o drillOptions, s *drill.Session) int {
	waitForSignals() // as in playPlain: the round must be saved on a signal
	opts := drill.PlainOptions{Detect: drill.Heard}
	if o.timed > 0 {
		opts.Now = time.Now
	}
	err := drill.RunPlain(e.stdin, e.stdout, s, opts)
	switch {
	case errors.Is(err, drill.ErrAbandoned):
		fmt.Fprintf(e.stderr, "rapport drill: drill abandoned after %d of %d openers; nothing was scored\n", s.Index(), s.Len())
		return ExitFailure
	case err != nil:
		fmt.Fprintf(e.stderr, "rapport drill: %v\n", err)
		return ExitFailure
	}
	printRepeat(e, o, s)
	return ExitOK
}

func drillTUI(e *env, o drillOptions, s *drill.Session) int {
	r := lipgloss.NewRenderer(e.stdout, termenv.WithEnvironment(environ{e.getenv}))
	r.SetHasDarkBackground(darkBackground(e))
	m := drilltui.New(drilltui.Options{Session: s, Renderer: r, Detect: drill.Heard})
	final, err := runProgram(e, m)
	switch {
	case errors.Is(err, tea.ErrInterrupted), errors.Is(err, tea.ErrProgramKilled):
		return ExitAborted
	case err != nil:
		fmt.Fprintf(e.stderr, "rapport drill: %v\n", err)
		return ExitFailure
	}
	fm, ok := final.(drilltui.Model)
	if !ok {
		return ExitFailure
	}
	switch fm.Outcome() {
	case drilltui.Interrupted:
		return ExitAborted
	case drilltui.Finished:
		// The full screen is gone: leave the summary in the terminal.
		if err := drill.WriteSummary(e.stdout, s.Summary()); err != nil {
			fmt.Fprintf(e.stderr, "rapport drill: %v\n", err)
			return ExitFailure
		}
		printRepeat(e, o, s)
		return ExitOK
	}
	fmt.Fprintf(e.stderr, "rapport drill: drill abandoned after %d of %d openers; nothing was scored\n", s.Index(), s.Len())
	return ExitFailure
}

// printRepeat says how to run the same round again.
func printRepeat(e *env, o drillOptions, s *drill.Session) {
	again := fmt.Sprintf("rapport drill %s --seed %d", o.target, s.Seed())
	if o.count != defaultDrillCount {
		again += fmt.Sprintf(" --count %d", o.count)
	}
	if o.timed > 0 {
		again += " --timed " + o.timed.String()
	}
	if o.dir != "" {
		again += " --scenarios " + o.dir
	}
	fmt.Fprintf(e.stdout, "Same round again: %s\n", again)
}

// environ lets termenv read the command's environment (NO_COLOR,
// CLICOLOR_FORCE, TERM) through the injected getenv, so tests and SSH
// sessions decide colour, not the process.
type environ struct{ getenv func(string) string }

func (v environ) Getenv(k string) string { return v.getenv(k) }

func (v environ) Environ() []string {
	var out []string
	for _, k := range []string{"TERM", "COLORTERM", "NO_COLOR", "CLICOLOR", "CLICOLOR_FORCE"} {
		if val := v.getenv(k); val != "" {
			out = append(out, k+"="+val)
		}
	}
	return out
}
