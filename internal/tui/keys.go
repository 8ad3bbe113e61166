package tui

import "github.com/charmbracelet/bubbles/key"

// keyMap holds every key binding of the player, one group per screen. Each
// group is a help.KeyMap, so the help line is generated from the same
// bindings Update matches against and cannot drift from them.
type keyMap struct {
	Picker  pickerKeyMap
	Play    playKeyMap
	Typing  typingKeyMap
	Confirm confirmKeyMap
	End     endKeyMap
}

func defaultKeyMap() keyMap {
	return keyMap{
		Picker:  defaultPickerKeyMap(),
		Play:    defaultPlayKeyMap(),
		Typing:  defaultTypingKeyMap(),
		Confirm: defaultConfirmKeyMap(),
		End:     defaultEndKeyMap(),
	}
}

// pickerKeyMap adds Rapport's own keys to the list's navigation and filter
// bindings (which bubbles/list owns and shows in its help).
type pickerKeyMap struct {
	Start key.Binding
	// Sort switches between the library's order and "needs practice".
	Sort key.Binding
	Quit key.Binding
	// ForceQuit works even while the filter has focus.
	ForceQuit key.Binding
}

func defaultPickerKeyMap() pickerKeyMap {
	return pickerKeyMap{
		Start:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "start")),
		Sort:      key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "sort")),
		Quit:      key.NewBinding(key.WithKeys("q"), key.WithHelp("q", "quit")),
		ForceQuit: key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),
	}
}

// ShortHelp is shown by the list beside its own bindings.
func (k pickerKeyMap) ShortHelp() []key.Binding { return []key.Binding{k.Start, k.Quit} }

// FullHelp is shown by the list beside its own bindings.
func (k pickerKeyMap) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }

// playKeyMap is the play screen's bindings.
type playKeyMap struct {
	// Pick says a choice by its number; Up, Down and Say are the same by
	// cursor.
	Pick key.Binding
	Up   key.Binding
	Down key.Binding
	Say  key.Binding
	// Type opens the free-text answer box.
	Type key.Binding
	// Back takes back the last choice in untimed practice. It is disabled
	// (and so absent from help) in timed play and before the first line.
	Back key.Binding
	// Skip is shown while the customer's line is being revealed: any key
	// shows it whole.
	Skip     key.Binding
	PageUp   key.Binding
	PageDown key.Binding
	// Brief shows the scenario's briefing again; disabled (and absent
	// from help) when the scenario has none.
	Brief key.Binding
	Quit  key.Binding
	Help  key.Binding
}

func defaultPlayKeyMap() playKeyMap {
	return playKeyMap{
		Pick:     key.NewBinding(key.WithKeys("1", "2", "3", "4", "5", "6"), key.WithHelp("1-6", "say")),
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/↓", "select")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		Say:      key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "say")),
		Type:     key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "own words")),
		Back:     key.NewBinding(key.WithKeys("b"), key.WithHelp("b", "back")),
		Skip:     key.NewBinding(key.WithKeys("any"), key.WithHelp("any key", "show whole line"), key.WithDisabled()),
		PageUp:   key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", "scroll up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown"), key.WithHelp("pgdn", "scroll down")),
		Brief:    key.NewBinding(key.WithKeys("i"), key.WithHelp("i", "brief")),
		Quit:     key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),
		Help:     key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "more")),
	}
}

// ShortHelp is the one-line help under the choices. Down is left out: the
// Up binding's help already reads "↑/↓".
func (k playKeyMap) ShortHelp() []key.Binding {
	// The arrows and enter share one entry, so the line fits 80 columns
	// with every key a trainee needs, "? more" included.
	say := k.Say
	say.SetHelp("↑/↓+enter", "say")
	return []key.Binding{k.Skip, k.Pick, say, k.Type, k.Back, k.Brief, k.Quit, k.Help}
}

