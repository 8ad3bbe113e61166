package cli

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/rapport-sim/rapport/internal/config"
	"github.com/rapport-sim/rapport/internal/debrief"
	"github.com/rapport-sim/rapport/internal/report"
	"github.com/rapport-sim/rapport/internal/results"
	"github.com/rapport-sim/rapport/internal/scenario"
	"github.com/rapport-sim/rapport/internal/textsafe"
	"github.com/rapport-sim/rapport/internal/tui/history"
)

func historyCmd() *command {
	return &command{
		name:  "history",
		args:  "[--name NAME | --all] [--results DIR] [--plain] [--format table|json] [--progress]",
		short: "your past attempts and their debriefs",
		long: `Show your attempts: date, scenario, the three scores, overall and ending.

In a terminal this is a table you can sort (s, r) and filter (/); Enter
opens the attempt's debrief, replayed through today's engine and scoring.
--plain or --format, or output that is not a terminal, prints the list
instead, for scripts.

--progress prints your progress per scenario instead: attempts, best and
last overall, and a sparkline of the overall scores of your finished
attempts, oldest first (the last 20; one bar per attempt, ▁ is 0 and █ is
100). Scenarios of the library you have not played yet are listed as
"○ not played yet".

Attempts are read from the results folder ($RAPPORT_DATA_DIR/results, else
$XDG_DATA_HOME/rapport/results, else ~/.local/share/rapport/results), or from
--results DIR. They are yours by the name remembered in the config file,
or --name; --all shows everyone's.`,
		define: func(fs *flag.FlagSet) func(*env, []string) int {
			var o historyOptions
			resultsFlag(fs, &o.results)
			scenariosFlag(fs, &o.scenarios)
			fs.StringVar(&o.name, "name", "", "show the attempts of trainee `NAME` (default: the remembered name)")
			fs.BoolVar(&o.all, "all", false, "show every trainee's attempts")
			fs.BoolVar(&o.plain, "plain", false, "print the list instead of the interactive table")
			fs.StringVar(&o.format, "format", "", "print the list as `table` or json (implies --plain)")
			fs.BoolVar(&o.progress, "progress", false, "print progress per scenario, with a sparkline of overall scores")
			return func(e *env, args []string) int {
				if len(args) > 0 {
					fmt.Fprintf(e.stderr, "rapport history: unexpected argument %q\n", args[0])
					return ExitUsage
				}
				if o.format != "" && o.format != "table" && o.format != "json" {
					fmt.Fprintf(e.stderr, "rapport history: unknown format %q (use table or json)\n", o.format)
					return ExitUsage
				}
				if o.all && o.name != "" {
					fmt.Fprintln(e.stderr, "rapport history: --all and --name do not go together")
					return ExitUsage
				}
				return runHistory(e, o)
			}
		},
	}
}

type historyOptions struct {
	results, scenarios, name, format string
	all, plain, progress             bool
}

// resultsFlag is the --results flag every results command shares.
func resultsFlag(fs *flag.FlagSet, dir *string) {
	fs.StringVar(dir, "results", "", "the results folder `DIR` (default: $RAPPORT_DATA_DIR/results, else $XDG_DATA_HOME/rapport/results)")
}

// resultsDir is --results, else the data dir's results folder.
func resultsDir(e *env, flagDir string) (string, error) {
	if flagDir != "" {
		return flagDir, nil
	}
	return config.ResultsDir(e.getenv)
}

// rememberedName is the trainee name in the config file, "" if none.
func rememberedName(e *env) string {
	dir, err := config.ConfigDir(e.getenv)
	if err != nil {
		return ""
	}
	c, err := config.Load(filepath.Join(dir, config.ConfigFile))
	if err != nil {
		fmt.Fprintf(e.stderr, "rapport: %v\n", err)
		return ""
	}
	return c.Name
}

