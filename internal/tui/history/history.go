// Package history is the `rapport history` screen: a table of past
// attempts (date, scenario, the three scores, overall, ending) that can be
// sorted by any column and filtered, and that opens an attempt's debrief
// on Enter.
//
// The package holds the Bubble Tea model only. The caller passes the
// attempts in and a function that renders a debrief; that function reads
// files and replays the attempt, so the model runs it as a command, never
// inside Update.
package history

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/table"
	"github.com/charmbracelet/bubbles/textinput"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/rapport-sim/rapport/internal/textsafe"
	"github.com/rapport-sim/rapport/internal/tui/textkeys"
)

// Attempt is one row of the table.
type Attempt struct {
	ID      string
	Started time.Time
	Trainee string
	// Scenario is the scenario's id, Title its title.
	Scenario, Title  string
	Opening, Empathy int
	// Difficult is the Difficult customers score; DifficultAssessed is
	// false when the scenario did not call for it.
	Difficult         int
	DifficultAssessed bool
	Overall           int
	// Scored is false for an attempt with no scores (abandoned at once).
	Scored bool
	// Ending is the outcome ("resolved", "lost", …) or "abandoned".
	Ending string
}

// Options configure the screen.
type Options struct {
	Attempts []Attempt
	// Debrief renders the debrief of the attempt with the given id, wrapped
	// to width. It may read files: the model calls it from a command.
	Debrief func(id string, width int) (string, error)
	// Title heads the screen, e.g. "Ann's attempts".
	Title string
	// Renderer builds every style (one per SSH session); nil means
	// lipgloss.DefaultRenderer().
	Renderer *lipgloss.Renderer
	// Location is the time zone dates are shown in; nil means time.Local.
	Location *time.Location
}

// column is one sortable column.
type column int

const (
	colDate column = iota
	colScenario
	colOpening
	colEmpathy
	colDifficult
	colOverall
	colEnding
	numColumns
)

// titles are the column headers: the full labels, and short ones for
// narrow terminals.
var titles = [numColumns][2]string{
	{"Date", "Date"},
	{"Scenario", "Scenario"},
	{"First 30 seconds", "First 30s"},
	{"Empathy", "Empathy"},
	{"Difficult customers", "Difficult"},
	{"Overall", "Overall"},
	{"Ending", "Ending"},
}

func (c column) String() string { return titles[c][0] }

// descending says which way a column sorts first: dates and scores with
// the newest and best on top, words from A to Z.
func (c column) descending() bool { return c != colScenario && c != colEnding }

// screen is what the model shows.
type screen int

const (
	screenTable screen = iota
	screenDebrief
)

func (s screen) String() string {
	if s == screenDebrief {
		return "debrief"
	}
	return "table"
}

// debriefMsg carries a rendered debrief back from its command.
type debriefMsg struct {
	id   string
	text string
	err  error
}

// Model is the history screen.
type Model struct {
	opts   Options
	styles Styles
	keys   keyMap
	help   help.Model

	table  table.Model
	filter textinput.Model
	view   viewport.Model

	screen    screen
	filtering bool
	sortBy    column
	desc      bool
	// shown are the attempts that pass the filter, in table order.
	shown []Attempt

	width, height int
	// opened is the id of the attempt whose debrief is showing or loading.
	opened  string
	loading bool
}

// New builds the screen, sorted newest first.
func New(o Options) Model {
	r := o.Renderer
	if r == nil {
		r = lipgloss.DefaultRenderer()
	}
	if o.Location == nil {
		o.Location = time.Local
	}
	st := DefaultStyles(r)
	m := Model{opts: o, styles: st, keys: defaultKeyMap(), sortBy: colDate, desc: true}
	m.help = help.New()
	m.help.Styles.ShortKey = st.HelpKey
	m.help.Styles.ShortDesc = st.Help
	m.help.Styles.ShortSeparator = st.Help
	m.help.Styles.FullKey = st.HelpKey
	m.help.Styles.FullDesc = st.Help
	m.help.Styles.FullSeparator = st.Help
	m.help.Styles.Ellipsis = st.Help
	m.table = table.New(table.WithFocused(true), table.WithStyles(table.Styles{
		Header: st.Header, Cell: st.Cell, Selected: st.Selected,
	}))
	m.setColumns()
	m.filter = textinput.New()
	m.filter.Prompt = "/"
	m.filter.Placeholder = "filter by date, scenario or ending"
	m.filter.CharLimit = 80
	m.view = viewport.New(0, 0)
	m.apply()
	return m
}

