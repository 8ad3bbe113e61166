package tui

import (
	"errors"
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/rapport-sim/rapport/internal/debrief"
	"github.com/rapport-sim/rapport/internal/engine"
	"github.com/rapport-sim/rapport/internal/reader"
	"github.com/rapport-sim/rapport/internal/scenario"
	"github.com/rapport-sim/rapport/internal/scoring"
	"github.com/rapport-sim/rapport/internal/session"
	"github.com/rapport-sim/rapport/internal/textsafe"
	"github.com/rapport-sim/rapport/internal/tui/textkeys"
)

// MaxTypedLength is how many characters a typed answer may have, the same
// in every front end.
const MaxTypedLength = session.MaxTypedLength

// playPage is the conversation screen. The rules of play (what is
// offered, saying a line, typed words, the pause, dead air, taking back)
// are the session's; the screen draws it and feeds it keys.
type playPage struct {
	c       *common
	sc      *scenario.Scenario
	sess    session.Session
	animate bool

	// before is the customer's mood before the last turn, for the meters'
	// arrows.
	before scenario.Mood
	cursor int
	// newest is the index of the first transcript line of the customer's
	// newest turn, the part the typewriter reveals.
	newest int
	reveal reveal
	// jump asks the next layout to scroll the transcript to its end, after
	// a turn; otherwise it follows only if the trainee had not scrolled up.
	jump   bool
	typing bool
	input  textinput.Model
	// note is a one-line message above the choices (how typed words were
	// heard, or why they could not be).
	note string

	// watching is said first in the header while the author's file is
	// watched: "Watching kettle.toml (2 warnings)".
	watching string

	// timer is the countdown drawn in timed play (off when untimed); the
	// session measures the pause itself.
	timer countdown

	vp viewport.Model
	// fullHelp says the full key help is open (the common help draws
	// it).
	fullHelp   bool
	keys       playKeyMap
	typingKeys typingKeyMap
	styles     *Styles

	width, height int

	// Rendered once per change by layout, so View only joins strings.
	title, customer, voice string
	head, meterRow         string
	topRule, choiceRule    string
	choiceBlock, helpBlock string
	// history is the transcript before newest, rendered at histWidth.
	history    string
	histN      int
	histWidth  int
	nameWidth  int
	customerAs string
}

// newPlay opens the play screen on a new conversation. In timed play the
// countdown starts at once when the customer's first line is not typed
// out; init returns its first tick.
func newPlay(sc *scenario.Scenario, c *common) (*playPage, error) {
	sess, err := session.New(sc, c.opts.session())
	if err != nil {
		return nil, err
	}
	return newPlayOn(sess, c), nil
}

// session is the session's options for the player's.
func (opts Options) session() session.Options {
	return session.Options{Pace: opts.Pace, Hesitation: opts.Hesitation,
		Timed: opts.Timed, Now: opts.Now, Agent: opts.Agent, Match: opts.match}
}

// maxSpeaker is the widest speaker name in the transcript's column: it
// leaves an 80-column screen room for the lines themselves.
const maxSpeaker = 16

// newPlayOn opens the play page on a session, which may be under way
// already (a retry from a chosen turn).
func newPlayOn(sess session.Session, c *common) *playPage {
	opts, s := c.opts, c.styles
	sc := sess.Scenario()
	in := textinput.New()
	in.Prompt = "› "
	in.Placeholder = "say it in your own words"
	in.CharLimit = MaxTypedLength
	in.PromptStyle = s.Prompt
	in.TextStyle = s.Input
	in.PlaceholderStyle = s.Faint
	in.Cursor.Style = s.Prompt
	if opts.NoAnimation {
		in.Cursor.SetMode(cursor.CursorStatic)
	}

	m := &playPage{
		c:          c,
		sc:         sc,
		sess:       sess,
		animate:    !opts.NoAnimation,
		reveal:     newReveal(),
		input:      in,
		vp:         viewport.New(0, 0),
		keys:       c.keys.Play,
		typingKeys: c.keys.Typing,
		styles:     s,
		timer:      newCountdown(opts.Timed, opts.Now),
	}
	m.before = m.sess.State().Mood
	m.vp.MouseWheelEnabled = true
	// Taking a line back is practice: a timed attempt is a test of the
	// real pace, where the words said stay said.
	m.keys.Back.SetEnabled(!m.timer.on())
	m.keys.Brief.SetEnabled(sc.Briefing != nil)

	title := debrief.Title(sc)
	m.title = title + " · " + debrief.ChannelWord(sc.Channel)
	if d := textsafe.Line(string(sc.Difficulty)); d != "" {
		m.title += " · " + d
	}
	name := textsafe.Line(sc.Customer.Name)
	if name == "" {
		name = "Customer"
	}
	m.customerAs = name
	m.customer = "Customer: " + name
	if p := textsafe.Line(sc.Customer.Persona); p != "" {
		m.customer += " — " + p
	}
	if v := textsafe.Line(sc.Customer.Voice); v != "" {
		m.voice = "Voice: " + v
	}
	// The transcript's speaker column: the whole name when it fits
	// maxSpeaker, else the first name, so a name is never cut short
	// ("Leon Fairweat…"); only a single word longer than that is.
	speaker := name
	if ansi.StringWidth(speaker) > maxSpeaker {
		if first, _, ok := strings.Cut(speaker, " "); ok {
			speaker = first
		}
	}
	m.nameWidth = min(max(ansi.StringWidth(speaker), len("You")), maxSpeaker)
	m.customerAs = truncate(speaker, m.nameWidth)
	m.reveal.start(m.revealRunes(), m.animate)
	m.armTimer()
	m.jump = true
	return m
}

