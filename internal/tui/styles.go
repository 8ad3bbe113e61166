package tui

import (
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/list"
	"github.com/charmbracelet/lipgloss"

	"github.com/rapport-sim/rapport/internal/tui/theme"
)

// Styles holds every style the player draws with. All of them are built
// from one renderer, so a program served over SSH follows the session's
// terminal (colour profile, dark or light background) and not the server's.
type Styles struct {
	// r is the renderer the styles were made with, for layout helpers
	// (lipgloss.Place) that would otherwise use the global one.
	r *lipgloss.Renderer

	// Title is the scenario title and screen headings.
	Title lipgloss.Style
	// Section heads a block on the end screen.
	Section lipgloss.Style
	// Text is ordinary body text; Subtle is secondary text (persona,
	// voice, summaries); Faint is tertiary (separators, rules).
	Text   lipgloss.Style
	Subtle lipgloss.Style
	Faint  lipgloss.Style

	// CustomerName and TraineeName label transcript lines.
	CustomerName lipgloss.Style
	TraineeName  lipgloss.Style
	// Timestamp is the clock beside a transcript line.
	Timestamp lipgloss.Style

	// Clock is the conversation clock; Window marks the first 30 seconds.
	Clock  lipgloss.Style
	Window lipgloss.Style

	// MeterLabel names a meter; MeterEmpty is the unfilled part of a bar.
	// MeterGood, MeterWarn and MeterBad colour the filled part by how the
	// value reads for the trainee (low anger is good, low trust is bad).
	MeterLabel lipgloss.Style
	MeterEmpty lipgloss.Style
	MeterGood  lipgloss.Style
	MeterWarn  lipgloss.Style
	MeterBad   lipgloss.Style

	// Choice is an offered choice; Selected is the one under the cursor
	// (also marked with a "›" glyph, so colour is never the only cue).
	Choice   lipgloss.Style
	Selected lipgloss.Style
	Number   lipgloss.Style

	// Good, Warn and Bad colour outcome words and score bands.
	Good lipgloss.Style
	Warn lipgloss.Style
	Bad  lipgloss.Style

	// Dialog frames the confirm-abandon question.
	Dialog lipgloss.Style
	// Error shows a problem that stops play.
	Error lipgloss.Style

	// Item styles draw a scenario in the picker.
	ItemTitle         lipgloss.Style
	ItemSelectedTitle lipgloss.Style
	ItemDesc          lipgloss.Style
	ItemSelectedDesc  lipgloss.Style
	ItemDimmed        lipgloss.Style
	FilterMatch       lipgloss.Style

	// Prompt and Input style the free-text answer box.
	Prompt lipgloss.Style
	Input  lipgloss.Style

	// Help and List replace the bubbles defaults, which are built from the
	// global renderer.
	Help help.Styles
	List list.Styles
}

