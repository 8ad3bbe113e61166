package cli

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/term"
	"github.com/muesli/termenv"

	"github.com/rapport-sim/rapport/internal/config"
	"github.com/rapport-sim/rapport/internal/presence"
	"github.com/rapport-sim/rapport/internal/report"
	"github.com/rapport-sim/rapport/internal/results"
	"github.com/rapport-sim/rapport/internal/textsafe"
	"github.com/rapport-sim/rapport/internal/tui/class"
)

// exportFormats are the formats e can write the class report in.
var exportFormats = []string{"markdown", "csv", "json"}

type classOptions struct {
	results, scenarios, assign string
	out, format                string
	interval                   time.Duration
	once                       bool
}

func classCmd() *command {
	return &command{
		name:  "class",
		args:  "[--results DIR] [--out DIR] [--format markdown|csv|json] [--once]",
		short: "live dashboard of a class (beside rapport-server serve)",
		long: `Watch a class as it plays: who is connected and what they are doing (scenario and
decision point), who has played, their scores so far, and for each assigned
scenario the share of the class on every choice at every decision point, with
the best choice marked. It reads the results folder every --interval, so it
works beside 'rapport-server serve' (same --results) or on any shared results folder.
Press e to write the class report (rapport report) to a file in --out and see
where it went; tab switches scenario, q quits.

Who is connected comes from the presence files rapport-server serve keeps in
<results>/live; without a server running, the dashboard shows saved attempts
only. With output that is not a terminal, or --once, it prints the dashboard
once, every scenario in turn, and exits.`,
		define: func(fs *flag.FlagSet) func(*env, []string) int {
			o := classOptions{out: ".", format: "markdown", interval: class.DefaultInterval}
			resultsFlag(fs, &o.results)
			scenariosFlag(fs, &o.scenarios)
			fs.StringVar(&o.assign, "assign", "", "show these scenarios first: `IDS` separated by commas (default: what the server assigned)")
			fs.StringVar(&o.out, "out", o.out, "folder `DIR` the e key writes the class report to")
			fs.StringVar(&o.format, "format", o.format, "class report `format`: "+strings.Join(exportFormats, ", "))
			fs.DurationVar(&o.interval, "interval", o.interval, "time between reads of the results folder")
			fs.BoolVar(&o.once, "once", false, "print the dashboard once and exit")
			return func(e *env, args []string) int {
				if len(args) > 0 {
					fmt.Fprintf(e.stderr, "rapport class: unexpected argument %q\n", args[0])
					return ExitUsage
				}
				if !slices.Contains(exportFormats, o.format) {
					fmt.Fprintf(e.stderr, "rapport class: unknown format %q (use %s)\n", o.format, strings.Join(exportFormats, ", "))
					return ExitUsage
				}
				if o.interval < 100*time.Millisecond {
					fmt.Fprintf(e.stderr, "rapport class: --interval must be at least 100ms (got %s)\n", o.interval)
					return ExitUsage
				}
				return runClass(e, o)
			}
		},
	}
}

func runClass(e *env, o classOptions) int {
	dir, err := resultsDir(e, o.results)
	if err != nil {
		fmt.Fprintf(e.stderr, "rapport class: %v\n", err)
		return ExitFailure
	}
	// The library only adds the choices nobody has taken yet; a class
	// played from other scenarios is still shown from its records.
	lib, _, err := loadLibrary(o.scenarios)
	if err != nil {
		fmt.Fprintf(e.stderr, "rapport class: %v\n", err)
		return ExitFailure
	}
	var assigned []string
	for _, id := range strings.Split(o.assign, ",") {
		if id = strings.TrimSpace(id); id != "" {
			assigned = append(assigned, id)
		}
	}
	opts := class.Options{
		Load: func() (class.Snapshot, error) {
			snap, _, err := readClass(dir, time.Now())
			return snap, err
		},
		Export:    func() (string, error) { return exportClass(dir, o.out, o.format, time.Now()) },
		Interval:  o.interval,
		Scenarios: lib,
		Assigned:  assigned,
		Source:    dir,
	}
	if o.once || !fullScreen(e) {
		snap, skipped, err := readClass(dir, time.Now())
		if err != nil {
			fmt.Fprintf(e.stderr, "rapport class: %v\n", err)
			return ExitFailure
		}
		for _, s := range skipped {
			fmt.Fprintf(e.stderr, "rapport class: skipped %s\n", textsafe.Line(s.String()))
		}
		width := 100
		r := lipgloss.NewRenderer(e.stdout, termenv.WithEnvironment(environ{e.getenv}))
		if f, ok := e.stdout.(*os.File); ok && term.IsTerminal(f.Fd()) {
			if w, _, err := term.GetSize(f.Fd()); err == nil && w > 0 {
				width = w
			}
		} else {
			// Not a terminal: plain text, no escape sequences.
			r.SetColorProfile(termenv.Ascii)
		}
		opts.Renderer = r
		fmt.Fprintln(e.stdout, strings.TrimRight(class.Render(opts, snap, width), "\n"))
		return ExitOK
	}
	r := lipgloss.NewRenderer(e.stdout, termenv.WithEnvironment(environ{e.getenv}))
	r.SetHasDarkBackground(darkBackground(e))
	opts.Renderer = r
	if _, err := runProgram(e, class.New(opts)); err != nil {
		if errors.Is(err, tea.ErrProgramKilled) || errors.Is(err, tea.ErrInterrupted) {
			return ExitAborted
		}
		fmt.Fprintf(e.stderr, "rapport class: %v\n", err)
		return ExitFailure
	}
	return ExitOK
}

// readClass reads the saved attempts and the presence files of a results
// folder, and says which files it skipped and why. A folder that does not
// exist yet is an empty class.
func readClass(dir string, now time.Time) (class.Snapshot, []results.Skipped, error) {
	snap := class.Snapshot{At: now, Saved: &report.Builder{}}
	// Summed up as they are read, never held: a class of any size.
	skipped, err := results.EachTransient(results.Brief, snap.Saved.Add, dir)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return snap, nil, err
	}
	live, err := presence.Read(presence.Dir(dir), now)
	if err != nil {
		return snap, skipped, err
	}
	skipped = append(skipped, live.Skipped...)
	snap.Skipped = len(skipped)
	snap.Server, snap.Live = live.Server, live.Sessions
	return snap, skipped, nil
}

// exportClass writes the class report over the saved attempts to a new
// file in out and returns its path.
func exportClass(dir, out, format string, now time.Time) (string, error) {
	var b report.Builder
	if _, err := results.EachTransient(results.Brief, b.Add, dir); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return "", err
	}
	rep := b.Report()
	var err error
	var buf bytes.Buffer
	ext := ".md"
	switch format {
	case "csv":
		ext, err = ".csv", report.WriteCSV(&buf, rep)
	case "json":
		ext, err = ".json", report.WriteJSON(&buf, rep)
	default:
		err = report.WriteMarkdown(&buf, rep)
	}
	if err != nil {
		return "", err
	}
	if err := config.MkdirAll(out); err != nil {
		return "", fmt.Errorf("export: %w", err)
	}
	path := filepath.Join(out, "rapport-class-"+now.Format("2006-01-02-150405")+ext)
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	// The class report names trainees: as private as the records.
	mode, _ := config.Modes(filepath.Dir(path))
	if err := config.WriteFileAtomic(path, buf.Bytes(), mode); err != nil {
		return "", fmt.Errorf("export: %w", err)
	}
	return path, nil
}
