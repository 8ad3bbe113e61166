package tui

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/list"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/rapport-sim/rapport/internal/debrief"
	"github.com/rapport-sim/rapport/internal/results"
	"github.com/rapport-sim/rapport/internal/scenario"
	"github.com/rapport-sim/rapport/internal/textsafe"
)

// scenarioItem is one scenario in the picker, with its text cleaned once.
type scenarioItem struct {
	sc      *scenario.Scenario
	title   string
	meta    string
	summary string
	filter  string
	// progress is the trainee's record at this scenario; known says the
	// results folder was read (Options.Progress), so a zero progress
	// means "not played yet".
	progress results.Progress
	known    bool
}

// progressWords says how the trainee has done at the scenario, never by
// colour alone: "○ not played yet", "● 3 attempts · best 72 · last 66".
func (i scenarioItem) progressWords() string {
	p := i.progress
	switch {
	case !i.known:
		return ""
	case p.Attempts == 0:
		return "○ not played yet"
	case !p.Scored():
		return fmt.Sprintf("● %s, none finished", debrief.Plural(p.Attempts, "attempt", "attempts"))
	}
	return fmt.Sprintf("● %s · best %d · last %d", debrief.Plural(p.Attempts, "attempt", "attempts"), p.Best, p.Last)
}

func newScenarioItem(sc *scenario.Scenario) scenarioItem {
	title := debrief.Title(sc)
	meta := []string{debrief.ChannelWord(sc.Channel), textsafe.Line(string(sc.Difficulty))}
	var tags []string
	for _, t := range sc.Tags {
		if t := textsafe.Line(t); t != "" {
			tags = append(tags, t)
		}
	}
	if len(tags) > 0 {
		meta = append(meta, "tags: "+strings.Join(tags, ", "))
	}
	it := scenarioItem{
		sc:      sc,
		title:   title,
		meta:    strings.Join(meta, " · "),
		summary: textsafe.Line(sc.Summary),
	}
	// The title comes first so filter matches inside it can be underlined.
	it.filter = strings.Join(append([]string{title, string(sc.Channel), string(sc.Difficulty)}, tags...), " ")
	return it
}

// FilterValue is what the picker's filter matches against: title, channel,
// difficulty and tags.
func (i scenarioItem) FilterValue() string { return i.filter }

// scenarioDelegate draws a scenario as three lines: title, channel ·
// difficulty · tags, and the summary. The selected one is marked with "›".
type scenarioDelegate struct {
	styles *Styles
	keys   pickerKeyMap
}

func (d scenarioDelegate) Height() int                         { return 3 }
func (d scenarioDelegate) Spacing() int                        { return 1 }
func (d scenarioDelegate) Update(tea.Msg, *list.Model) tea.Cmd { return nil }

// ShortHelp adds "enter start" to the list's help while browsing.
func (d scenarioDelegate) ShortHelp() []key.Binding { return []key.Binding{d.keys.Start} }

// FullHelp adds "enter start" to the list's full help while browsing.
func (d scenarioDelegate) FullHelp() [][]key.Binding { return [][]key.Binding{{d.keys.Start}} }

func (d scenarioDelegate) Render(w io.Writer, m list.Model, index int, item list.Item) {
	it, ok := item.(scenarioItem)
	if !ok || m.Width() <= 0 {
		return
	}
	s := d.styles
	textWidth := max(1, m.Width()-3)
	title := truncate(it.title, textWidth)
	meta := it.meta
	if p := it.progressWords(); p != "" {
		meta = p + " · " + meta
	}
	meta = truncate(meta, textWidth)
	summary := truncate(it.summary, textWidth)

	selected := index == m.Index()
	emptyFilter := m.FilterState() == list.Filtering && m.FilterValue() == ""
	filtered := m.FilterState() == list.Filtering || m.FilterState() == list.FilterApplied

	titleStyle, descStyle, marker := s.ItemTitle, s.ItemDesc, "  "
	switch {
	case emptyFilter:
		titleStyle, descStyle = s.ItemDimmed, s.ItemDimmed
	case selected && m.FilterState() != list.Filtering:
		titleStyle, descStyle, marker = s.ItemSelectedTitle, s.ItemSelectedDesc, "› "
	}
	if filtered {
		// Underline the filter's matches that fall inside the title.
		n := len([]rune(title))
		var in []int
		for _, i := range m.MatchesForItem(index) {
			if i < n && !(strings.HasSuffix(title, "…") && i == n-1) {
				in = append(in, i)
			}
		}
		title = lipgloss.StyleRunes(title, in, titleStyle.Inherit(s.FilterMatch), titleStyle)
	} else {
		title = titleStyle.Render(title)
	}
	fmt.Fprintf(w, " %s%s\n   %s\n   %s", marker, title, descStyle.Render(meta), descStyle.Render(summary))
}

