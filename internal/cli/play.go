package cli

import (
	"crypto/sha256"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"runtime/debug"
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/rapport-sim/rapport/internal/plain"
	"github.com/rapport-sim/rapport/internal/report"
	"github.com/rapport-sim/rapport/internal/results"
	"github.com/rapport-sim/rapport/internal/scenario"
	"github.com/rapport-sim/rapport/internal/session"
	"github.com/rapport-sim/rapport/internal/tui"
)

func playCmd() *command {
	return &command{
		name:  "play",
		args:  "[ID|FILE] [--timed 15s] [--watch] [--plain] [--scenarios DIR]",
		short: "play a scenario (the default command)",
		long: `Play a scenario: by id from the library, or a scenario file. With no argument,
pick one from the library first.

--plain prints the conversation as plain lines for screen readers and reads
choice numbers from standard input, so a scenario can be played from a script:
  printf '1\n2\n1\n' | rapport play first-time-caller --plain
Plain mode is also used automatically when standard input is not a terminal.
In plain mode, input that ends before the conversation does abandons the
attempt and exits with status 1.

Untimed play is practice: b takes back your last line, and the debrief says
the attempt was practised with rewinds.

--timed 15s gives each answer fifteen seconds, with a countdown once the
customer has finished speaking. The real pause counts on the conversation
clock; when the time runs out the customer hears dead air and reacts, and
your answer still counts, silence included. Timed play has no taking back.
It works in plain mode too, where the time allowed is announced instead.
  rapport play wants-a-manager --timed 15s

--watch is for authors: play a scenario FILE and reload it each time it is
saved. Play carries on from the same point when the choices made so far
still fit (else from the last one that does, or the beginning, and it says
so); while the file has errors they are shown, with file:line:col and a
hint, instead of the conversation. It needs the full-screen player.
  rapport play my-scenario.toml --watch`,
		define: func(fs *flag.FlagSet) func(*env, []string) int {
			var o playOptions
			scenariosFlag(fs, &o.dir)
			fs.BoolVar(&o.plain, "plain", false, "plain text mode: no full-screen display, no animation")
			fs.BoolVar(&o.noAnimation, "no-animation", false, "show the customer's lines at once instead of typing them out")
			fs.DurationVar(&o.timed, "timed", 0, "time allowed per answer, such as `15s`; running out is dead air")
			fs.BoolVar(&o.watch, "watch", false, "reload the scenario FILE whenever it is saved (for authors; attempts are not saved)")
			fs.StringVar(&o.name, "name", "", "the trainee `NAME` to save the attempt under (default: the remembered name)")
			resultsFlag(fs, &o.results)
			return func(e *env, args []string) int {
				if len(args) > 1 {
					fmt.Fprintf(e.stderr, "rapport play: one scenario at a time (got %d)\n", len(args))
					return ExitUsage
				}
				if len(args) == 1 {
					o.target = args[0]
				}
				switch {
				case badTimed(fs, o.timed):
					fmt.Fprintf(e.stderr, "rapport play: --timed must be at least 1s (got %s); leave it out for untimed practice\n", o.timed)
					return ExitUsage
				case o.watch && (o.target == "" || !looksLikeFile(o.target)):
					fmt.Fprintln(e.stderr, "rapport play: --watch needs a scenario FILE to watch, such as: rapport play my-scenario.toml --watch")
					return ExitUsage
				case o.watch && o.plain:
					fmt.Fprintln(e.stderr, "rapport play: --watch needs the full-screen player; it cannot be used with --plain")
					return ExitUsage
				}
				return play(e, o)
			}
		},
	}
}

// badTimed reports a --timed value that is not a time to answer in: under
// a second, negative, or zero given on purpose (--timed 0s), which would
// otherwise quietly mean untimed.
func badTimed(fs *flag.FlagSet, d time.Duration) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == "timed" })
	return set && d < time.Second
}

type playOptions struct {
	dir, target        string
	plain, noAnimation bool
	// timed is the time allowed per answer; zero is untimed practice.
	timed time.Duration
	// watch reloads the scenario file target whenever it changes.
	watch bool
	// name and results say whose attempt it is and where it is saved.
	name, results string
}

