package history

import "github.com/charmbracelet/bubbles/key"

// keyMap holds the screen's own keys; the table and the viewport bring
// their movement keys (arrows, j/k, pgup/pgdn, g/G).
type keyMap struct {
	Open, Filter, ClearFilter, AcceptFilter, CancelFilter key.Binding
	NextSort, PrevSort, Reverse                           key.Binding
	Back, Help, Quit, ForceQuit                           key.Binding
	Up, Down, Scroll                                      key.Binding
}

func defaultKeyMap() keyMap {
	return keyMap{
		Up:           key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/↓", "move")),
		Down:         key.NewBinding(key.WithKeys("down", "j")),
		Open:         key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "debrief")),
		Filter:       key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
		ClearFilter:  key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear filter")),
		AcceptFilter: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "keep filter")),
		CancelFilter: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
		NextSort:     key.NewBinding(key.WithKeys("s", "right"), key.WithHelp("s/→", "sort")),
		PrevSort:     key.NewBinding(key.WithKeys("S", "left"), key.WithHelp("S/←", "sort by previous column")),
		Reverse:      key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "reverse")),
		Back:         key.NewBinding(key.WithKeys("esc", "q", "backspace"), key.WithHelp("esc", "back")),
		Scroll:       key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑/↓/pgup/pgdn", "scroll")),
		Help:         key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "more keys")),
		Quit:         key.NewBinding(key.WithKeys("q", "esc"), key.WithHelp("q", "quit")),
		ForceQuit:    key.NewBinding(key.WithKeys("ctrl+c")),
	}
}

// ShortHelp is the table's one-line help.
func (k keyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Up, k.Open, k.NextSort, k.Reverse, k.Filter, k.Help, k.Quit}
}

// FullHelp is the table's full help.
func (k keyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Open},
		{k.NextSort, k.PrevSort, k.Reverse},
		{k.Filter, k.ClearFilter},
		{k.Help, k.Quit},
	}
}

// filterKeys is the help while the filter is being typed.
type filterKeys struct{ k keyMap }

func (f filterKeys) ShortHelp() []key.Binding {
	return []key.Binding{f.k.AcceptFilter, f.k.CancelFilter}
}

func (f filterKeys) FullHelp() [][]key.Binding { return [][]key.Binding{f.ShortHelp()} }

// debriefKeys is the help on the debrief.
type debriefKeys struct{ k keyMap }

func (d debriefKeys) ShortHelp() []key.Binding {
	return []key.Binding{d.k.Scroll, d.k.Back}
}

func (d debriefKeys) FullHelp() [][]key.Binding { return [][]key.Binding{d.ShortHelp()} }
