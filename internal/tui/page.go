package tui

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/rapport-sim/rapport/internal/scenario"
	"github.com/rapport-sim/rapport/internal/textsafe"
)

// The player is a root model (Model) over pages, in soft-serve's shape
// (pkg/ui/common.Common and the Component interface): every screen is a
// page behind a pointer, every page shares one common, and the root holds
// only the page on show. A page is changed in place by Update, so a
// message never copies a page; the root is a few hundred bytes, which is
// all Bubble Tea boxes per message.
//
// The root handles what leaves a page before passing a message down: the
// keys that start a conversation, end it, ask before abandoning it or open
// the debrief, so a key typed ahead always lands on the page it was meant
// for (a page asking for a change in a command would let the next key
// reach the old page first).

// page is one screen of the player.
type page interface {
	// Update handles a message in place and returns the commands it
	// starts.
	Update(msg tea.Msg) tea.Cmd
	// View draws the page at the size SetSize gave it. It changes
	// nothing.
	View() string
	// SetSize lays the page out for a window of width x height cells.
	SetSize(width, height int)
}

// common is what every page shares: the options, one set of styles and
// keys, one help, and the window's size. The root owns it; pages hold a
// pointer.
type common struct {
	opts   Options
	styles *Styles
	keys   keyMap
	// help draws every page's key help. Each page keeps whether its full
	// help is open and passes it in (helpView), so one help serves all.
	help help.Model
	// helpDrawn keeps the help lines drawn lately, by what they show: a
	// page's keys change rarely but are drawn on every key (each binding
	// is three Renders), which was a third of a choice key's work.
	helpDrawn     map[string]string
	width, height int
}

func newCommon(opts Options) *common {
	styles := DefaultStyles(opts.Renderer)
	return &common{
		opts:   opts,
		styles: &styles,
		keys:   defaultKeyMap(),
		help:   newHelp(&styles),
		// Until the terminal reports its size, lay out for the classic
		// 80x24 so a first frame is never empty.
		width:  80,
		height: 24,
	}
}

// helpView draws a page's key help, the full help when all is set, within
// width cells (no limit when width is 0).
func (c *common) helpView(k help.KeyMap, all bool, width int) string {
	var sig strings.Builder
	sig.WriteString(strconv.FormatBool(all) + strconv.Itoa(width))
	add := func(bs []key.Binding) {
		sig.WriteByte('|')
		for _, b := range bs {
			sig.WriteString(strconv.FormatBool(b.Enabled()) + "\x00" + b.Help().Key + "\x00" + b.Help().Desc + "\x00")
		}
	}
	if all {
		for _, col := range k.FullHelp() {
			add(col)
		}
	} else {
		add(k.ShortHelp())
	}
	if v, ok := c.helpDrawn[sig.String()]; ok {
		return v
	}
	c.help.ShowAll = all
	c.help.Width = width
	v := c.help.View(k)
	if len(c.helpDrawn) >= 32 {
		clear(c.helpDrawn)
	}
	if c.helpDrawn == nil {
		c.helpDrawn = map[string]string{}
	}
	c.helpDrawn[sig.String()] = v
	return v
}

// loadingPage is the first page of a watching player, before the file
// has been read.
type loadingPage struct{ c *common }

func (p *loadingPage) Update(tea.Msg) tea.Cmd { return nil }
func (p *loadingPage) SetSize(int, int)       {}

func (p *loadingPage) View() string {
	return "\n" + margin(p.c.styles.Subtle.Render("Reading the scenario file…"))
}

// briefingKeys are the keys of the briefing screen.
type briefingKeys struct {
	Start, Back, Quit key.Binding
}

func defaultBriefingKeys() briefingKeys {
	return briefingKeys{
		Start: key.NewBinding(key.WithKeys("enter", " "), key.WithHelp("enter", "start the call")),
		Back:  key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
		Quit:  key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),
	}
}

// briefingPage is what the trainee reads before a scenario with a
// [briefing] starts: who they are, the company, the goal and what they may
// offer. The conversation (and the countdown of timed play) starts when
// they press enter. Shown again during the call (the play screen's i), it
// lies over the conversation, which waits behind it.
type briefingPage struct {
	c    *common
	sc   *scenario.Scenario
	keys briefingKeys
	// over is the conversation the briefing is shown again over; nil
	// before the call.
	over *playPage
	// back is the list the scenario was picked from, which esc returns
	// to as it was left; nil when it was started another way.
	back *pickerPage
}

func newBriefing(c *common, sc *scenario.Scenario, over *playPage, back *pickerPage) *briefingPage {
	return &briefingPage{c: c, sc: sc, keys: defaultBriefingKeys(), over: over, back: back}
}

// canGoBack says esc returns to the list: there is one to return to.
func (p *briefingPage) canGoBack() bool {
	return p.c.opts.Start == nil && len(p.c.opts.Scenarios) > 0
}

// Update lets the conversation behind the briefing go on (its typewriter
// and countdown); the briefing's own keys are the root's.
func (p *briefingPage) Update(msg tea.Msg) tea.Cmd {
	if p.over == nil {
		return nil
	}
	if _, ok := msg.(tea.KeyMsg); ok {
		return nil
	}
	return p.over.Update(msg)
}

// SetSize lays out the conversation behind; the briefing is drawn at the
// common size.
func (p *briefingPage) SetSize(w, h int) {
	if p.over != nil {
		p.over.SetSize(w, h)
	}
}

func (p *briefingPage) View() string {
	if p.over != nil {
		help := "any key: back to the call"
		if p.c.opts.Timed > 0 {
			help += " (the clock is still running)"
		}
		return p.text("Your briefing, again", help)
	}
	k := p.keys
	help := k.Start.Help().Key + " " + k.Start.Help().Desc
	if p.canGoBack() {
		help += " • " + k.Back.Help().Key + " " + k.Back.Help().Desc
	}
	help += " • " + k.Quit.Help().Key + " " + k.Quit.Help().Desc
	return p.text("Before the call", help)
}

// text lays out the scenario's briefing under a heading, with a help
// line.
func (p *briefingPage) text(heading, help string) string {
	s := p.c.styles
	w := max(20, min(p.c.width-2, 100))
	var b strings.Builder
	b.WriteString(s.Title.Render(truncate(textsafe.Line(p.sc.Title), w)) + "\n")
	b.WriteString(s.Subtle.Render(heading) + "\n\n")
	for _, l := range p.sc.BriefingLines(scenario.AgentName(p.c.opts.Agent)) {
		l = textsafe.Line(l)
		indent := ""
		if strings.HasPrefix(l, "- ") {
			indent = "    "
		}
		lines := wrapLines(l, w-len(indent))
		b.WriteString(hang(lines, "", strings.Repeat(" ", max(len(indent), 0))) + "\n")
	}
	b.WriteString("\n" + s.Faint.Render(wrap(help, w)))
	return margin(b.String())
}
