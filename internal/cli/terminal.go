package cli

import (
	"os"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/term"
	"github.com/muesli/termenv"
)

// isTerminal reports whether r is an interactive terminal.
func isTerminal(r any) bool {
	f, ok := r.(*os.File)
	return ok && term.IsTerminal(f.Fd())
}

// fullScreen reports whether a full-screen program can run: input and
// output are a terminal that can draw one. TERM=dumb (Emacs shells, some
// screen readers' consoles, CI logs) gets the plain, line-by-line mode
// instead, like output that is not a terminal.
func fullScreen(e *env) bool {
	return isTerminal(e.stdin) && isTerminal(e.stdout) && e.getenv("TERM") != "dumb"
}

// darkBackground asks the terminal whether its background is dark, for a
// full-screen program's adaptive colours, and answers "dark" without
// asking when the output is not a terminal. It writes an OSC 11 query and
// waits for the reply, so it runs only just before a full-screen program
// starts or, for the player, in its Init (Bubble Tea starts reading the
// input once Init returns): never in plain mode, and never once a program
// reads the input (the reply would be read as keys and the question would
// wait out termenv's timeout).
func darkBackground(e *env) bool {
	f, ok := e.stdout.(*os.File)
	if !ok || !term.IsTerminal(f.Fd()) {
		return true
	}
	waitForSignals() // the query puts the terminal in raw mode for a moment
	return termenv.NewOutput(f, termenv.WithEnvironment(environ{e.getenv})).HasDarkBackground()
}

// runProgram runs a full-screen program on the command's terminal and
// context. Bubble Tea's own signal handler is off: NotifySignals owns
// SIGINT, SIGTERM and SIGHUP and ends e.ctx, which stops the program with
// tea.ErrProgramKilled and hands back its final model, so the caller can
// save what was in progress.
func runProgram(e *env, m tea.Model) (tea.Model, error) {
	waitForSignals()
	p := tea.NewProgram(m, tea.WithAltScreen(), tea.WithContext(e.ctx),
		tea.WithInput(e.stdin), tea.WithOutput(e.stdout), tea.WithoutSignalHandler())
	return p.Run()
}