func play(e *env, o playOptions) int {
	if o.watch {
		return playWatched(e, o)
	}
	var start *scenario.Scenario
	if o.target != "" {
		sc, err := resolve(e, o.dir, o.target)
		if err != nil {
			return ExitFailure
		}
		start = sc
	}
	full := o.plain || !fullScreen(e)
	var library []*scenario.Scenario
	if start == nil && !full && o.dir == "" {
		// The built-in library is listed as the player is built, in the
		// wait before its first frame (deferred).
		return playTUI(e, o, nil, nil, pickerLibrary, nil)
	}
	if start == nil {
		scs, diags, err := loadLibrary(o.dir)
		if err != nil {
			fmt.Fprintf(e.stderr, "rapport: %v\n", err)
			return ExitFailure
		}
		if errs := diags.Errors(); len(errs) > 0 {
			printDiagnostics(e.stderr, errs)
			fmt.Fprintln(e.stderr, "rapport: the scenarios above have errors and are left out")
		}
		if len(scs) == 0 {
			fmt.Fprintln(e.stderr, "rapport: no playable scenarios")
			return ExitFailure
		}
		library = scs
	}
	if full {
		return playPlain(e, o, library, start)
	}
	return playTUI(e, o, library, start, nil, nil)
}

// playWatched plays a scenario file in the full-screen player, reloading
// it whenever it changes. The file is read by the player's watcher, so a
// file with errors opens on them rather than failing here.
func playWatched(e *env, o playOptions) int {
	if _, err := os.Stat(o.target); err != nil {
		fmt.Fprintf(e.stderr, "rapport play: %v\n", err)
		return ExitFailure
	}
	if !fullScreen(e) {
		fmt.Fprintln(e.stderr, "rapport play: --watch needs a terminal that can show the full-screen player")
		return ExitFailure
	}
	w := &fileWatcher{path: o.target}
	return playTUI(e, o, nil, nil, nil, w.reload)
}

func playPlain(e *env, o playOptions, library []*scenario.Scenario, sc *scenario.Scenario) int {
	// From the first line shown, a signal must reach the handler that
	// saves the attempt, not end the process (an embedded scenario can be
	// ready before the handler is).
	waitForSignals()
	trainee := traineeName(e, o.name, false)
	// A trainee at a terminal is offered the loop after each debrief (try
	// again, retry from a turn, the list); a script keeps its contract:
	// the debrief, then exit 0.
	loop := isTerminal(e.stdin)
	opts := plain.Options{Session: session.Options{Timed: o.timed, Now: time.Now, Agent: trainee}}
	for {
		if sc == nil {
			picked, err := plain.Pick(e.ctx, e.stdin, e.stdout, library)
			if err != nil {
				fmt.Fprintf(e.stderr, "rapport: %v\n", err)
				return ExitFailure
			}
			sc = picked
		}
		res, err := plain.Run(e.ctx, e.stdin, e.stdout, sc, opts)
		saved := true
		if err == nil || errors.Is(err, plain.ErrAbandoned) {
			path, serr := saveAttempt(e, o.results, trainee, res)
			saved = serr == nil
			saidSaved(e, path, res)
		}
		switch {
		case errors.Is(err, plain.ErrAbandoned):
			if se, ok := signalled(e.ctx); ok {
				fmt.Fprintf(e.stderr, "rapport: %v\n", se)
				return se.ExitCode()
			}
			return ExitFailure
		case err != nil:
			fmt.Fprintf(e.stderr, "rapport: %v\n", err)
			return ExitFailure
		case !saved:
			return ExitFailure
		case !loop:
			return ExitOK
		}
		next, err := plain.After(e.ctx, e.stdin, e.stdout, res, len(library) > 0)
		if se, ok := signalled(e.ctx); ok {
			fmt.Fprintf(e.stderr, "rapport: %v\n", se)
			return se.ExitCode()
		}
		if err != nil {
			fmt.Fprintf(e.stderr, "rapport: %v\n", err)
			return ExitFailure
		}
		opts.Retry, opts.RetryTurn = nil, 0
		switch next.Do {
		case plain.Quit:
			return ExitOK
		case plain.RetryTurn:
			st := res.State
			opts.Retry, opts.RetryTurn = &st, next.Turn
		case plain.BackToList:
			sc = nil
		}
	}
}

// savedAttempt is an attempt the player saved, and how it went.
type savedAttempt struct {
	path    string
	attempt session.Attempt
	err     error
}

// quietSave saves an attempt like saveAttempt, without a word: the
// caller says how it went once the terminal is its own again.
func quietSave(e *env, dir, trainee string, a session.Attempt) (string, error) {
	dir, err := resultsDir(e, dir)
	if err != nil {
		return "", err
	}
	_, path, err := results.SaveAttempt(dir, a, trainee)
	return path, err
}

