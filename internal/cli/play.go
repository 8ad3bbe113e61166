package cli

import (
	"errors"
	"flag"
	"fmt"
	"os"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/term"

	"github.com/rapport-sim/rapport/internal/plain"
	"github.com/rapport-sim/rapport/internal/scenario"
	"github.com/rapport-sim/rapport/internal/tui"
)

func init() { register(playCmd()) }

func playCmd() *command {
	return &command{
		name:  "play",
		args:  "[ID|FILE] [--plain] [--scenarios DIR]",
		short: "play a scenario (the default command)",
		long: `Play a scenario: by id from the library, or a scenario file. With no argument,
pick one from the library first.

--plain prints the conversation as plain lines for screen readers and reads
choice numbers from standard input, so a scenario can be played from a script:
  printf '1\n2\n1\n' | rapport play first-time-caller --plain
Plain mode is also used automatically when standard input is not a terminal.
In plain mode, input that ends before the conversation does abandons the
attempt and exits with status 1.`,
		define: func(fs *flag.FlagSet) func(*env, []string) int {
			var o playOptions
			scenariosFlag(fs, &o.dir)
			fs.BoolVar(&o.plain, "plain", false, "plain text mode: no full-screen display, no animation")
			fs.BoolVar(&o.noAnimation, "no-animation", false, "show the customer's lines at once instead of typing them out")
			return func(e *env, args []string) int {
				if len(args) > 1 {
					fmt.Fprintf(e.stderr, "rapport play: one scenario at a time (got %d)\n", len(args))
					return ExitUsage
				}
				if len(args) == 1 {
					o.target = args[0]
				}
				return play(e, o)
			}
		},
	}
}

type playOptions struct {
	dir, target        string
	plain, noAnimation bool
}

// isTerminal reports whether r is an interactive terminal.
func isTerminal(r any) bool {
	f, ok := r.(*os.File)
	return ok && term.IsTerminal(f.Fd())
}

func play(e *env, o playOptions) int {
	var start *scenario.Scenario
	if o.target != "" {
		sc, err := resolve(e, o.dir, o.target)
		if err != nil {
			return ExitFailure
		}
		start = sc
	}
	var library []*scenario.Scenario
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
	if o.plain || !isTerminal(e.stdin) || !isTerminal(e.stdout) {
		return playPlain(e, library, start)
	}
	return playTUI(e, o, library, start)
}

func playPlain(e *env, library []*scenario.Scenario, sc *scenario.Scenario) int {
	if sc == nil {
		picked, err := plain.Pick(e.stdin, e.stdout, library)
		if err != nil {
			fmt.Fprintf(e.stderr, "rapport: %v\n", err)
			return ExitFailure
		}
		sc = picked
	}
	_, err := plain.Run(e.ctx, e.stdin, e.stdout, sc, plain.Options{})
	switch {
	case errors.Is(err, plain.ErrAbandoned):
		return ExitFailure
	case err != nil:
		fmt.Fprintf(e.stderr, "rapport: %v\n", err)
		return ExitFailure
	}
	return ExitOK
}

func playTUI(e *env, o playOptions, library []*scenario.Scenario, sc *scenario.Scenario) int {
	m := tui.New(tui.Options{
		Scenarios:   library,
		Start:       sc,
		NoAnimation: o.noAnimation,
	})
	p := tea.NewProgram(m, tea.WithAltScreen(), tea.WithContext(e.ctx), tea.WithInput(e.stdin), tea.WithOutput(e.stdout))
	final, err := p.Run()
	switch {
	case errors.Is(err, tea.ErrInterrupted):
		return ExitAborted
	case errors.Is(err, tea.ErrProgramKilled):
		fmt.Fprintln(e.stderr, "rapport: stopped")
		return ExitAborted
	case err != nil:
		fmt.Fprintf(e.stderr, "rapport: %v\n", err)
		return ExitFailure
	}
	if fm, ok := final.(tui.Model); ok {
		if res, ok := fm.Result(); ok && res.Abandoned {
			fmt.Fprintf(e.stderr, "You left %q before the end; nothing was scored.\n", res.Scenario.Title)
		}
	}
	return ExitOK
}
