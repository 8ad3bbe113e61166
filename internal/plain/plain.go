// Package plain is Rapport's accessible, line-by-line player: no alternate
// screen, no redraws, no animation and no colour, just lines a screen reader
// can follow and numbers read from standard input. Because it reads plain
// lines, a scenario can also be played from a script or a pipe:
//
//	printf '1\n2\n1\n' | rapport play first-time-caller --plain
//
// The CLI calls
//
//	sc, err := plain.Pick(stdin, stdout, library)          // when no scenario was named
//	st, err := plain.Run(ctx, stdin, stdout, sc, plain.Options{Pace: pace})
//
// Run returns ErrAbandoned (the CLI exits 1) when input ends, or the trainee
// types q, before the conversation does; the returned state is then the
// conversation as it was left, for the CLI to record as abandoned.
package plain

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/rapport-sim/rapport/internal/engine"
	"github.com/rapport-sim/rapport/internal/scenario"
	"github.com/rapport-sim/rapport/internal/scoring"
)

// ErrAbandoned reports that input ended, or the trainee asked to leave,
// before a conversation (or the choice of one) was finished.
var ErrAbandoned = errors.New("attempt abandoned")

// The two ways an attempt is abandoned, worded for the trainee.
var (
	errInputEnded = fmt.Errorf("input ended before the conversation did: %w", ErrAbandoned)
	errLeft       = fmt.Errorf("you left before the conversation ended: %w", ErrAbandoned)
)

// MaxTypedLength is how many characters of a typed answer are kept: about
// two spoken sentences, the same limit as the full-screen player.
const MaxTypedLength = 280

// Options configure a plain-mode conversation.
type Options struct {
	// Pace is how long lines take on the conversation clock. Nil means the
	// scoring model's clock for the scenario's channel
	// (scoring.Pace(sc.Channel)), which is what the scores assume.
	Pace engine.Pace
	// Hesitation is the pause counted on the conversation clock before
	// each of the trainee's lines. Zero means scoring.DefaultHesitation.
	Hesitation time.Duration
}

// Run plays sc, writing to out and reading one answer per line from in: a
// choice number, "t" followed by the trainee's own words, or "q" to leave.
// Junk gets a clear message and the question again. At the end it prints
// the outcome, the path taken and the debrief (scores, key moments,
// feedback per turn, the customer's mood over time). It returns the final
// state, and ErrAbandoned when the conversation did not reach its end.
//
// Run reads in a byte at a time unless in is already buffered
// (io.ByteReader), so Pick and Run can share one unbuffered reader such as
// os.Stdin without either swallowing the other's lines.
func Run(ctx context.Context, in io.Reader, out io.Writer, sc *scenario.Scenario, opts Options) (engine.State, error) {
	if sc == nil {
		return engine.State{}, errors.New("play: no scenario")
	}
	if opts.Pace == nil {
		opts.Pace = scoring.Pace(sc.Channel)
	}
	if opts.Hesitation == 0 {
		opts.Hesitation = scoring.DefaultHesitation
	}
	e, err := engine.New(sc, engine.Options{Pace: opts.Pace})
	if err != nil {
		return engine.State{}, fmt.Errorf("play %q: %w", sc.ID, err)
	}
	p := &player{
		sc:  sc,
		e:   e,
		in:  newLineReader(in),
		w:   &errWriter{w: out},
		opt: opts,
	}
	st, err := p.run(ctx)
	if p.w.err != nil {
		return st, fmt.Errorf("play %q: write: %w", sc.ID, p.w.err)
	}
	return st, err
}

type player struct {
	sc    *scenario.Scenario
	e     *engine.Engine
	in    *lineReader
	w     *errWriter
	opt   Options
	shown int
}

func (p *player) run(ctx context.Context) (engine.State, error) {
	p.intro()
	for !p.e.Done() {
		p.newLines()
		p.situation()
		step, err := p.ask(ctx)
		if err != nil {
			p.abandoned(err)
			return p.e.State(), err
		}
		if err := p.e.Choose(step); err != nil {
			// ask only returns offered choices, so this is a bug in the
			// scenario or engine, not the trainee's doing.
			return p.e.State(), fmt.Errorf("play %q: %w", p.sc.ID, err)
		}
		p.said()
	}
	p.end()
	return p.e.State(), nil
}

