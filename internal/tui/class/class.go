// Package class is the trainer's live dashboard (rapport class): who has
// played and who is playing, on which scenario and decision point, their
// scores so far, and for each assigned scenario the share of the class on
// every choice at every decision point, with the best choice marked.
//
// The dashboard does no I/O of its own. The caller passes a Load function,
// which reads the results folder and the server's presence files, and an
// Export function, which writes the class report; both run in commands,
// never in Update:
//
//	m := class.New(class.Options{Load: load, Export: export, Renderer: r})
//	_, err := tea.NewProgram(m, tea.WithAltScreen()).Run()
package class

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/rapport-sim/rapport/internal/scenario"
	"github.com/rapport-sim/rapport/internal/textsafe"
)

// DefaultInterval is how often the dashboard reads the class again.
const DefaultInterval = time.Second

// The smallest terminal the dashboard lays out for.
const (
	minWidth  = 50
	minHeight = 12
)

// Options configure the dashboard.
type Options struct {
	// Load reads the class as it stands now.
	Load func() (Snapshot, error)
	// Export writes the class report and returns where it went.
	Export func() (string, error)
	// Interval is the time between reads; zero means DefaultInterval.
	Interval time.Duration
	// Scenarios is the library: with it, choices nobody has taken yet
	// are shown too. Optional.
	Scenarios []*scenario.Scenario
	// Assigned orders the scenario tabs when no server says what it
	// assigned. Optional.
	Assigned []string
	// Source names what is being watched (the results folder), for the
	// header.
	Source string
	// Renderer draws everything; nil means lipgloss.DefaultRenderer().
	Renderer *lipgloss.Renderer
}

// Messages.
type (
	// loadedMsg is a read of the class; gen says which chain of reads
	// it belongs to, so a refresh never doubles the polling.
	loadedMsg struct {
		snap Snapshot
		err  error
		gen  int
	}
	// tickMsg asks for the next read of chain gen.
	tickMsg struct{ gen int }
	// exportedMsg reports the export.
	exportedMsg struct {
		path string
		err  error
	}
)

// Model is the dashboard.
type Model struct {
	opts   Options
	styles Styles
	keys   keyMap
	help   help.Model
	vp     viewport.Model

	snap    Snapshot
	sum     summary
	loaded  bool
	readErr error
	gen     int
	tab     int

	status    string
	statusBad bool
	exporting bool

	width, height int
}

// New builds the dashboard.
func New(opts Options) Model {
	if opts.Interval <= 0 {
		opts.Interval = DefaultInterval
	}
	s := DefaultStyles(opts.Renderer)
	h := help.New()
	h.Styles = s.Help
	m := Model{opts: opts, styles: s, keys: defaultKeyMap(), help: h, vp: viewport.New(80, 20), width: 80, height: 24}
	m.layout()
	return m
}

// Init reads the class for the first time.
func (m Model) Init() tea.Cmd { return m.load(m.gen) }

func (m Model) load(gen int) tea.Cmd {
	load := m.opts.Load
	return func() tea.Msg {
		if load == nil {
			return loadedMsg{gen: gen, err: fmt.Errorf("nothing to read")}
		}
		snap, err := load()
		return loadedMsg{snap: snap, err: err, gen: gen}
	}
}

func (m Model) export() tea.Cmd {
	export := m.opts.Export
	return func() tea.Msg {
		if export == nil {
			return exportedMsg{err: fmt.Errorf("export is not available here")}
		}
		path, err := export()
		return exportedMsg{path: path, err: err}
	}
}

// Update handles a message.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.layout()
		return m, nil
	case loadedMsg:
		if msg.gen != m.gen {
			return m, nil
		}
		if msg.err != nil {
			// Keep showing the last good read; say what went wrong.
			m.readErr = msg.err
		} else {
			m.readErr = nil
			m.snap, m.loaded = msg.snap, true
			m.sum = summarize(msg.snap, m.opts.Scenarios, m.assigned())
			m.tab = min(m.tab, max(len(m.sum.scenarios)-1, 0))
		}
		m.layout()
		gen := m.gen
		return m, tea.Tick(m.opts.Interval, func(time.Time) tea.Msg { return tickMsg{gen} })
	case tickMsg:
		if msg.gen != m.gen {
			return m, nil
		}
		return m, m.load(m.gen)
	case exportedMsg:
		m.exporting = false
		if msg.err != nil {
			m.status, m.statusBad = "Export failed: "+msg.err.Error(), true
		} else {
			m.status, m.statusBad = "Class report written to "+msg.path, false
		}
		m.layout()
		return m, nil
	case tea.KeyMsg:
		return m.updateKey(msg)
	case tea.MouseMsg:
		var cmd tea.Cmd
		m.vp, cmd = m.vp.Update(msg)
		return m, cmd
	}
	return m, nil
}