// DefaultStyles builds the player's styles from a renderer. A nil renderer
// means lipgloss.DefaultRenderer(), the local terminal.
func DefaultStyles(r *lipgloss.Renderer) Styles {
	if r == nil {
		r = lipgloss.DefaultRenderer()
	}
	p := theme.For(r)
	s := Styles{r: r}
	s.Title = r.NewStyle().Bold(true).Foreground(p.Accent)
	s.Section = r.NewStyle().Bold(true).Underline(true)
	s.Text = r.NewStyle().Foreground(p.Text)
	s.Subtle = r.NewStyle().Foreground(p.Subtle)
	s.Faint = r.NewStyle().Foreground(p.Faint)

	s.CustomerName = r.NewStyle().Bold(true).Foreground(p.Customer)
	s.TraineeName = r.NewStyle().Bold(true).Foreground(p.Accent)
	s.Timestamp = r.NewStyle().Foreground(p.Faint)

	s.Clock = r.NewStyle().Bold(true)
	s.Window = r.NewStyle().Bold(true).Foreground(p.Warn)

	s.MeterLabel = r.NewStyle().Foreground(p.Subtle)
	s.MeterEmpty = r.NewStyle().Foreground(p.Faint)
	s.MeterGood = r.NewStyle().Foreground(p.Good)
	s.MeterWarn = r.NewStyle().Foreground(p.Warn)
	s.MeterBad = r.NewStyle().Foreground(p.Bad)

	s.Choice = r.NewStyle().Foreground(p.Text)
	s.Selected = r.NewStyle().Bold(true).Foreground(p.Accent)
	s.Number = r.NewStyle().Bold(true)

	s.Good = r.NewStyle().Bold(true).Foreground(p.Good)
	s.Warn = r.NewStyle().Bold(true).Foreground(p.Warn)
	s.Bad = r.NewStyle().Bold(true).Foreground(p.Bad)

	s.Dialog = r.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(p.Accent).Padding(0, 2)
	s.Error = r.NewStyle().Bold(true).Foreground(p.Bad)

	s.ItemTitle = r.NewStyle().Foreground(p.Text)
	s.ItemSelectedTitle = r.NewStyle().Bold(true).Foreground(p.Accent)
	s.ItemDesc = r.NewStyle().Foreground(p.Subtle)
	s.ItemSelectedDesc = r.NewStyle().Foreground(p.Accent)
	s.ItemDimmed = r.NewStyle().Foreground(p.Faint)
	s.FilterMatch = r.NewStyle().Underline(true)

	s.Prompt = r.NewStyle().Bold(true).Foreground(p.Accent)
	s.Input = r.NewStyle().Foreground(p.Text)

	key := r.NewStyle().Foreground(p.Subtle).Bold(true)
	desc := r.NewStyle().Foreground(p.Faint)
	sep := r.NewStyle().Foreground(p.Faint)
	s.Help = help.Styles{
		Ellipsis:       sep,
		ShortKey:       key,
		ShortDesc:      desc,
		ShortSeparator: sep,
		FullKey:        key,
		FullDesc:       desc,
		FullSeparator:  sep,
	}
	s.List = listStyles(r, p)
	return s
}

// listStyles mirrors list.DefaultStyles with the session renderer and the
// Rapport palette.
func listStyles(r *lipgloss.Renderer, p theme.Palette) list.Styles {
	var s list.Styles
	s.TitleBar = r.NewStyle().Padding(0, 0, 1, 1)
	s.Title = r.NewStyle().Bold(true).Foreground(p.Accent)
	s.Spinner = r.NewStyle().Foreground(p.Subtle)
	s.FilterPrompt = r.NewStyle().Bold(true).Foreground(p.Accent)
	s.FilterCursor = r.NewStyle().Foreground(p.Accent)
	s.DefaultFilterCharacterMatch = r.NewStyle().Underline(true)
	s.StatusBar = r.NewStyle().Foreground(p.Subtle).Padding(0, 0, 1, 1)
	s.StatusEmpty = r.NewStyle().Foreground(p.Faint)
	s.StatusBarActiveFilter = r.NewStyle().Foreground(p.Text)
	s.StatusBarFilterCount = r.NewStyle().Foreground(p.Faint)
	s.NoItems = r.NewStyle().Foreground(p.Subtle)
	s.PaginationStyle = r.NewStyle().PaddingLeft(1)
	s.HelpStyle = r.NewStyle().Padding(1, 0, 0, 1)
	s.ActivePaginationDot = r.NewStyle().Foreground(p.Accent).SetString("•")
	s.InactivePaginationDot = r.NewStyle().Foreground(p.Faint).SetString("·")
	s.ArabicPagination = r.NewStyle().Foreground(p.Subtle)
	s.DividerDot = r.NewStyle().Foreground(p.Faint).SetString(" • ")
	return s
}

// newHelp returns a help model drawn with the session's styles.
func newHelp(s *Styles) help.Model {
	h := help.New()
	h.Styles = s.Help
	return h
}