// init returns the commands that keep the screen moving from the start:
// the typewriter's first tick and, in timed play when the line is already
// whole, the countdown's. Nil when nothing moves.
func (m *playPage) init() tea.Cmd {
	var cmds []tea.Cmd
	if !m.reveal.done() {
		cmds = append(cmds, m.reveal.tick())
	}
	if m.timer.running {
		cmds = append(cmds, m.timer.tick())
	}
	return tea.Batch(cmds...)
}

// armTimer starts timing the decision once the customer's line is shown
// in full (the trainee cannot answer what they have not read yet). It
// returns the countdown's first tick, or nil.
func (m *playPage) armTimer() tea.Cmd {
	if !m.reveal.done() || m.sess.Done() || len(m.sess.Offered()) == 0 {
		return nil
	}
	m.sess.Ask()
	return m.timer.arm()
}

// SetSize lays the screen out for a new window size.
func (m *playPage) SetSize(w, h int) {
	m.width, m.height = w, h
	m.layout()
}

// wantsQuit reports whether a key asks to leave the conversation. While
// typing, q is a letter, so only ctrl+c counts.
func (m *playPage) wantsQuit(k tea.KeyMsg) bool {
	if m.typing {
		return key.Matches(k, m.typingKeys.Quit)
	}
	return key.Matches(k, m.keys.Quit)
}

// Update handles a message in place: the typewriter, the countdown,
// scrolling and the keys of the conversation. Leaving it (quitting, the
// briefing again) is the root's.
func (m *playPage) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case revealTickMsg:
		var cmd tea.Cmd
		var changed bool
		m.reveal, cmd, changed = m.reveal.update(msg)
		if changed {
			m.refreshTranscript(false)
			if m.reveal.done() {
				cmd = tea.Batch(cmd, m.armTimer())
				m.layout()
			}
		}
		return cmd
	case countdownTickMsg:
		var cmd tea.Cmd
		var expired bool
		if m.sess.Speaking() {
			// The trainee is typing: the time allowed no longer runs.
			return nil
		}
		m.timer, cmd, expired = m.timer.update(msg)
		if expired {
			return tea.Batch(cmd, m.deadAir())
		}
		if cmd != nil {
			// The top clock runs with the countdown: the pause is on
			// the conversation clock too.
			m.layout()
		}
		return cmd
	case tea.MouseMsg:
		var cmd tea.Cmd
		m.vp, cmd = m.vp.Update(msg)
		return cmd
	case tea.KeyMsg:
		if m.typing {
			return m.updateTyping(msg)
		}
		return m.updateKey(msg)
	}
	if m.typing {
		// Cursor blinks and other input-internal messages.
		var cmd tea.Cmd
		m.input, cmd = m.input.Update(msg)
		return cmd
	}
	return nil
}