// intro says what the conversation is and who the customer is.
func (p *player) intro() {
	sc := p.sc
	title := line(sc.Title)
	if title == "" {
		title = line(sc.ID)
	}
	p.w.printf("Rapport: %s (%s, %s).\n", title, channelWord(sc.Channel), line(string(sc.Difficulty)))
	if s := line(sc.Summary); s != "" {
		p.w.printf("%s\n", s)
	}
	who := "Customer: " + p.name() + "."
	if persona := line(sc.Customer.Persona); persona != "" {
		who += " " + persona
	}
	p.w.printf("%s\n", who)
	if v := line(sc.Customer.Voice); v != "" {
		p.w.printf("How they speak: %s\n", v)
	}
	p.w.printf("Answer each question with the number of what you would say, or t and your own words. Type q to leave.\n")
}

func (p *player) name() string {
	if n := line(p.sc.Customer.Name); n != "" {
		return n
	}
	return "The customer"
}

// newLines prints the customer's lines the trainee has not seen yet.
func (p *player) newLines() {
	tr := p.e.State().Transcript
	for _, e := range tr[min(p.shown, len(tr)):] {
		if e.Speaker == engine.Customer {
			p.w.printf("\n%s says: %s\n", p.name(), line(e.Text))
		}
	}
	p.shown = len(tr)
}

// situation prints the clock, the customer's state in words and the
// numbered choices.
func (p *player) situation() {
	st := p.e.State()
	if st.Clock < scoring.OpeningWindow {
		p.w.printf("Clock %s, inside the first 30 seconds.\n", clock(st.Clock))
	} else {
		p.w.printf("Clock %s.\n", clock(st.Clock))
	}
	p.w.printf("%s\n", moodWords(st.Mood, p.before()))
	p.w.printf("What do you say?\n")
	for i, c := range p.e.Choices() {
		p.w.printf("  %d. %s\n", i+1, line(c.Say))
	}
}

// before is the customer's mood before the trainee's last line, for "up 5"
// and "down 10".
func (p *player) before() scenario.Mood {
	tr := p.e.State().Transcript
	for i := len(tr) - 1; i > 0; i-- {
		if tr[i].Speaker == engine.Trainee {
			return tr[i-1].Mood
		}
	}
	return p.e.State().Mood
}

// ask reads lines until one is an answer.
func (p *player) ask(ctx context.Context) (engine.Step, error) {
	choices := p.e.Choices()
	n := len(choices)
	if n == 0 {
		return engine.Step{}, fmt.Errorf("play %q: no choice is offered at %q", p.sc.ID, p.e.State().Node)
	}
	for {
		p.w.printf("Type a number from 1 to %d, or t and your own words:\n", n)
		if err := ctx.Err(); err != nil {
			return engine.Step{}, fmt.Errorf("%w: %w", ErrAbandoned, err)
		}
		text, err := p.in.readLine()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return engine.Step{}, errInputEnded
			}
			return engine.Step{}, fmt.Errorf("read answer: %w", err)
		}
		answer := strings.TrimSpace(text)
		switch {
		case answer == "":
			p.w.printf("Nothing was typed.\n")
			continue
		case strings.EqualFold(answer, "q") || strings.EqualFold(answer, "quit"):
			return engine.Step{}, errLeft
		case strings.EqualFold(answer, "t") || strings.HasPrefix(strings.ToLower(answer), "t "):
			if step, ok := p.typed(answer[1:], choices); ok {
				return step, nil
			}
			continue
		}
		k, err := strconv.Atoi(answer)
		if err != nil || k < 1 || k > n {
			p.w.printf("%q is not one of the choices.\n", truncate(line(answer), 40))
			continue
		}
		return engine.Step{Choice: choices[k-1].Number, Hesitation: p.opt.Hesitation}, nil
	}
}