// Init does nothing: the attempts are already loaded.
func (m Model) Init() tea.Cmd { return nil }

// Selected returns the attempt under the cursor.
func (m Model) Selected() (Attempt, bool) {
	i := m.table.Cursor()
	if i < 0 || i >= len(m.shown) {
		return Attempt{}, false
	}
	return m.shown[i], true
}

// Shown returns the attempts that pass the filter, in table order.
func (m Model) Shown() []Attempt { return slices.Clone(m.shown) }

// Update handles keys, the window size and loaded debriefs.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.layout()
		return m, nil
	case debriefMsg:
		if msg.id != m.opened {
			return m, nil // the trainee went back before it arrived
		}
		m.loading = false
		if msg.err != nil {
			m.view.SetContent(m.styles.Error.Render("Could not show this attempt: " + msg.err.Error()))
		} else {
			m.view.SetContent(msg.text)
		}
		m.view.GotoTop()
		return m, nil
	case tea.KeyMsg:
		if key.Matches(msg, m.keys.ForceQuit) {
			return m, tea.Quit
		}
		switch {
		case m.screen == screenDebrief:
			return m.updateDebrief(msg)
		case m.filtering:
			return m.updateFilter(msg)
		}
		return m.updateTable(msg)
	}
	return m, nil
}

func (m Model) updateTable(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	switch {
	case key.Matches(msg, m.keys.ClearFilter) && m.filter.Value() != "":
		// esc backs out one step: first the filter, then the program.
		m.filter.SetValue("")
		m.apply()
		return m, nil
	case key.Matches(msg, m.keys.Quit):
		return m, tea.Quit
	case key.Matches(msg, m.keys.Help):
		m.help.ShowAll = !m.help.ShowAll
		m.layout()
		return m, nil
	case key.Matches(msg, m.keys.Filter):
		m.filtering = true
		m.table.Blur()
		return m, m.filter.Focus()
	case key.Matches(msg, m.keys.NextSort):
		m.sortBy = (m.sortBy + 1) % numColumns
		m.desc = m.sortBy.descending()
		m.apply()
		return m, nil
	case key.Matches(msg, m.keys.PrevSort):
		m.sortBy = (m.sortBy + numColumns - 1) % numColumns
		m.desc = m.sortBy.descending()
		m.apply()
		return m, nil
	case key.Matches(msg, m.keys.Reverse):
		m.desc = !m.desc
		m.apply()
		return m, nil
	case key.Matches(msg, m.keys.Open):
		a, ok := m.Selected()
		if !ok || m.opts.Debrief == nil {
			return m, nil
		}
		m.screen, m.opened, m.loading = screenDebrief, a.ID, true
		m.view.SetContent("")
		return m, m.loadDebrief(a.ID)
	}
	var cmd tea.Cmd
	m.table, cmd = m.table.Update(msg)
	m.markCursor()
	return m, cmd
}

func (m Model) updateFilter(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	msg = textkeys.AsText(msg)
	switch {
	case key.Matches(msg, m.keys.CancelFilter):
		m.filter.SetValue("")
		m.filtering = false
		m.filter.Blur()
		m.table.Focus()
		m.apply()
		return m, nil
	case key.Matches(msg, m.keys.AcceptFilter):
		m.filtering = false
		m.filter.Blur()
		m.table.Focus()
		return m, nil
	}
	var cmd tea.Cmd
	m.filter, cmd = m.filter.Update(msg)
	m.apply()
	return m, cmd
}

func (m Model) updateDebrief(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	switch {
	case key.Matches(msg, m.keys.Back):
		m.screen, m.opened, m.loading = screenTable, "", false
		return m, nil
	case key.Matches(msg, m.keys.Help):
		m.help.ShowAll = !m.help.ShowAll
		m.layout()
		return m, nil
	}
	var cmd tea.Cmd
	m.view, cmd = m.view.Update(msg)
	return m, cmd
}

func (m Model) loadDebrief(id string) tea.Cmd {
	render, width := m.opts.Debrief, max(m.view.Width, 20)
	return func() tea.Msg {
		text, err := render(id, width)
		return debriefMsg{id: id, text: text, err: err}
	}
}