// FullHelp groups every binding for the expanded help.
func (k playKeyMap) FullHelp() [][]key.Binding {
	up := k.Up
	up.SetHelp("↑/k", "select up")
	return [][]key.Binding{
		{k.Pick, up, k.Down, k.Say},
		{k.Type, k.Back, k.Skip, k.PageUp, k.PageDown},
		{k.Brief, k.Quit, k.Help},
	}
}

// typingKeyMap is in force while the free-text box has focus: every other
// key goes to the text.
type typingKeyMap struct {
	Send   key.Binding
	Cancel key.Binding
	Quit   key.Binding
}

func defaultTypingKeyMap() typingKeyMap {
	return typingKeyMap{
		Send:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "say it")),
		Cancel: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back to choices")),
		Quit:   key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),
	}
}

// ShortHelp lists the typing bindings.
func (k typingKeyMap) ShortHelp() []key.Binding { return []key.Binding{k.Send, k.Cancel, k.Quit} }

// FullHelp lists the typing bindings.
func (k typingKeyMap) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }

// confirmKeyMap answers the abandon question. ctrl+c at the question
// abandons at once, so a second ctrl+c always gets the trainee out.
type confirmKeyMap struct {
	Yes key.Binding
	No  key.Binding
}

func defaultConfirmKeyMap() confirmKeyMap {
	return confirmKeyMap{
		Yes: key.NewBinding(key.WithKeys("y", "Y", "ctrl+c"), key.WithHelp("y", "abandon")),
		No:  key.NewBinding(key.WithKeys("n", "N", "esc", "q"), key.WithHelp("n/esc", "keep playing")),
	}
}

// ShortHelp lists the answers.
func (k confirmKeyMap) ShortHelp() []key.Binding { return []key.Binding{k.Yes, k.No} }

// FullHelp lists the answers.
func (k confirmKeyMap) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }

// endKeyMap is the end screen's bindings. Up, Down and Expand are enabled
// only when there is a debrief with turns to open.
type endKeyMap struct {
	Up       key.Binding
	Down     key.Binding
	Expand   key.Binding
	PageUp   key.Binding
	PageDown key.Binding
	// Retry plays the scenario again from the start; RetryFrom from the
	// turn selected in the turn-by-turn list (the lines before it are
	// said again); Picker goes back to the list of scenarios (disabled
	// when the player was started on one scenario and has no list).
	Retry     key.Binding
	RetryFrom key.Binding
	Picker    key.Binding
	Quit      key.Binding
	Help      key.Binding
}

func defaultEndKeyMap() endKeyMap {
	return endKeyMap{
		Up:        key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/↓", "turn")),
		Down:      key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		Expand:    key.NewBinding(key.WithKeys(" ", "o"), key.WithHelp("space", "open")),
		PageUp:    key.NewBinding(key.WithKeys("pgup", "b"), key.WithHelp("pgup", "page up")),
		PageDown:  key.NewBinding(key.WithKeys("pgdown"), key.WithHelp("pgdn", "page down")),
		Retry:     key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "again")),
		RetryFrom: key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "from turn")),
		Picker:    key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "list")),
		Quit:      key.NewBinding(key.WithKeys("q", "esc", "ctrl+c"), key.WithHelp("q", "quit")),
		Help:      key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "more")),
	}
}

// ShortHelp is the one-line help on the end screen.
func (k endKeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Up, k.Expand, k.Retry, k.RetryFrom, k.Picker, k.Quit, k.Help}
}

// FullHelp groups every end-screen binding.
func (k endKeyMap) FullHelp() [][]key.Binding {
	up := k.Up
	up.SetHelp("↑/k", "up")
	return [][]key.Binding{
		{up, k.Down, k.Expand},
		{k.PageUp, k.PageDown},
		{k.Retry, k.RetryFrom, k.Picker},
		{k.Quit, k.Help},
	}
}

// toggleHelp opens or closes the full help of a screen, and says on the
// help key how to close it again while it is open.
func toggleHelp(showAll *bool, help *key.Binding) {
	*showAll = !*showAll
	if *showAll {
		help.SetHelp("?", "close help")
	} else {
		help.SetHelp("?", "more")
	}
}