func (m *playPage) updateKey(k tea.KeyMsg) tea.Cmd {
	if !m.reveal.done() {
		// Any key shows the whole line; it does not also choose, so a
		// trainee who starts typing early never says something unread.
		m.reveal.skip()
		cmd := m.armTimer()
		m.layout()
		return cmd
	}
	m.note = ""
	n := len(m.sess.Offered())
	switch {
	case key.Matches(k, m.keys.Back):
		if m.sess.CanTakeBack() {
			return m.rewind()
		}
	case key.Matches(k, m.keys.Pick):
		if i := int(k.String()[0] - '0'); i >= 1 && i <= n {
			return m.choose(i-1, "", "")
		}
		m.note = fmt.Sprintf("There is no choice %s here: pick 1 to %d.", k.String(), n)
	case key.Matches(k, m.keys.Up):
		if n > 0 {
			m.cursor = (m.cursor - 1 + n) % n
		}
	case key.Matches(k, m.keys.Down):
		if n > 0 {
			m.cursor = (m.cursor + 1) % n
		}
	case key.Matches(k, m.keys.Say):
		if m.cursor < n {
			return m.choose(m.cursor, "", "")
		}
	case key.Matches(k, m.keys.Type):
		m.typing = true
		m.input.Reset()
		m.layout()
		return m.input.Focus()
	case key.Matches(k, m.keys.PageUp):
		m.vp.PageUp()
	case key.Matches(k, m.keys.PageDown):
		m.vp.PageDown()
	case key.Matches(k, m.keys.Help):
		toggleHelp(&m.fullHelp, &m.keys.Help)
	}
	m.layout()
	return nil
}

func (m *playPage) updateTyping(k tea.KeyMsg) tea.Cmd {
	k = textkeys.AsText(k)
	switch {
	case key.Matches(k, m.typingKeys.Cancel):
		m.typing = false
		m.input.Blur()
		m.layout()
		return nil
	case key.Matches(k, m.typingKeys.Send):
		h, err := m.sess.Hear(m.input.Value())
		switch {
		case errors.Is(err, session.ErrNothingTyped):
			m.note = "Type what you would say, or press esc to go back to the choices."
			m.layout()
			return nil
		case err != nil:
			m.note = "Those words could not be matched to a way forward; try saying more, or press esc to choose."
			m.layout()
			return nil
		}
		m.typing = false
		m.input.Blur()
		pct := int(h.Score*100 + 0.5)
		note := fmt.Sprintf("Heard as choice %d (%s): %s", h.Index+1, debrief.MatchPhrase(pct), textsafe.Line(m.sess.Fill(h.Choice.Say)))
		if h.Unheard {
			note = fmt.Sprintf("%s did not follow that (%d%% like choice %d at best, %d%% needed), so the conversation stays here. Try again in other words.",
				m.customerAs, pct, h.Index+1, int(engine.MinMatch*100))
		}
		if len(h.Behaviors) > 0 {
			note = fmt.Sprintf("%s heard %s. %s", m.customerAs, reader.HeardWords(h.Behaviors), note)
		}
		return m.choose(h.Index, h.Text, note)
	}
	before := len([]rune(m.input.Value()))
	var cmd tea.Cmd
	m.input, cmd = m.input.Update(k)
	if m.input.Value() != "" && !m.sess.Speaking() {
		// Typing is speaking: the silence before the line ends here.
		m.sess.Typing()
		if m.sess.Speaking() {
			m.choiceRule = m.choicesRule(contentWidth(m.width))
		}
	}
	if (k.Type == tea.KeyRunes || k.Type == tea.KeySpace) && before+max(1, len(k.Runes)) > MaxTypedLength {
		// The box keeps the first MaxTypedLength characters and drops the
		// rest: say so, rather than let typing stop without a word.
		m.note = session.CutNote
		m.layout()
	}
	return cmd
}

// choose says the offered choice at index i, or the trainee's own words
// along it when text is set, moves the conversation on and shows note
// above the choices. The note is in place before the layout that scrolls
// to the customer's reply, so its rows cannot push the reply out of view.
func (m *playPage) choose(i int, text, note string) tea.Cmd {
	before := m.sess.Heard().Mood
	var err error
	if text != "" {
		_, err = m.sess.SayTyped(text)
	} else {
		err = m.sess.Say(i)
	}
	if err != nil {
		m.note = "That could not be said: " + textsafe.Line(err.Error())
		m.layout()
		return nil
	}
	m.before = before
	m.cursor = 0
	// The trainee's own line (and any reaction to dead air before it)
	// shows at once; the customer's reply types out.
	m.newest = session.Newest(m.sess.State().Transcript)
	m.forgetHistory()
	m.timer.reset()
	cmd := m.reveal.start(m.revealRunes(), m.animate)
	cmd = tea.Batch(cmd, m.armTimer())
	m.note = note
	m.jump = true
	m.layout()
	return cmd
}