// pickerPage is the scenario list. The list is its own bubbles model,
// which Update replaces with the one list.Update returns; the page itself
// is changed in place.
type pickerPage struct {
	list list.Model
	// order is the library's order; byNeed says the list is sorted by
	// "needs practice" instead (results.NeedsPractice).
	order  []scenarioItem
	byNeed bool
}

// title is the list's title, which says how it is sorted.
func (p *pickerPage) title() string {
	if p.byNeed {
		return "Rapport · choose a conversation · needs practice first"
	}
	return "Rapport · choose a conversation"
}

// setProgress shows the trainee's progress beside each scenario.
func (p *pickerPage) setProgress(prog map[string]results.Progress) tea.Cmd {
	for i := range p.order {
		p.order[i].progress, p.order[i].known = prog[p.order[i].sc.ID], true
	}
	return p.arrange(p.selected())
}

// toggleSort switches between the library's order and "needs practice",
// and selects the first: sorted by need, the one needing practice most.
func (p *pickerPage) toggleSort() tea.Cmd {
	p.byNeed = !p.byNeed
	return p.arrange(nil)
}

// arrange puts the items in the chosen order, selecting sel (the first
// when it is nil).
func (p *pickerPage) arrange(sel *scenario.Scenario) tea.Cmd {
	items := slices.Clone(p.order)
	if p.byNeed {
		slices.SortStableFunc(items, func(a, b scenarioItem) int {
			return results.NeedsPractice(a.progress, b.progress, a.sc.ID, b.sc.ID)
		})
	}
	all := make([]list.Item, len(items))
	at := 0
	for i, it := range items {
		all[i] = it
		if it.sc == sel {
			at = i
		}
	}
	p.list.Title = p.title()
	cmd := p.list.SetItems(all)
	p.list.Select(at)
	return cmd
}

func newPicker(c *common) *pickerPage {
	scs, s, keys := c.opts.Scenarios, c.styles, c.keys.Picker
	items := make([]list.Item, 0, len(scs))
	var order []scenarioItem
	for _, sc := range scs {
		if sc != nil {
			it := newScenarioItem(sc)
			items = append(items, it)
			order = append(order, it)
		}
	}
	l := list.New(items, scenarioDelegate{styles: s, keys: keys}, 0, 0)
	l.Title = "Rapport · choose a conversation"
	l.Styles = s.List
	l.SetStatusBarItemName("scenario", "scenarios")
	l.DisableQuitKeybindings()
	l.AdditionalShortHelpKeys = func() []key.Binding { return []key.Binding{keys.Sort, keys.Quit} }
	l.AdditionalFullHelpKeys = func() []key.Binding { return []key.Binding{keys.Sort, keys.Quit} }
	l.Help = newHelp(s)
	l.FilterInput.PromptStyle = s.List.FilterPrompt
	l.FilterInput.Cursor.Style = s.List.FilterCursor
	l.FilterInput.TextStyle = s.Text
	l.Paginator.ActiveDot = s.List.ActivePaginationDot.String()
	l.Paginator.InactiveDot = s.List.InactivePaginationDot.String()
	return &pickerPage{list: l, order: order}
}

// SetSize gives the list the whole window.
func (p *pickerPage) SetSize(w, h int) {
	p.list.SetSize(w, h)
}

// filtering reports whether the filter box has focus, when keys are text.
func (p *pickerPage) filtering() bool { return p.list.FilterState() == list.Filtering }

// selected returns the scenario under the cursor, if any.
func (p *pickerPage) selected() *scenario.Scenario {
	if it, ok := p.list.SelectedItem().(scenarioItem); ok {
		return it.sc
	}
	return nil
}

// matchesAny reports whether the filter being typed matches a scenario (an
// empty filter matches them all). It runs the list's filter itself rather
// than reading the list's matches, which arrive a message later than the
// keys that typed the filter.
func (p *pickerPage) matchesAny() bool {
	term := p.list.FilterValue()
	if term == "" {
		return true
	}
	items := p.list.Items()
	targets := make([]string, len(items))
	for i, it := range items {
		targets[i] = it.FilterValue()
	}
	return len(p.list.Filter(term, targets)) > 0
}

// Update passes a message to the list: moving, filtering, paging. The
// keys that start a scenario or quit are the root's.
func (p *pickerPage) Update(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	p.list, cmd = p.list.Update(msg)
	return cmd
}

// View draws the list, or says there is nothing to play.
func (p *pickerPage) View() string {
	if len(p.list.Items()) == 0 {
		return "\n" + margin("No scenarios to play.\n\nAdd scenario files to the library folder, then start Rapport again.\n\nq quit")
	}
	return p.list.View()
}