// apply filters and sorts the attempts and refills the table, keeping the
// cursor on the same attempt when it is still shown.
func (m *Model) apply() {
	keep, _ := m.Selected()
	q := strings.ToLower(strings.TrimSpace(m.filter.Value()))
	// A fresh slice: earlier copies of the model keep theirs.
	m.shown = make([]Attempt, 0, len(m.opts.Attempts))
	for _, a := range m.opts.Attempts {
		if q == "" || strings.Contains(m.haystack(a), q) {
			m.shown = append(m.shown, a)
		}
	}
	slices.SortStableFunc(m.shown, func(a, b Attempt) int {
		c := m.compare(a, b)
		if m.desc {
			c = -c
		}
		// Ties: newest first, whatever the sort, so the order is stable.
		return cmp.Or(c, b.Started.Compare(a.Started), strings.Compare(a.ID, b.ID))
	})
	rows := make([]table.Row, len(m.shown))
	cursor := 0
	for i, a := range m.shown {
		rows[i] = m.row(a)
		if a.ID == keep.ID {
			cursor = i
		}
	}
	m.table.SetRows(rows)
	m.table.SetCursor(cursor)
	m.layout()
	m.markCursor()
}

func (m *Model) haystack(a Attempt) string {
	t := a.Started.In(m.opts.Location)
	return strings.ToLower(strings.Join([]string{t.Format(dateFormats[0]), t.Format(dateFormats[1]), a.Scenario, a.Title, a.Ending, a.Trainee}, "\x00"))
}

func (m *Model) compare(a, b Attempt) int {
	score := func(x Attempt, v int, ok bool) int {
		if !x.Scored || !ok {
			return -1 // unscored sorts below every score
		}
		return v
	}
	switch m.sortBy {
	case colScenario:
		return cmp.Compare(strings.ToLower(a.Title+a.Scenario), strings.ToLower(b.Title+b.Scenario))
	case colOpening:
		return cmp.Compare(score(a, a.Opening, true), score(b, b.Opening, true))
	case colEmpathy:
		return cmp.Compare(score(a, a.Empathy, true), score(b, b.Empathy, true))
	case colDifficult:
		return cmp.Compare(score(a, a.Difficult, a.DifficultAssessed), score(b, b.Difficult, b.DifficultAssessed))
	case colOverall:
		return cmp.Compare(score(a, a.Overall, true), score(b, b.Overall, true))
	case colEnding:
		return cmp.Compare(a.Ending, b.Ending)
	}
	return a.Started.Compare(b.Started)
}

// marker is the first column: it shows the cursor with a glyph, so the
// selected row is visible without colour (NO_COLOR, monochrome).
const marker = "▶"

func (m *Model) row(a Attempt) table.Row {
	num := func(v int, ok bool) string {
		if !a.Scored {
			return "—"
		}
		if !ok {
			return "n/a"
		}
		return fmt.Sprintf("%3d", v)
	}
	title := a.Title
	if title == "" {
		title = a.Scenario
	}
	return table.Row{" ", m.date(a), textsafe.Line(title), num(a.Opening, true), num(a.Empathy, true),
		num(a.Difficult, a.DifficultAssessed), num(a.Overall, true), textsafe.Line(a.Ending)}
}

// dateFormats are the date column's formats: full, and without the year
// for narrow terminals.
var dateFormats = [2]string{"2006-01-02 15:04", "Jan 02 15:04"}

// wideWidth is the width from which columns get their full titles.
const wideWidth = 118

func (m *Model) date(a Attempt) string {
	f := dateFormats[0]
	if m.width > 0 && m.width < wideWidth {
		f = dateFormats[1]
	}
	return a.Started.In(m.opts.Location).Format(f)
}

// markCursor puts the marker on the cursor's row only. Rows are replaced,
// not edited, because earlier copies of the model share them.
func (m *Model) markCursor() {
	rows := m.table.Rows()
	cur := m.table.Cursor()
	var out []table.Row
	for i, r := range rows {
		want := " "
		if i == cur {
			want = marker
		}
		if r[0] == want {
			continue
		}
		if out == nil {
			out = slices.Clone(rows)
		}
		r = slices.Clone(r)
		r[0] = want
		out[i] = r
	}
	if out != nil {
		m.table.SetRows(out)
	}
}

// cellPadding is the space Styles.Cell and Styles.Header add to a column.
const cellPadding = 1

// Minimum size the screen needs.
const (
	minWidth  = 80
	minHeight = 12
)