// deadAir shows the customer's reaction when a timed decision runs out:
// the silence goes into the transcript with the customer's line, typed
// out, and the meters move. The trainee still answers; the step records
// the dead air.
func (m *playPage) deadAir() tea.Cmd {
	before := m.sess.State()
	if _, fresh := m.sess.Silence(); !fresh {
		return nil
	}
	m.before = before.Mood
	m.newest = len(before.Transcript)
	m.forgetHistory()
	// The silence's length is on the countdown, which keeps counting it;
	// a number here would disagree with it a second later.
	m.note = fmt.Sprintf("Time's up: %s heard only silence. Answer now.", m.customerAs)
	cmd := m.reveal.start(m.revealRunes(), m.animate)
	m.jump = true
	m.layout()
	return cmd
}

// rewind takes back the trainee's last line: the conversation is replayed
// without it, the customer's line before it types out again, and the
// rewind is counted (the debrief marks the attempt as practised with
// rewinds). Only untimed play offers it, and only once a line was said.
func (m *playPage) rewind() tea.Cmd {
	if !m.keys.Back.Enabled() {
		return nil
	}
	if err := m.sess.TakeBack(); err != nil {
		m.note = "That line could not be taken back: " + textsafe.Line(err.Error())
		m.layout()
		return nil
	}
	st := m.sess.State()
	m.cursor = 0
	m.newest = session.Newest(st.Transcript)
	m.before = session.MoodBefore(st)
	m.forgetHistory()
	m.note = "You took that line back. Choose again."
	cmd := m.reveal.start(m.revealRunes(), m.animate)
	m.jump = true
	m.layout()
	return cmd
}

// forgetHistory makes the next render redraw the settled transcript: after
// a rewind, a reload or dead air its lines are not the ones drawn before.
func (m *playPage) forgetHistory() { m.histN = -1 }

// revealRunes counts the runes the typewriter has to show: the text of the
// customer's newest lines.
func (m *playPage) revealRunes() int {
	n := 0
	tr := m.sess.Heard().Transcript
	for _, e := range tr[min(m.newest, len(tr)):] {
		n += len([]rune(textsafe.Text(e.Text)))
	}
	return n
}

// contentWidth is the text width: the window less a one-column margin each
// side, capped at 100 columns so lines stay readable on wide terminals.
func contentWidth(w int) int { return max(1, min(w-2, 100)) }

// layout renders every part of the screen for the current state and size
// and fits the transcript into the height that is left. It runs in Update,
// so View only joins strings.
func (m *playPage) layout() {
	if m.width <= 0 || m.height <= 0 {
		return
	}
	cw := contentWidth(m.width)
	s := m.styles
	// Header: title and clock, who the customer is, how they speak.
	heard := m.sess.Heard()
	shown := heard.Clock
	if m.timer.running && !m.sess.Speaking() {
		// The pause so far is conversation time too; the silence's
		// reaction already counted the time allowed.
		extra := m.timer.elapsed
		if m.sess.TimedOut() {
			extra -= m.timer.limit
		}
		shown += max(0, extra)
	}
	clk := s.Clock.Render(clock(shown))
	if heard.Clock < scoring.OpeningWindow {
		clk += " " + s.Window.Render("▸ first 30s")
	}
	titleRoom := cw - ansi.StringWidth(clk) - 2
	title := m.title
	if m.watching != "" {
		title = m.watching + " · " + title
	}
	top := s.Title.Render(truncate(title, max(titleRoom, 1)))
	top += strings.Repeat(" ", max(1, cw-ansi.StringWidth(top)-ansi.StringWidth(clk))) + clk
	m.meterRow = s.meters(heard.Mood, m.before, cw)

	// Help and choices have to show whole; the transcript takes the rest.
	if m.typing {
		m.helpBlock = m.c.helpView(m.typingKeys, m.fullHelp, cw)
	} else {
		k := m.keys
		k.Skip.SetEnabled(!m.reveal.done())
		n := len(m.sess.Offered())
		k.Pick.SetHelp(fmt.Sprintf("1-%d", max(1, n)), "say")
		k.Pick.SetEnabled(n > 0)
		k.Back.SetEnabled(k.Back.Enabled() && m.sess.CanTakeBack())
		m.helpBlock = m.c.helpView(k, m.fullHelp, cw)
	}
	m.topRule = rule(s, "Conversation", cw)
	m.choiceRule = m.choicesRule(cw)
	m.choiceBlock = m.renderChoices(cw, m.height)
	fixed := height(m.meterRow) + 2 + height(m.helpBlock)
	if m.typing {
		// The input line, drawn live by View.
		fixed++
		m.input.Width = max(1, cw-ansi.StringWidth(m.input.Prompt)-1)
	}

	// Who the customer is matters more than how they speak: on short
	// terminals the voice line goes first, then the persona shrinks.
	const minTranscript = 3
	persona, voice := 2, 1
	if m.height >= 30 {
		voice = 2
	}
	if m.voice == "" {
		voice = 0
	}
	need := func() int {
		return 1 + persona + voice + fixed + minTranscript + height(m.choiceBlock)
	}
	for need() > m.height && voice > 0 {
		voice--
	}
	for need() > m.height && persona > 0 {
		persona--
	}
	head := []string{top}
	if persona > 0 {
		head = append(head, s.Subtle.Render(wrapMax(m.customer, cw, persona)))
	}
	if voice > 0 {
		head = append(head, s.Subtle.Render(wrapMax(m.voice, cw, voice)))
	}
	m.head = strings.Join(head, "\n")
	fixed += height(m.head)
	if fixed+minTranscript+height(m.choiceBlock) > m.height {
		// Still too tall: shorten the choices to one line each.
		m.choiceBlock = m.renderChoices(cw, max(1, m.height-fixed-minTranscript))
	}
	m.vp.Width = cw
	m.vp.Height = max(1, m.height-fixed-height(m.choiceBlock))
	m.refreshTranscript(m.jump)
	m.jump = false
}