// typed turns the trainee's own words into a step along the closest offered
// choice, saying which one it was heard as.
func (p *player) typed(text string, choices []*scenario.Choice) (engine.Step, bool) {
	text = scoring.CleanTyped(text)
	if r := []rune(text); len(r) > MaxTypedLength {
		text = string(r[:MaxTypedLength])
	}
	if text == "" {
		p.w.printf("Type t, a space, then what you would say.\n")
		return engine.Step{}, false
	}
	st := p.e.State()
	m := scoring.MatchChoice(text, choices, typedContext(p.sc, st, p.opt.Hesitation))
	for i, c := range choices {
		if c.Number == m.Choice {
			p.w.printf("Your words were heard as choice %d (a %d%% match).\n", i+1, int(m.Score*100+0.5))
			return engine.Step{Choice: c.Number, Text: text, Match: m.Score, Hesitation: p.opt.Hesitation}, true
		}
	}
	p.w.printf("Those words could not be matched to a way forward; pick a number instead.\n")
	return engine.Step{}, false
}

// typedContext is what the scoring model knows when the trainee types a
// line now, read the way scoring.Evaluate reads it afterwards.
func typedContext(sc *scenario.Scenario, st engine.State, hesitation time.Duration) scoring.Context {
	var said []string
	for _, e := range st.Transcript {
		if e.Speaker == engine.Trainee {
			said = said[:0]
			continue
		}
		said = append(said, e.Text)
	}
	return scoring.Context{
		Customer:     strings.Join(said, " "),
		Channel:      sc.Channel,
		CustomerName: sc.Customer.Name,
		Mode:         sc.Customer.Mode,
		Turn:         len(st.Steps),
		Elapsed:      st.Clock + hesitation,
	}
}

// said echoes the trainee's line and how the customer's state moved.
func (p *player) said() {
	st := p.e.State()
	for _, e := range st.Transcript[p.shown:] {
		if e.Speaker == engine.Trainee {
			typed := ""
			if e.Typed {
				typed = " (your own words)"
			}
			p.w.printf("\nYou say%s: %s\n", typed, line(e.Text))
			p.shown++
			break
		}
		p.shown++
	}
}

func (p *player) abandoned(err error) {
	switch {
	case errors.Is(err, errInputEnded):
		p.w.printf("\nInput ended before the conversation did. The attempt was abandoned.\n")
	case errors.Is(err, ErrAbandoned):
		p.w.printf("\nYou left before the conversation ended. The attempt was abandoned.\n")
	}
}

// end prints the ending, the outcome in words, and the debrief with the
// path taken.
func (p *player) end() {
	p.newLines()
	st := p.e.State()
	p.w.printf("\nThe conversation is over.\n")
	if st.WalkedOut {
		p.w.printf("%s ran out of patience and left.\n", p.name())
	}
	p.w.printf("Outcome: %s. %s.\n", line(string(st.Outcome)), outcomeMeaning(st.Outcome))
	p.w.printf("Time on the clock: %s.\n", clock(st.Clock))
	p.w.printf("%s\n", moodWords(st.Mood, st.Mood))
	writeDebrief(p.w, p.sc, scoring.Evaluate(p.sc, st))
}

// moodWords says the customer's state as words and numbers:
// "Apprehension: 60 of 100, down 25. Anger: 5 of 100. Trust: 50 of 100, up 15."
func moodWords(now, before scenario.Mood) string {
	parts := make([]string, 0, 3)
	for _, g := range []struct {
		name string
		stat scenario.Stat
	}{{"Apprehension", scenario.Apprehension}, {"Anger", scenario.Anger}, {"Trust", scenario.Trust}} {
		v, b := now.Get(g.stat), before.Get(g.stat)
		s := fmt.Sprintf("%s: %d of 100", g.name, v)
		switch {
		case v > b:
			s += fmt.Sprintf(", up %d", v-b)
		case v < b:
			s += fmt.Sprintf(", down %d", b-v)
		}
		parts = append(parts, s+".")
	}
	return strings.Join(parts, " ")
}

func outcomeMeaning(o scenario.Outcome) string {
	switch o {
	case scenario.Resolved:
		return "The problem is fixed and the customer leaves satisfied"
	case scenario.Kept:
		return "The problem is not fixed yet, but the relationship held"
	case scenario.FollowUp:
		return "A concrete next step was agreed"
	case scenario.Escalated:
		return "The customer was handed on to someone with more authority"
	case scenario.Lost:
		return "The customer gave up on the conversation"
	}
	return "Rapport does not know this outcome"
}

