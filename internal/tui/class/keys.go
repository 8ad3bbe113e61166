package class

import "github.com/charmbracelet/bubbles/key"

// keyMap is the dashboard's bindings; the help line is generated from it.
type keyMap struct {
	Next     key.Binding
	Prev     key.Binding
	Up       key.Binding
	Down     key.Binding
	PageUp   key.Binding
	PageDown key.Binding
	Export   key.Binding
	Refresh  key.Binding
	Quit     key.Binding
	Help     key.Binding
}

func defaultKeyMap() keyMap {
	return keyMap{
		Next:     key.NewBinding(key.WithKeys("tab", "right", "l"), key.WithHelp("tab", "next scenario")),
		Prev:     key.NewBinding(key.WithKeys("shift+tab", "left", "h"), key.WithHelp("shift+tab", "previous scenario")),
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/↓", "scroll")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "scroll down")),
		PageUp:   key.NewBinding(key.WithKeys("pgup", "b"), key.WithHelp("pgup", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown", "f", " "), key.WithHelp("pgdn", "page down")),
		Export:   key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "export report")),
		Refresh:  key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "refresh")),
		Quit:     key.NewBinding(key.WithKeys("q", "esc", "ctrl+c"), key.WithHelp("q", "quit")),
		Help:     key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "more keys")),
	}
}

// ShortHelp is the one-line help.
func (k keyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Next, k.Up, k.Export, k.Quit, k.Help}
}

// FullHelp groups every binding.
func (k keyMap) FullHelp() [][]key.Binding {
	up := k.Up
	up.SetHelp("↑/k", "scroll up")
	return [][]key.Binding{
		{k.Next, k.Prev},
		{up, k.Down, k.PageUp, k.PageDown},
		{k.Export, k.Refresh, k.Quit, k.Help},
	}
}
