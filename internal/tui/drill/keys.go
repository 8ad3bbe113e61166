package drill

import "github.com/charmbracelet/bubbles/key"

// keyMap is every binding of the drill screen. It is a help.KeyMap, so the
// help line is generated from the same bindings Update matches and cannot
// drift from them. Bindings that do not apply to the current step are
// disabled, which also hides them from the help line.
type keyMap struct {
	Pick      key.Binding
	Next      key.Binding
	Quit      key.Binding
	Help      key.Binding
	Interrupt key.Binding
}

func defaultKeyMap() keyMap {
	return keyMap{
		Pick:      key.NewBinding(key.WithKeys("1", "2", "3", "4"), key.WithHelp("1-4", "pick")),
		Next:      key.NewBinding(key.WithKeys("enter", " "), key.WithHelp("enter", "next")),
		Quit:      key.NewBinding(key.WithKeys("q", "esc"), key.WithHelp("q", "stop")),
		Help:      key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "more keys")),
		Interrupt: key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit at once")),
	}
}

// forStep enables the bindings that mean something at a step.
func (k keyMap) forStep(s step) keyMap {
	k.Pick.SetEnabled(s == stepAsk)
	k.Next.SetEnabled(s != stepAsk)
	switch s {
	case stepFeedback:
		k.Next.SetHelp("enter", "next opener")
	case stepSummary:
		k.Next.SetHelp("enter", "finish")
		k.Quit.SetHelp("q", "finish")
	}
	return k
}

// ShortHelp is the one-line help always on screen.
func (k keyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Pick, k.Next, k.Quit, k.Help}
}

// FullHelp is shown after '?'.
func (k keyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Pick, k.Next}, {k.Quit, k.Interrupt, k.Help}}
}