// Pick lists scenarios by number and reads the trainee's pick from in. It
// returns ErrAbandoned when input ends or the trainee types q first.
func Pick(in io.Reader, out io.Writer, scenarios []*scenario.Scenario) (*scenario.Scenario, error) {
	var list []*scenario.Scenario
	for _, sc := range scenarios {
		if sc != nil {
			list = append(list, sc)
		}
	}
	if len(list) == 0 {
		return nil, errors.New("pick a scenario: the library is empty")
	}
	w := &errWriter{w: out}
	r := newLineReader(in)
	w.printf("Scenarios:\n")
	for i, sc := range list {
		title := line(sc.Title)
		if title == "" {
			title = line(sc.ID)
		}
		w.printf("  %d. %s (%s, %s). %s\n", i+1, title, channelWord(sc.Channel), line(string(sc.Difficulty)), line(sc.Summary))
	}
	for w.err == nil {
		w.printf("Type the number of a scenario, or q to quit:\n")
		text, err := r.readLine()
		if err != nil {
			if errors.Is(err, io.EOF) {
				w.printf("No scenario was chosen.\n")
				return nil, fmt.Errorf("pick a scenario: %w", ErrAbandoned)
			}
			return nil, fmt.Errorf("pick a scenario: read: %w", err)
		}
		answer := strings.TrimSpace(text)
		if strings.EqualFold(answer, "q") || strings.EqualFold(answer, "quit") {
			return nil, fmt.Errorf("pick a scenario: %w", ErrAbandoned)
		}
		k, err := strconv.Atoi(answer)
		if err != nil || k < 1 || k > len(list) {
			w.printf("%q is not a scenario number: type a number from 1 to %d.\n", truncate(line(answer), 40), len(list))
			continue
		}
		return list[k-1], nil
	}
	return nil, fmt.Errorf("pick a scenario: write: %w", w.err)
}

// line cleans untrusted text and folds it onto one line: scenario text and
// typed words are sanitised before they are printed.
func line(s string) string {
	return strings.Join(strings.Fields(scenario.Sanitize(s)), " ")
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func clock(d time.Duration) string { return scoring.FormatClock(d) }

func channelWord(c scenario.Channel) string {
	switch c {
	case scenario.InPerson:
		return "in person"
	case "":
		return "unknown channel"
	}
	return line(string(c))
}

// errWriter keeps the first write error so the driver can print freely and
// check once.
type errWriter struct {
	w   io.Writer
	err error
}

func (w *errWriter) printf(format string, args ...any) {
	if w.err != nil {
		return
	}
	_, w.err = fmt.Fprintf(w.w, format, args...)
}

// lineReader reads lines without reading past them, so several readers in
// turn (Pick, then Run) can share one unbuffered input.
type lineReader struct {
	br io.ByteReader
}

func newLineReader(r io.Reader) *lineReader {
	if br, ok := r.(io.ByteReader); ok {
		return &lineReader{br: br}
	}
	return &lineReader{br: &byteAtATime{r: r}}
}

// maxLine bounds a line so endless input without a newline cannot grow
// memory without limit; the rest of an overlong line is discarded.
const maxLine = 4096

// readLine returns the next line without its newline (and without a
// trailing CR). A last line without a newline is returned as a line; io.EOF
// comes only when nothing is left.
func (l *lineReader) readLine() (string, error) {
	var b strings.Builder
	read := false
	for {
		c, err := l.br.ReadByte()
		if err != nil {
			if errors.Is(err, io.EOF) && read {
				return strings.TrimSuffix(b.String(), "\r"), nil
			}
			return "", err
		}
		read = true
		if c == '\n' {
			return strings.TrimSuffix(b.String(), "\r"), nil
		}
		if b.Len() < maxLine {
			b.WriteByte(c)
		}
	}
}

// byteAtATime reads one byte per call from a reader that is not buffered.
type byteAtATime struct {
	r   io.Reader
	buf [1]byte
}

func (b *byteAtATime) ReadByte() (byte, error) {
	for {
		n, err := b.r.Read(b.buf[:])
		if n == 1 {
			return b.buf[0], nil
		}
		if err != nil {
			return 0, err
		}
	}
}