// layout sizes the table columns, the table and the viewport to the
// window.
func (m *Model) layout() {
	m.setColumns()
	if m.width == 0 {
		return
	}
	m.help.Width = m.width
	// Rows hold formatted dates, which depend on the width.
	if rows := m.table.Rows(); len(rows) > 0 && len(m.shown) == len(rows) {
		out := make([]table.Row, len(rows))
		for i, a := range m.shown {
			out[i] = m.row(a)
			out[i][0] = rows[i][0]
		}
		m.table.SetRows(out)
	}
	m.table.SetWidth(m.width)
	chrome := 4 + lipgloss.Height(m.helpView()) // title and its margin, status, filter line
	m.table.SetHeight(max(3, m.height-chrome))
	m.view.Width = max(20, min(m.width, 100))
	m.view.Height = max(3, m.height-2-lipgloss.Height(m.helpView()))
}

// setColumns sizes the columns to the window (80 wide until the first
// size arrives); the table needs them before it takes any rows.
func (m *Model) setColumns() {
	width := m.width
	if width == 0 {
		width = 80
	}
	short := 1
	if width >= wideWidth {
		short = 0
	}
	widths := [numColumns]int{len(dateFormats[short]), 0, len(titles[colOpening][short]), 7, len(titles[colDifficult][short]), 7, 9}
	used := 1 + cellPadding // the marker column
	for c, w := range widths {
		if column(c) != colScenario {
			used += w + cellPadding
		}
	}
	widths[colScenario] = max(10, min(40, width-used-cellPadding))
	cols := []table.Column{{Title: "", Width: 1}}
	for c := range numColumns {
		t := titles[c][short]
		if c == m.sortBy {
			arrow := "↑"
			if m.desc {
				arrow = "↓"
			}
			t += " " + arrow
		}
		cols = append(cols, table.Column{Title: t, Width: max(widths[c], lipgloss.Width(t))})
	}
	m.table.SetColumns(cols)
}

func (m Model) helpView() string {
	if m.screen == screenDebrief {
		return m.help.View(debriefKeys{m.keys})
	}
	if m.filtering {
		return m.help.View(filterKeys{m.keys})
	}
	return m.help.View(m.keys)
}

// View draws the screen.
func (m Model) View() string {
	if m.width == 0 {
		return "" // no size yet: draw nothing rather than guess
	}
	if m.width < minWidth || m.height < minHeight {
		msg := fmt.Sprintf("The terminal is too small (%d×%d); history needs %d×%d. Press q to quit.", m.width, m.height, minWidth, minHeight)
		return lipgloss.NewStyle().Width(m.width).MaxHeight(m.height).Render(msg)
	}
	if m.screen == screenDebrief {
		return m.debriefView()
	}
	var b strings.Builder
	title := m.opts.Title
	if title == "" {
		title = "Your attempts"
	}
	b.WriteString(m.styles.Title.Render(textsafe.Line(title)) + "\n")
	if len(m.opts.Attempts) == 0 {
		b.WriteString("\nNo attempts yet. Play a scenario with 'rapport play'; every attempt is kept here.\n\n")
		b.WriteString(m.helpView())
		return b.String()
	}
	b.WriteString(m.table.View() + "\n")
	dir := "ascending"
	if m.desc {
		dir = "descending"
	}
	status := fmt.Sprintf("%d of %d attempts · sorted by %s, %s", len(m.shown), len(m.opts.Attempts), m.sortBy, dir)
	b.WriteString(m.styles.Status.Render(status) + "\n")
	switch {
	case m.filtering:
		b.WriteString(m.filter.View() + "\n")
	case m.filter.Value() != "":
		b.WriteString(m.styles.Status.Render("filter: "+m.filter.Value()+" (esc clears)") + "\n")
	default:
		b.WriteString("\n")
	}
	b.WriteString(m.helpView())
	return b.String()
}

func (m Model) debriefView() string {
	var b strings.Builder
	head := "Debrief"
	for _, a := range m.opts.Attempts {
		if a.ID == m.opened {
			head = fmt.Sprintf("Debrief · %s · %s", textsafe.Line(a.Title), m.date(a))
		}
	}
	if m.loading {
		head += " · loading…"
	} else if m.view.TotalLineCount() > m.view.Height {
		head += fmt.Sprintf(" · %3.0f%%", m.view.ScrollPercent()*100)
	}
	b.WriteString(m.styles.Title.Render(head) + "\n")
	b.WriteString(m.view.View() + "\n")
	b.WriteString(m.helpView())
	return b.String()
}