// readProgress sums up the trainee's attempts in the results folder by
// scenario, for the picker (results.ProgressOf). A folder not made yet is
// no attempts.
func readProgress(e *env, dir, trainee string) (map[string]results.Progress, error) {
	dir, err := resultsDir(e, dir)
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		return map[string]results.Progress{}, nil
	}
	// Only the trainee's attempts are kept: a class's shared folder may
	// hold many thousands.
	var recs []*results.Record
	mine := report.Filter{Trainee: trainee}
	if _, err := results.Each(results.Brief, func(r *results.Record) {
		if mine.Match(r) {
			recs = append(recs, r)
		}
	}, dir); err != nil {
		return nil, err
	}
	return results.ProgressOf(recs), nil
}

// playGCPercent is the collector's GOGC while the full-screen player runs.
// The player's live heap is small (about 0.5 MB at the play screen) but
// each frame of the typewriter is garbage, so the heap grows to the
// collector's smallest goal, 4 MB at the default GOGC=100 (the goal
// scales with GOGC), and the pages it touched stay resident. At 50 the
// heap peaks near 2 MB: about 1.2 MB less resident memory (VmHWM) on
// both ways into a call (docs/scoring.md, "Memory of a play session"),
// for a collection of a sub-megabyte heap every second or two of
// typewriter, well under a millisecond of CPU each.
const playGCPercent = 50

// lowGC sets the collector's percentage to playGCPercent unless the user
// chose one with GOGC, and returns what puts it back.
func lowGC(e *env) func() { return gcPercent(e.getenv, playGCPercent) }

// gcPercent sets the collector's percentage to pct unless the user chose
// one with GOGC, and returns what puts it back.
func gcPercent(getenv func(string) string, pct int) func() {
	if getenv("GOGC") != "" {
		return func() {}
	}
	old := debug.SetGCPercent(pct)
	return func() { debug.SetGCPercent(old) }
}

// libraryLoader lists a library for the picker, and returns what opens
// one of its scenarios in full (pickerLibrary).
type libraryLoader func() ([]*scenario.Scenario, func(*scenario.Scenario) (*scenario.Scenario, error), error)

// playTUI runs the full-screen player; reload, when set, watches the
// scenario file (and sc is nil: the first reload supplies it). load, when
// set, lists the picker's library as the player is built; a library that
// cannot be listed ends the program before its first frame, with the
// error.
func playTUI(e *env, o playOptions, library []*scenario.Scenario, sc *scenario.Scenario,
	load libraryLoader, reload func() (*scenario.Scenario, scenario.Diagnostics, error)) int {
	defer lowGC(e)()
	var trainee string
	if reload == nil { // an author's preview is not an attempt
		trainee = traineeName(e, o.name, true)
	}
	r := lipgloss.NewRenderer(e.stdout, termenv.WithEnvironment(environ{e.getenv}))
	// The terminal is asked for its background as the player is built, in
	// the wait before the first frame (deferred), not before the program
	// starts: Bubble Tea has the terminal in raw mode by then and reads no
	// input until Init returns, so the reply is not taken for keys.
	askBackground := func() {
		dark := darkBackground(e)
		r.SetHasDarkBackground(dark)
		// The bubbles defaults the player restyles are built on the
		// default renderer: give it the same answer.
		lipgloss.SetHasDarkBackground(dark)
	}
	// Each attempt that reaches its debrief is saved there, so the trainee
	// can try again without leaving; the one left at the end (abandoned,
	// or stopped by a signal) is saved below.
	var (
		saving sync.WaitGroup
		mu     sync.Mutex
		// saves are the attempts saved while the player ran, said after
		// it stops: a line written to the terminal under the full-screen
		// player would scroll it.
		saves []savedAttempt
	)
	var save func(tui.Result) func() error
	if reload == nil {
		save = func(res tui.Result) func() error {
			saving.Add(1)
			return func() error {
				defer saving.Done()
				path, err := quietSave(e, o.results, trainee, res.Attempt)
				mu.Lock()
				saves = append(saves, savedAttempt{path, res.Attempt, err})
				mu.Unlock()
				return err
			}
		}
	}
	var progress func() (map[string]results.Progress, error)
	if reload == nil {
		progress = func() (map[string]results.Progress, error) { return readProgress(e, o.results, trainee) }
	}
	opts := tui.Options{
		Save:        save,
		Progress:    progress,
		Renderer:    r,
		Scenarios:   library,
		Start:       sc,
		NoAnimation: o.noAnimation,
		Timed:       o.timed,
		Now:         time.Now,
		Agent:       trainee,
		Reload:      reload,
	}
	m := newDeferred(opts, askBackground, load)
	_, err := runProgram(e, m)
	if *m.err != nil {
		fmt.Fprintf(e.stderr, "rapport: %v\n", *m.err)
		return ExitFailure
	}
	// Save before reporting how the program ended: an attempt stopped by
	// a signal or a closed terminal is kept, as abandoned.
	saving.Wait()
	saved := true
	for _, sv := range saves {
		if sv.err != nil {
			saved = false
			fmt.Fprintf(e.stderr, "rapport: your attempt was NOT saved: %v\n", sv.err)
			continue
		}
		saidSaved(e, sv.path, sv.attempt)
	}
	if reload == nil {
		if res, ok := m.m.Attempt(); ok {
			path, serr := saveAttempt(e, o.results, trainee, res.Attempt)
			saved = saved && serr == nil
			saidSaved(e, path, res.Attempt)
		}
	}
	switch {
	case errors.Is(err, tea.ErrInterrupted):
		return ExitAborted
	case errors.Is(err, tea.ErrProgramKilled):
		if se, ok := signalled(e.ctx); ok {
			fmt.Fprintf(e.stderr, "rapport: %v\n", se)
			return se.ExitCode()
		}
		fmt.Fprintln(e.stderr, "rapport: stopped")
		return ExitAborted
	case err != nil:
		fmt.Fprintf(e.stderr, "rapport: %v\n", err)
		return ExitFailure
	case !saved:
		return ExitFailure
	}
	return ExitOK
}