// readResults reads records from paths, printing the files it skipped.
// The default results folder (given paths are not) reads as empty until
// the first attempt creates it; a path the user named must exist.
func readResults(e *env, cmd string, detail results.Detail, named bool, paths ...string) ([]*results.Record, bool) {
	var recs []*results.Record
	if !eachResult(e, cmd, results.Each, detail, named, func(r *results.Record) { recs = append(recs, r) }, paths...) {
		return nil, false
	}
	results.SortByTime(recs)
	return recs, true
}

// eachResult is readResults handing the records to fn one at a time, in
// no particular order, through each (results.Each, or
// results.EachTransient when fn keeps nothing of a record but strings), so
// that a report over a folder of any size holds only what it keeps of
// each.
func eachResult(e *env, cmd string, each func(results.Detail, func(*results.Record), ...string) ([]results.Skipped, error), detail results.Detail, named bool, fn func(*results.Record), paths ...string) bool {
	var existing []string
	for _, p := range paths {
		if _, err := os.Stat(p); errors.Is(err, fs.ErrNotExist) && !named {
			continue
		}
		existing = append(existing, p)
	}
	if len(existing) == 0 {
		return true
	}
	skipped, err := each(detail, fn, existing...)
	if err != nil {
		fmt.Fprintf(e.stderr, "rapport %s: %v\n", cmd, err)
		return false
	}
	for _, s := range skipped {
		// A file's name in a shared folder is anyone's text.
		fmt.Fprintf(e.stderr, "rapport %s: skipped %s\n", cmd, textsafe.Line(s.String()))
	}
	return true
}

func runHistory(e *env, o historyOptions) int {
	dir, err := resultsDir(e, o.results)
	if err != nil {
		fmt.Fprintf(e.stderr, "rapport history: %v\n", err)
		return ExitFailure
	}
	name := strings.TrimSpace(o.name)
	if name == "" && !o.all {
		name = rememberedName(e)
	}
	filter := report.Filter{Trainee: name}
	// Only the attempts shown are kept, and of each only its row: a
	// folder of any size fits in memory.
	each := func(fn func(*results.Record)) bool {
		return eachResult(e, "history", results.EachTransient, results.Brief, false, func(r *results.Record) {
			if filter.Match(r) {
				fn(r)
			}
		}, dir)
	}
	if o.progress {
		var recs []*results.Record
		if !eachResult(e, "history", results.Each, results.Brief, false, func(r *results.Record) {
			if filter.Match(r) {
				recs = append(recs, r)
			}
		}, dir) {
			return ExitFailure
		}
		results.SortByTime(recs)
		return historyProgress(e, o, recs)
	}
	if o.format == "json" {
		// Rows, not entries: an entry is three times the memory, made
		// (and written) one at a time.
		var rows []historyRow
		if !each(func(r *results.Record) { rows = append(rows, rowOf(r)) }) {
			return ExitFailure
		}
		// Newest first.
		slices.SortFunc(rows, func(a, b historyRow) int { return -cmp.Or(a.Started.Compare(b.Started), strings.Compare(a.ID, b.ID)) })
		return historyJSON(e, rows, dir)
	}
	var attempts []history.Attempt
	if !each(func(r *results.Record) { attempts = append(attempts, attemptOf(r)) }) {
		return ExitFailure
	}
	// Oldest first, as results.SortByTime orders records.
	slices.SortFunc(attempts, func(a, b history.Attempt) int {
		return cmp.Or(a.Started.Compare(b.Started), strings.Compare(a.ID, b.ID))
	})
	if o.plain || o.format != "" || !fullScreen(e) {
		return historyTable(e, attempts, name)
	}
	title := "Everyone's attempts"
	if name != "" {
		title = name + "'s attempts"
	}
	r := lipgloss.NewRenderer(e.stdout, termenv.WithEnvironment(environ{e.getenv}))
	r.SetHasDarkBackground(darkBackground(e))
	m := history.New(history.Options{
		Attempts: attempts, Title: title, Renderer: r,
		Debrief: func(id string, _ int) (string, error) {
			store, err := results.Open(dir)
			if err != nil {
				return "", err
			}
			rec, err := store.Load(id)
			if err != nil {
				return "", err
			}
			if rec.IsDrill() {
				return drillRecordText(rec), nil
			}
			return attemptDebrief(rec, o.scenarios).text, nil
		},
	})
	if _, err := runProgram(e, m); err != nil {
		if errors.Is(err, tea.ErrInterrupted) || errors.Is(err, tea.ErrProgramKilled) {
			return ExitAborted
		}
		fmt.Fprintf(e.stderr, "rapport history: %v\n", err)
		return ExitFailure
	}
	return ExitOK
}

