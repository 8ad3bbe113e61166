package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/term"
	"github.com/muesli/termenv"

	"github.com/rapport-sim/rapport/internal/tui/pager"
)

// page writes a long text (replay's debrief, report's tables) for reading.
// When standard output is a terminal (and not TERM=dumb) and the text is
// taller than it, the text goes through $PAGER (run by the shell, like git
// does), else less -R -F -X when it is installed, else the built-in pager,
// which needs standard input to be a terminal too. Otherwise, and with
// plain set (--plain, for screen readers), the text is written as it is, so
// scripts and tests see plain text. PAGER=cat turns paging off.
func page(e *env, title, text string, plain bool) error {
	f, ok := e.stdout.(*os.File)
	if plain || !ok || !term.IsTerminal(f.Fd()) || e.getenv("TERM") == "dumb" {
		_, err := io.WriteString(e.stdout, text)
		return err
	}
	if _, h, err := term.GetSize(f.Fd()); err == nil && strings.Count(text, "\n") < h {
		_, err := io.WriteString(e.stdout, text)
		return err
	}
	cmd := pagerCommand(e.getenv("PAGER"), exec.LookPath)
	if cmd == nil {
		if !isTerminal(e.stdin) {
			_, err := io.WriteString(e.stdout, text)
			return err
		}
		r := lipgloss.NewRenderer(e.stdout, termenv.WithEnvironment(environ{e.getenv}))
		if _, err := runProgram(e, pager.New(title, text, r)); err != nil && !errors.Is(err, tea.ErrInterrupted) && !errors.Is(err, tea.ErrProgramKilled) {
			return err
		}
		return nil
	}
	cmd.Stdin, cmd.Stdout, cmd.Stderr = strings.NewReader(text), e.stdout, e.stderr
	if err := cmd.Run(); err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			// The pager ran and ended its own way (q, or a broken pipe
			// after quitting early): the text was offered.
			return nil
		}
		return fmt.Errorf("pager %q: %w", cmd.Args, err)
	}
	return nil
}

// pagerCommand is the pager to run: $PAGER through the shell when set,
// else less when look finds it, else nil (the built-in pager).
func pagerCommand(env string, look func(string) (string, error)) *exec.Cmd {
	if p := strings.TrimSpace(env); p != "" {
		return exec.Command("/bin/sh", "-c", p)
	}
	if less, err := look("less"); err == nil {
		// -R shows the report's colours, -F quits at once when the text
		// fits, -X leaves it on the screen after quitting.
		return exec.Command(less, "-R", "-F", "-X")
	}
	return nil
}