// choicesRule heads the choices, with the countdown in timed play:
// "── What do you say? · ⏱ 12s left ────".
func (m *playPage) choicesRule(cw int) string {
	label := "What do you say?"
	switch {
	case m.timer.on() && m.sess.Speaking():
		label += " · ⏱ speaking: the clock waits for your line"
	case m.timer.on():
		label += " · " + m.timer.label()
	}
	return rule(m.styles, label, cw)
}

// rule is a horizontal line with a label: "── Conversation ────────".
func rule(s *Styles, label string, width int) string {
	l := "── " + label + " "
	if ansi.StringWidth(l) >= width {
		return s.Faint.Render(strings.Repeat("─", width))
	}
	return s.Faint.Render("── ") + s.Section.UnsetUnderline().Render(label) + " " +
		s.Faint.Render(strings.Repeat("─", width-ansi.StringWidth(l)))
}

// wrapMax wraps s to width and keeps at most n lines, ending the last kept
// line with an ellipsis when text was cut.
func wrapMax(s string, width, n int) string {
	lines := wrapLines(s, width)
	if len(lines) <= n {
		return strings.Join(lines, "\n")
	}
	lines = lines[:n]
	last := lines[n-1]
	if ansi.StringWidth(last) >= width {
		last = truncate(last, width-1)
		last = strings.TrimSuffix(last, "…")
	}
	lines[n-1] = last + "…"
	return strings.Join(lines, "\n")
}

// renderChoices draws the offered choices numbered 1..n within budget
// lines: whole when they fit, else the selected one whole and the others on
// one line each, else every one on one line.
func (m *playPage) renderChoices(cw, budget int) string {
	s := m.styles
	var top []string
	if m.note != "" {
		top = append(top, s.Warn.Render(wrapMax(m.note, cw, 2)))
	}
	if m.typing {
		// The input line itself is drawn live by View, below this block.
		top = append(top, s.Subtle.Render(fmt.Sprintf("Say it your way (up to %d characters):", MaxTypedLength)))
		return strings.Join(top, "\n")
	}
	choices := m.sess.Offered()
	if len(choices) == 0 {
		top = append(top, s.Error.Render(wrapMax("Nothing can be said here: this scenario offers no choice in this state. Press q to leave.", cw, 2)))
		return strings.Join(top, "\n")
	}
	budget -= len(top)
	render := func(compact func(i int) bool) []string {
		out := make([]string, len(choices))
		for i, c := range choices {
			marker, style := "  ", s.Choice
			if i == m.cursor {
				marker, style = "› ", s.Selected
			}
			prefix := fmt.Sprintf("%s%d  ", marker, i+1)
			pw := ansi.StringWidth(prefix)
			tw := max(1, cw-pw)
			text := textsafe.Line(m.sess.Fill(c.Say))
			var body string
			if compact(i) {
				body = style.Render(truncate(text, tw))
			} else {
				wl := wrapLines(text, tw)
				for j := range wl {
					wl[j] = style.Render(wl[j])
				}
				body = hang(wl, "", strings.Repeat(" ", pw))
			}
			num := s.Number.Render(fmt.Sprintf("%d", i+1))
			if i == m.cursor {
				num = s.Selected.Render(fmt.Sprintf("%d", i+1))
			}
			out[i] = marker + num + "  " + body
		}
		return out
	}
	count := func(block []string) int {
		n := 0
		for _, b := range block {
			n += height(b)
		}
		return n
	}
	block := render(func(int) bool { return false })
	if count(block) > budget {
		block = render(func(i int) bool { return i != m.cursor })
	}
	if count(block) > budget {
		block = render(func(int) bool { return true })
	}
	return strings.Join(append(top, block...), "\n")
}