// historyProgress prints progress per scenario: the library's scenarios
// in its order, then any played scenario no longer in it.
func historyProgress(e *env, o historyOptions, recs []*results.Record) int {
	prog := results.ProgressOf(recs)
	type row struct {
		title string
		p     results.Progress
	}
	var rows []row
	seen := map[string]bool{}
	if lib, _, err := loadLibrary(o.scenarios); err == nil {
		for _, sc := range lib {
			seen[sc.ID] = true
			rows = append(rows, row{sc.Title, prog[sc.ID]})
		}
	}
	var rest []string
	for id := range prog {
		if !seen[id] {
			rest = append(rest, id)
		}
	}
	slices.Sort(rest)
	for _, id := range rest {
		rows = append(rows, row{prog[id].Title, prog[id]})
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SCENARIO\tATTEMPTS\tBEST\tLAST\tOVERALL, OLDEST FIRST")
	for _, r := range rows {
		title := textsafe.Line(r.title)
		if n := []rune(title); len(n) > 30 {
			title = string(n[:29]) + "…"
		}
		switch {
		case r.p.Attempts == 0:
			fmt.Fprintf(tw, "%s\t0\t-\t-\t○ not played yet\n", title)
		case !r.p.Scored():
			fmt.Fprintf(tw, "%s\t%d\t-\t-\tnone finished\n", title, r.p.Attempts)
		default:
			fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%s\n", title, r.p.Attempts, r.p.Best, r.p.Last, report.Sparkline(r.p.Overalls))
		}
	}
	if err := tw.Flush(); err != nil {
		fmt.Fprintf(e.stderr, "rapport history: %v\n", err)
		return ExitFailure
	}
	return ExitOK
}

// attemptOf is a record as a row of the history table.
func attemptOf(r *results.Record) history.Attempt {
	a := history.Attempt{
		ID: r.ID, Started: r.Started, Trainee: r.Trainee,
		Scenario: r.Scenario.ID, Title: r.Scenario.Title, Ending: string(results.Abandoned),
	}
	if r.IsDrill() {
		// A drill round: its score is points out of the most, not the
		// three scores, so it goes in the ending column in words.
		a.Title = "Drill: " + r.Scenario.Title
		a.Ending = "drill, abandoned"
		if p, ok := r.Drill.Percent(); ok && r.Status == results.Finished {
			a.Ending = fmt.Sprintf("drill %d%%", p)
		}
		return a
	}
	if r.Ending != nil {
		a.Ending = string(r.Ending.Outcome)
	} else if len(r.Turns) == 0 {
		// Saved by an older version: a call left before a word was said.
		a.Ending = "abandoned, nothing said"
	}
	// Abandoned attempts are counted, not scored, as in the report.
	if s := r.Scores; r.Scored() {
		a.Scored = true
		a.Opening, a.Empathy, a.Overall = s.Opening.Value, s.Empathy.Value, s.Overall
		a.Difficult, a.DifficultAssessed = s.Difficult.Value, s.Difficult.Assessed
	}
	return a
}

func historyTable(e *env, attempts []history.Attempt, name string) int {
	if len(attempts) == 0 {
		who := "yet"
		if name != "" {
			who = "for " + textsafe.Text(name) + " yet"
		}
		fmt.Fprintf(e.stdout, "No attempts %s. Play a scenario with 'rapport play'; every attempt is kept.\n", who)
		return ExitOK
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "DATE\tSCENARIO\tFIRST 30 SECONDS\tEMPATHY\tDIFFICULT CUSTOMERS\tOVERALL\tENDING\tID")
	score := func(a history.Attempt, v int, ok bool) string {
		switch {
		case !a.Scored:
			return "-"
		case !ok:
			return "n/a"
		}
		return fmt.Sprint(v)
	}
	// Newest first, as in the interactive table.
	for i := len(attempts) - 1; i >= 0; i-- {
		a := attempts[i]
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", a.Started.Local().Format("2006-01-02 15:04"),
			textsafe.Line(a.Scenario), score(a, a.Opening, true), score(a, a.Empathy, true),
			score(a, a.Difficult, a.DifficultAssessed), score(a, a.Overall, true), a.Ending, a.ID)
	}
	if err := tw.Flush(); err != nil {
		fmt.Fprintf(e.stderr, "rapport history: %v\n", err)
		return ExitFailure
	}
	return ExitOK
}

