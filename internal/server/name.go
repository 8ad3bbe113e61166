package server

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/rapport-sim/rapport/internal/config"
	"github.com/rapport-sim/rapport/internal/tui"
)

// maxNameLen is the longest name the prompt takes; records keep names of
// at most config.MaxNameLen characters.
const maxNameLen = config.MaxNameLen

// nameKeyMap is the name prompt's bindings.
type nameKeyMap struct {
	Done  key.Binding
	Leave key.Binding
}

func defaultNameKeyMap() nameKeyMap {
	return nameKeyMap{
		Done:  key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "continue")),
		Leave: key.NewBinding(key.WithKeys("esc", "ctrl+c"), key.WithHelp("esc", "leave")),
	}
}

// ShortHelp lists the prompt's keys.
func (k nameKeyMap) ShortHelp() []key.Binding { return []key.Binding{k.Done, k.Leave} }

// FullHelp lists the prompt's keys.
func (k nameKeyMap) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }

// nameAnswer is what a key does at the prompt.
type nameAnswer int

const (
	nameTyping nameAnswer = iota
	nameDone
	nameLeave
	// nameEmpty is enter with nothing usable typed; the prompt says why.
	nameEmpty
)

// nameModel asks the trainee for their name before anything else, so
// every attempt they make is saved under it.
type nameModel struct {
	input  textinput.Model
	styles *tui.Styles
	keys   nameKeyMap
	help   help.Model
	// offered is how many scenarios the trainer assigned.
	offered int
	// problem says why the last enter was not accepted.
	problem       string
	width, height int
}

func newName(s *tui.Styles, offered, limit int) nameModel {
	in := textinput.New()
	in.Prompt = "› "
	in.Placeholder = "your name"
	in.CharLimit = limit
	in.Width = 40
	in.PromptStyle = s.Prompt
	in.TextStyle = s.Input
	in.PlaceholderStyle = s.Faint
	in.Cursor.Style = s.Prompt
	in.Focus()
	h := help.New()
	h.Styles = s.Help
	return nameModel{input: in, styles: s, keys: defaultNameKeyMap(), help: h, offered: offered, width: 80, height: 24}
}

func (n *nameModel) init() tea.Cmd { return textinput.Blink }

func (n *nameModel) setSize(w, h int) {
	n.width, n.height = w, h
	n.input.Width = max(1, min(40, w-6))
	n.help.Width = max(1, w-2)
}

// answer says whether a key finishes the prompt: enter with a usable name,
// or leave.
func (n *nameModel) answer(k tea.KeyMsg) nameAnswer {
	switch {
	case key.Matches(k, n.keys.Leave):
		return nameLeave
	case key.Matches(k, n.keys.Done):
		if n.value() == "" {
			n.problem = "Type your name first: your trainer sees your attempts under it."
			return nameEmpty
		}
		return nameDone
	}
	return nameTyping
}

// value is the name as it will be saved: escapes and control characters
// removed, spaces collapsed, cut to the limit.
func (n *nameModel) value() string { return config.CleanName(n.input.Value()) }

// update handles a message in place: typing, the cursor's blink.
func (n *nameModel) update(msg tea.Msg) tea.Cmd {
	if _, ok := msg.(tea.KeyMsg); ok {
		n.problem = ""
	}
	var cmd tea.Cmd
	n.input, cmd = n.input.Update(msg)
	return cmd
}

// View draws the prompt.
func (n *nameModel) View() string {
	w := max(1, min(n.width-2, 72))
	s := n.styles
	var b strings.Builder
	b.WriteString("\n")
	b.WriteString(s.Title.Render("Rapport · classroom") + "\n\n")
	b.WriteString(s.Text.Render(ansi.Wordwrap("Welcome. Type your name as your trainer should see it, then press enter.", w, "")) + "\n")
	what := "conversations are"
	if n.offered == 1 {
		what = "conversation is"
	}
	b.WriteString(s.Subtle.Render(ansi.Wordwrap(fmt.Sprintf("%d %s waiting for you. Every attempt is saved for your trainer.", n.offered, what), w, "")) + "\n\n")
	b.WriteString(n.input.View() + "\n")
	if n.problem != "" {
		b.WriteString(s.Warn.Render(ansi.Wordwrap("! "+n.problem, w, "")) + "\n")
	} else {
		b.WriteString("\n")
	}
	b.WriteString("\n" + n.help.View(n.keys))
	lines := strings.Split(b.String(), "\n")
	for i, l := range lines {
		lines[i] = " " + ansi.Truncate(l, max(n.width-1, 1), "")
	}
	if len(lines) > n.height {
		lines = lines[:n.height]
	}
	return strings.Join(lines, "\n")
}