func (m Model) updateKey(k tea.KeyMsg) (tea.Model, tea.Cmd) {
	switch {
	case key.Matches(k, m.keys.Quit):
		return m, tea.Quit
	case key.Matches(k, m.keys.Export):
		if m.exporting {
			return m, nil
		}
		m.exporting = true
		m.status, m.statusBad = "Writing the class report…", false
		m.layout()
		return m, m.export()
	case key.Matches(k, m.keys.Refresh):
		m.gen++
		return m, m.load(m.gen)
	case key.Matches(k, m.keys.Next):
		if n := len(m.sum.scenarios); n > 0 {
			m.tab = (m.tab + 1) % n
			m.layout()
		}
	case key.Matches(k, m.keys.Prev):
		if n := len(m.sum.scenarios); n > 0 {
			m.tab = (m.tab - 1 + n) % n
			m.layout()
		}
	case key.Matches(k, m.keys.Up):
		m.vp.ScrollUp(1)
	case key.Matches(k, m.keys.Down):
		m.vp.ScrollDown(1)
	case key.Matches(k, m.keys.PageUp):
		m.vp.PageUp()
	case key.Matches(k, m.keys.PageDown):
		m.vp.PageDown()
	case key.Matches(k, m.keys.Help):
		m.help.ShowAll = !m.help.ShowAll
		m.layout()
	}
	return m, nil
}

// assigned is the server's list of assigned scenarios, else the option.
func (m Model) assigned() []string {
	if m.snap.Server != nil && len(m.snap.Server.Assigned) > 0 {
		return m.snap.Server.Assigned
	}
	return m.opts.Assigned
}

// layout renders the scrolling content for the current size and data.
func (m *Model) layout() {
	w := max(m.width, 1)
	m.help.Width = w - 2
	fixed := 3 + 1 + lipgloss.Height(m.help.View(m.keys))
	m.vp.Width = w
	m.vp.Height = max(1, m.height-fixed)
	top := m.vp.YOffset
	m.vp.SetContent(m.content(w))
	m.vp.SetYOffset(top)
}

// content is the trainees table and the selected scenario's decision
// points.
func (m Model) content(w int) string {
	v := view{s: &m.styles, width: contentWidth(w)}
	if !m.loaded {
		return " " + m.styles.Subtle.Render("Reading the class…")
	}
	out := v.trainees(m.sum)
	if len(m.sum.scenarios) > 0 {
		out += "\n" + v.tabs(m.sum, m.tab) + "\n" + v.points(m.sum.scenarios[m.tab])
	}
	return out
}

// View draws the dashboard.
func (m Model) View() string {
	if m.width < minWidth || m.height < minHeight {
		msg := fmt.Sprintf("Terminal too small (%dx%d). The class dashboard needs at least %dx%d.", m.width, m.height, minWidth, minHeight)
		return ansi.Wordwrap(msg, max(m.width, 1), "")
	}
	v := view{s: &m.styles, width: contentWidth(m.width)}
	head := v.header(m.sum, m.snap, m.opts.Source, m.loaded)
	status := ""
	switch {
	case m.readErr != nil:
		status = m.styles.Error.Render(v.cut("! Cannot read the class: " + textsafe.Line(m.readErr.Error())))
	case m.status != "" && m.statusBad:
		status = m.styles.Error.Render(v.cut("! " + m.status))
	case m.status != "":
		status = m.styles.Status.Render(v.cut("✓ " + m.status))
	case m.snap.Skipped > 0:
		status = m.styles.Subtle.Render(v.cut(fmt.Sprintf("%d files in the results folder are not records and were skipped (rapport report lists them).", m.snap.Skipped)))
	}
	// help cuts its line only when an ellipsis fits, so cut it here too.
	helpLines := strings.Split(m.help.View(m.keys), "\n")
	for i, l := range helpLines {
		helpLines[i] = " " + ansi.Truncate(l, v.width, "…")
	}
	return head + "\n" + m.vp.View() + "\n" + " " + status + "\n" + strings.Join(helpLines, "\n")
}

// Render draws the dashboard once, every scenario's decision points one
// after another, for a terminal that is not interactive (rapport class
// --once, or output to a file or pipe).
func Render(opts Options, snap Snapshot, width int) string {
	m := New(opts)
	m.snap = snap
	m.sum = summarize(snap, opts.Scenarios, m.assigned())
	v := view{s: &m.styles, width: contentWidth(width)}
	out := v.header(m.sum, snap, opts.Source, true) + "\n" + v.trainees(m.sum)
	for i := range m.sum.scenarios {
		out += "\n" + v.points(m.sum.scenarios[i])
	}
	return out
}

// contentWidth leaves a column of margin each side and caps lines at 120.
func contentWidth(w int) int { return max(20, min(w-2, 120)) }