// fileWatcher tells the player when a watched scenario file has changed.
// Every poll reads the file and hashes it: scenario files are small (at
// most scenario.MaxFileSize), and unlike a size and modification time the
// hash cannot miss a quick same-length edit on a file system with coarse
// timestamps. The file is parsed only when its bytes differ from the
// version last handed out, so an editor that saves without changes does
// not disturb the conversation.
type fileWatcher struct {
	path string

	mu   sync.Mutex
	read bool
	sum  [sha256.Size]byte
}

// reload is tui.Options.Reload: the scenario read afresh with its
// diagnostics, tui.ErrUnchanged when the file is as last read, or the
// error reading it.
func (w *fileWatcher) reload() (*scenario.Scenario, scenario.Diagnostics, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	src, err := readScenarioFile(w.path)
	if err != nil {
		// Hand the file out in full once it is back, even unchanged: the
		// player shows this error until then.
		w.read = false
		return nil, nil, fmt.Errorf("watch: %w", err)
	}
	sum := sha256.Sum256(src)
	if w.read && sum == w.sum {
		return nil, nil, tui.ErrUnchanged
	}
	w.read, w.sum = true, sum
	sc, diags := scenario.Parse(w.path, src)
	return sc, diags, nil
}

// deferred is the player made in Init rather than before the program
// starts. Bubble Tea calls Init after it has started its renderer, which
// first draws on its first tick (1/60 s later): building the player then
// uses that wait instead of adding to it, so the first frame comes sooner.
// m is where the player lives, so the last one is read after the program
// ends; a program that never started leaves it the zero Model. A player
// that cannot be built (its library cannot be listed) ends the program at
// once, drawing nothing, with the reason in err.
type deferred struct {
	m     *tui.Model
	err   *error
	build func() (tui.Model, error)
}

// newDeferred is the player made from opts in Init, once ask has asked the
// terminal what the player needs to know (when not nil), with the library
// load lists (when not nil).
func newDeferred(opts tui.Options, ask func(), load libraryLoader) deferred {
	return deferred{m: new(tui.Model), err: new(error), build: func() (tui.Model, error) {
		if ask != nil {
			ask()
		}
		if load != nil {
			scs, open, err := load()
			if err != nil {
				return tui.Model{}, err
			}
			opts.Scenarios, opts.Open = scs, open
		}
		return tui.New(opts), nil
	}}
}

func (d deferred) Init() tea.Cmd {
	m, err := d.build()
	if err != nil {
		*d.err = err
		return tea.Quit
	}
	*d.m = m
	return d.m.Init()
}

func (d deferred) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if *d.err != nil {
		return d, nil
	}
	next, cmd := d.m.Update(msg)
	*d.m = next.(tui.Model)
	return d, cmd
}

func (d deferred) View() string {
	if *d.err != nil {
		return ""
	}
	return d.m.View()
}