// historyEntry is one attempt in `rapport history --format json`.
type historyEntry struct {
	ID        string    `json:"id"`
	Started   time.Time `json:"started"`
	Ended     time.Time `json:"ended"`
	Trainee   string    `json:"trainee"`
	Scenario  string    `json:"scenario"`
	Title     string    `json:"title"`
	Mode      string    `json:"mode"`
	Rewinds   int       `json:"rewinds"`
	Kind      string    `json:"kind"`
	Status    string    `json:"status"`
	Outcome   string    `json:"outcome,omitempty"`
	Ending    string    `json:"ending,omitempty"`
	Opening   *int      `json:"first_30_seconds"`
	Empathy   *int      `json:"empathy"`
	Difficult *int      `json:"difficult_customers"`
	Overall   *int      `json:"overall"`
	Band      string    `json:"band,omitempty"`
	// DrillScore is a finished drill round's score, 0–100.
	DrillScore *int   `json:"drill_score,omitempty"`
	File       string `json:"file"`
}

// historyRow is what the JSON list keeps of a record until it is
// written: an entry's fields as values, with no pointers to allocate nor
// file path to join for each of a hundred thousand attempts.
type historyRow struct {
	ID                                                  string
	Started, Ended                                      time.Time
	Trainee, Scenario, Title, Mode, Kind, Status        string
	Outcome, Ending, Band                               string
	Rewinds                                             int
	scored, difficult, drillScored                      bool
	opening, empathy, difficultValue, overall, drillPct int
}

// rowOf is a record's row in the JSON list. It keeps nothing of the
// record but strings and numbers (results.EachTransient).
func rowOf(r *results.Record) historyRow {
	h := historyRow{
		ID: r.ID, Started: r.Started, Ended: r.Ended, Trainee: r.Trainee, Scenario: r.Scenario.ID,
		Title: r.Scenario.Title, Mode: string(r.Mode), Rewinds: r.Rewinds, Status: string(r.Status),
		Kind: string(results.KindScenario),
	}
	if r.IsDrill() {
		h.Kind = string(results.KindDrill)
		if p, ok := r.Drill.Percent(); ok && r.Status == results.Finished {
			h.drillScored, h.drillPct = true, p
		}
	}
	if r.Ending != nil {
		h.Outcome, h.Ending = string(r.Ending.Outcome), r.Ending.ID
	}
	if s := r.Scores; r.Scored() {
		h.scored, h.Band = true, s.Band
		h.opening, h.empathy, h.overall = s.Opening.Value, s.Empathy.Value, s.Overall
		h.difficult, h.difficultValue = s.Difficult.Assessed, s.Difficult.Value
	}
	return h
}

// entry is the row as it is written, its file in dir.
func (h *historyRow) entry(dir string) historyEntry {
	e := historyEntry{
		ID: h.ID, Started: h.Started, Ended: h.Ended, Trainee: h.Trainee, Scenario: h.Scenario,
		Title: h.Title, Mode: h.Mode, Rewinds: h.Rewinds, Kind: h.Kind, Status: h.Status,
		Outcome: h.Outcome, Ending: h.Ending, File: filepath.Join(dir, h.ID+results.Ext),
	}
	if h.drillScored {
		e.DrillScore = &h.drillPct
	}
	if h.scored {
		e.Opening, e.Empathy, e.Overall, e.Band = &h.opening, &h.empathy, &h.overall, h.Band
		if h.difficult {
			e.Difficult = &h.difficultValue
		}
	}
	return e
}

