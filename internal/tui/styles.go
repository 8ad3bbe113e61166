package tui

import (
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/list"
	"github.com/charmbracelet/lipgloss"
)

// The palette. Every colour is an adaptive light/dark pair, and every colour
// only reinforces something already said with a word, a number or a glyph:
// with NO_COLOR (or a dumb terminal) the renderer drops them and nothing is
// lost.
var (
	colorAccent   = lipgloss.AdaptiveColor{Light: "#5A3FC0", Dark: "#B69CFF"}
	colorSubtle   = lipgloss.AdaptiveColor{Light: "#5F5F5F", Dark: "#A0A0A0"}
	colorFaint    = lipgloss.AdaptiveColor{Light: "#8A8A8A", Dark: "#6A6A6A"}
	colorText     = lipgloss.AdaptiveColor{Light: "#1A1A1A", Dark: "#E4E4E4"}
	colorCustomer = lipgloss.AdaptiveColor{Light: "#0B6E99", Dark: "#6CC4F0"}
	colorGood     = lipgloss.AdaptiveColor{Light: "#1E7F3C", Dark: "#5FD38A"}
	colorWarn     = lipgloss.AdaptiveColor{Light: "#9A6700", Dark: "#F2C14E"}
	colorBad      = lipgloss.AdaptiveColor{Light: "#B42318", Dark: "#FF7A70"}
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
	s := Styles{r: r}
	s.Title = r.NewStyle().Bold(true).Foreground(colorAccent)
	s.Section = r.NewStyle().Bold(true).Underline(true)
	s.Text = r.NewStyle().Foreground(colorText)
	s.Subtle = r.NewStyle().Foreground(colorSubtle)
	s.Faint = r.NewStyle().Foreground(colorFaint)

	s.CustomerName = r.NewStyle().Bold(true).Foreground(colorCustomer)
	s.TraineeName = r.NewStyle().Bold(true).Foreground(colorAccent)
	s.Timestamp = r.NewStyle().Foreground(colorFaint)

	s.Clock = r.NewStyle().Bold(true)
	s.Window = r.NewStyle().Bold(true).Foreground(colorWarn)

	s.MeterLabel = r.NewStyle().Foreground(colorSubtle)
	s.MeterEmpty = r.NewStyle().Foreground(colorFaint)
	s.MeterGood = r.NewStyle().Foreground(colorGood)
	s.MeterWarn = r.NewStyle().Foreground(colorWarn)
	s.MeterBad = r.NewStyle().Foreground(colorBad)

	s.Choice = r.NewStyle().Foreground(colorText)
	s.Selected = r.NewStyle().Bold(true).Foreground(colorAccent)
	s.Number = r.NewStyle().Bold(true)

	s.Good = r.NewStyle().Bold(true).Foreground(colorGood)
	s.Warn = r.NewStyle().Bold(true).Foreground(colorWarn)
	s.Bad = r.NewStyle().Bold(true).Foreground(colorBad)

	s.Dialog = r.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(colorAccent).Padding(0, 2)
	s.Error = r.NewStyle().Bold(true).Foreground(colorBad)

	s.ItemTitle = r.NewStyle().Foreground(colorText)
	s.ItemSelectedTitle = r.NewStyle().Bold(true).Foreground(colorAccent)
	s.ItemDesc = r.NewStyle().Foreground(colorSubtle)
	s.ItemSelectedDesc = r.NewStyle().Foreground(colorAccent)
	s.ItemDimmed = r.NewStyle().Foreground(colorFaint)
	s.FilterMatch = r.NewStyle().Underline(true)

	s.Prompt = r.NewStyle().Bold(true).Foreground(colorAccent)
	s.Input = r.NewStyle().Foreground(colorText)

	key := r.NewStyle().Foreground(colorSubtle).Bold(true)
	desc := r.NewStyle().Foreground(colorFaint)
	sep := r.NewStyle().Foreground(colorFaint)
	s.Help = help.Styles{
		Ellipsis:       sep,
		ShortKey:       key,
		ShortDesc:      desc,
		ShortSeparator: sep,
		FullKey:        key,
		FullDesc:       desc,
		FullSeparator:  sep,
	}
	s.List = listStyles(r)
	return s
}

// listStyles mirrors list.DefaultStyles with the session renderer and the
// Rapport palette.
func listStyles(r *lipgloss.Renderer) list.Styles {
	var s list.Styles
	s.TitleBar = r.NewStyle().Padding(0, 0, 1, 1)
	s.Title = r.NewStyle().Bold(true).Foreground(colorAccent)
	s.Spinner = r.NewStyle().Foreground(colorSubtle)
	s.FilterPrompt = r.NewStyle().Bold(true).Foreground(colorAccent)
	s.FilterCursor = r.NewStyle().Foreground(colorAccent)
	s.DefaultFilterCharacterMatch = r.NewStyle().Underline(true)
	s.StatusBar = r.NewStyle().Foreground(colorSubtle).Padding(0, 0, 1, 1)
	s.StatusEmpty = r.NewStyle().Foreground(colorFaint)
	s.StatusBarActiveFilter = r.NewStyle().Foreground(colorText)
	s.StatusBarFilterCount = r.NewStyle().Foreground(colorFaint)
	s.NoItems = r.NewStyle().Foreground(colorSubtle)
	s.PaginationStyle = r.NewStyle().PaddingLeft(1)
	s.HelpStyle = r.NewStyle().Padding(1, 0, 0, 1)
	s.ActivePaginationDot = r.NewStyle().Foreground(colorAccent).SetString("•")
	s.InactivePaginationDot = r.NewStyle().Foreground(colorFaint).SetString("·")
	s.ArabicPagination = r.NewStyle().Foreground(colorSubtle)
	s.DividerDot = r.NewStyle().Foreground(colorFaint).SetString(" • ")
	return s
}

// newHelp returns a help model drawn with the session's styles.
func newHelp(s *Styles) help.Model {
	h := help.New()
	h.Styles = s.Help
	return h
}