// refreshTranscript rebuilds the transcript text (re-rendering the
// settled history only when it changed) and keeps the newest line in view.
func (m *playPage) refreshTranscript(jump bool) {
	cw := m.vp.Width
	if cw <= 0 {
		return
	}
	tr := m.sess.Heard().Transcript
	newest := min(m.newest, len(tr))
	if m.histN != newest || m.histWidth != cw || (newest == 0 && m.history != "") {
		parts := make([]string, 0, newest)
		for _, e := range tr[:newest] {
			parts = append(parts, m.renderEntry(e, cw, -1))
		}
		m.history = strings.Join(parts, "\n")
		m.histN, m.histWidth = newest, cw
	}
	var b strings.Builder
	b.WriteString(m.history)
	left := m.reveal.shown
	if m.reveal.done() {
		left = -1
	}
	for _, e := range tr[newest:] {
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(m.renderEntry(e, cw, left))
		if left >= 0 {
			left = max(0, left-len([]rune(textsafe.Text(e.Text))))
		}
	}
	follow := jump || m.vp.AtBottom()
	m.vp.SetContent(b.String())
	if follow {
		m.vp.GotoBottom()
	}
}

// renderEntry draws one transcript line with a hanging indent:
//
//	00:04 Grace Okafor  [nervous] Oh, hello. I'm sorry, I've never
//	                    rung before.
//
// limit, when not negative, is how many runes of the text the typewriter
// has revealed. The text is wrapped whole first so revealed words never
// jump from one line to the next.
func (m *playPage) renderEntry(e engine.Entry, cw, limit int) string {
	s := m.styles
	var stamp string
	if cw >= 60 {
		stamp = s.Timestamp.Render(clock(e.At)) + " "
	}
	name, nameStyle := m.customerAs, s.CustomerName
	text := textsafe.Text(e.Text)
	if e.Speaker == engine.Trainee {
		name, nameStyle = "You", s.TraineeName
		if e.Typed {
			text += " (typed)"
		}
	}
	label := stamp + nameStyle.Render(fmt.Sprintf("%-*s", m.nameWidth, name)) + "  "
	lw := ansi.StringWidth(label)
	tw := cw - lw
	if tw < 12 {
		// Too narrow for a column: the text goes under its label.
		lines := wrapLines(text, cw)
		return label + "\n" + strings.Join(cutRunes(lines, limit), "\n")
	}
	lines := cutRunes(wrapLines(text, tw), limit)
	return hang(lines, label, strings.Repeat(" ", lw))
}

// cutRunes keeps the first limit runes of wrapped lines (all of them when
// limit is negative). A line break stands for the space it replaced.
func cutRunes(lines []string, limit int) []string {
	if limit < 0 {
		return lines
	}
	out := make([]string, 0, len(lines))
	for _, l := range lines {
		r := []rune(l)
		if len(r) >= limit {
			out = append(out, string(r[:limit]))
			break
		}
		out = append(out, l)
		limit -= len(r) + 1
		if limit <= 0 {
			break
		}
	}
	return out
}

// View joins the parts rendered by layout.
func (m *playPage) View() string {
	parts := []string{
		m.head,
		m.meterRow,
		m.topRule,
		m.vp.View(),
		m.choiceRule,
		m.choiceBlock,
	}
	if m.typing {
		parts = append(parts, m.input.View())
	}
	return margin(strings.Join(append(parts, m.helpBlock), "\n"))
}