// historyJSON writes the rows, in order, as entries: the bytes
// json.Encoder with a two-space indent writes for the list of them
// (TestHistoryJSONStreams), written as each entry is made rather than
// made whole first, which took 323 MB for 100,000 attempts.
func historyJSON(e *env, rows []historyRow, dir string) int {
	if err := writeEntries(e.stdout, rows, dir); err != nil {
		fmt.Fprintf(e.stderr, "rapport history: %v\n", err)
		return ExitFailure
	}
	return ExitOK
}

// writeEntries writes the rows as an indented JSON list of entries.
func writeEntries(w io.Writer, rows []historyRow, dir string) error {
	if len(rows) == 0 {
		_, err := io.WriteString(w, "null\n") // a nil list, as the encoder writes it
		return err
	}
	out := bufio.NewWriterSize(w, 64<<10)
	var one bytes.Buffer
	enc := json.NewEncoder(&one)
	// Inside the list: every line but the first indented one level more.
	enc.SetIndent("  ", "  ")
	out.WriteString("[\n")
	for i := range rows {
		one.Reset()
		if err := enc.Encode(rows[i].entry(dir)); err != nil {
			return err
		}
		out.WriteString("  ")
		out.Write(bytes.TrimSuffix(one.Bytes(), []byte("\n")))
		if i < len(rows)-1 {
			out.WriteByte(',')
		}
		out.WriteByte('\n')
	}
	out.WriteString("]\n")
	return out.Flush()
}

// shownAttempt is an attempt's debrief as text, and how it was made.
type shownAttempt struct {
	text string
	// replayed is false when the saved summary stands in for a replay
	// (the scenario is missing or no longer fits the recorded choices).
	replayed bool
	// changed is true when the scenario file differs from the one played.
	changed bool
}

// attemptDebrief renders an attempt: the record's header, then the
// debrief replayed through the engine and scoring model, or the record's
// own summary when the scenario is missing or no longer fits.
func attemptDebrief(rec *results.Record, scenariosDir string) shownAttempt {
	var b bytes.Buffer
	report.WriteAttemptHeader(&b, rec, time.Local)
	fallback := func(why string) shownAttempt {
		fmt.Fprintf(&b, "%s\nWhat follows is the summary saved with the attempt.\n\n", why)
		report.WriteAttempt(&b, rec)
		return shownAttempt{text: b.String()}
	}
	sc, why := findScenario(rec.Scenario.ID, scenariosDir)
	if sc == nil {
		return fallback(why)
	}
	re, err := results.Replay(sc, rec)
	if err != nil {
		return fallback(fmt.Sprintf("Could not replay this attempt: %v.", err))
	}
	if re.Changed {
		fmt.Fprintf(&b, "Note: the scenario %q has changed since this attempt was played; this replay uses today's version, so it may differ from what the trainee saw.\n\n", textsafe.Line(rec.Scenario.ID))
	}
	if err := debrief.Write(&b, sc, re.State, re.Report); err != nil {
		return fallback(err.Error())
	}
	return shownAttempt{text: b.String(), replayed: true, changed: re.Changed}
}

// findScenario looks a scenario up in the library (or --scenarios); why
// says what went wrong when it is not there.
func findScenario(id, dir string) (*scenario.Scenario, string) {
	scs, _, err := loadLibrary(dir)
	if err != nil {
		return nil, fmt.Sprintf("Could not load the scenarios to replay this attempt: %v.", err)
	}
	for _, sc := range scs {
		if sc.ID == id {
			return sc, ""
		}
	}
	where := "the built-in library"
	if dir != "" {
		where = dir
	}
	return nil, fmt.Sprintf("The scenario %q is not in %s (use --scenarios DIR to point at it), so the attempt cannot be replayed.", textsafe.Line(id), where)
}
