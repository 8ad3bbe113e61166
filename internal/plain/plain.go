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
//	res, err := plain.Run(ctx, stdin, stdout, sc, plain.Options{Session: session.Options{Now: time.Now}})
//
// Run returns ErrAbandoned (the CLI exits 1) when input ends, or the trainee
// types q, before the conversation does; the returned Result then holds the
// conversation as it was left, for the CLI to record as abandoned.
//
// In untimed practice the trainee can type b to take back the last line;
// Result.Rewinds counts it and the debrief says the attempt was practised
// with rewinds. With Options.Timed each answer has a time limit: the
// trainee is told the time allowed, the real pause is measured and counts
// on the conversation clock, and when the time runs out the customer's
// reaction to the dead air is printed at once (the answer still counts,
// with the silence in it).
package plain

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/rapport-sim/rapport/internal/debrief"
	"github.com/rapport-sim/rapport/internal/engine"
	"github.com/rapport-sim/rapport/internal/reader"
	"github.com/rapport-sim/rapport/internal/scenario"
	"github.com/rapport-sim/rapport/internal/scoring"
	"github.com/rapport-sim/rapport/internal/session"
	"github.com/rapport-sim/rapport/internal/textsafe"
)

// ErrAbandoned reports that input ended, or the trainee asked to leave,
// before a conversation (or the choice of one) was finished.
var ErrAbandoned = errors.New("attempt abandoned")

// The two ways an attempt is abandoned, worded for the trainee.
var (
	errInputEnded error = abandoned("input ended before the conversation did")
	errLeft       error = abandoned("you left before the conversation ended")
)

// abandoned is an ErrAbandoned with the way it came about: what
// fmt.Errorf("...: %w", ErrAbandoned) says, as a value the compiler lays
// out in the binary rather than one made at start-up.
type abandoned string

func (a abandoned) Error() string { return string(a) + ": " + ErrAbandoned.Error() }
func (abandoned) Unwrap() error   { return ErrAbandoned }

// MaxTypedLength is how many characters of a typed answer are kept, the
// same in every front end.
const MaxTypedLength = session.MaxTypedLength

// Options configure a plain-mode conversation.
type Options struct {
	// Session is how the conversation is played (the session's options:
	// the clock, the trainee's name, timed play), the same in every front
	// end. Timed play needs Session.Now, measures each pause with it, and
	// offers no taking back.
	Session session.Options
	// After waits for a duration, like time.After, to notice a timed
	// answer running out while the trainee is still thinking. Nil means
	// time.After; tests pass a channel they control.
	After func(time.Duration) <-chan time.Time
	// Retry, when set, is an earlier conversation at this scenario to
	// retry from turn RetryTurn (from 1): the lines before it are said
	// again (session.RetryFrom) and the trainee answers from there.
	Retry     *engine.State
	RetryTurn int
}

// Result is how a plain-mode attempt went: the conversation as it stood
// at the end (finished, or, with ErrAbandoned, wherever the trainee left
// it), for results.RecordOf.
type Result = session.Attempt

// Run plays sc, writing to out and reading one answer per line from in: a
// choice number, "t" followed by the trainee's own words, "b" to take back
// the last line (untimed practice only), or "q" to leave. Junk gets a
// clear message and the question again. At the end it prints the outcome,
// the path taken and the debrief (scores, key moments, feedback per turn,
// the customer's mood over time). It returns how the attempt went, and
// ErrAbandoned when the conversation did not reach its end.
//
// Run reads in a byte at a time unless in is already buffered
// (io.ByteReader), so Pick and Run can share one unbuffered reader such as
// os.Stdin without either swallowing the other's lines. Each line is read
// in a goroutine, so that Run notices ctx ending (a signal: the attempt is
// returned with ErrAbandoned, to be saved) and, timed, the time running
// out while the trainee is still thinking.
func Run(ctx context.Context, in io.Reader, out io.Writer, sc *scenario.Scenario, opts Options) (Result, error) {
	so := opts.Session
	var s session.Session
	var err error
	if opts.Retry != nil {
		s, err = session.RetryFrom(sc, so, *opts.Retry, opts.RetryTurn)
	} else {
		s, err = session.New(sc, so)
	}
	if err != nil {
		return Result{Scenario: sc, Timed: opts.Session.Timed}, err
	}
	if opts.After == nil {
		opts.After = time.After
	}
	p := &player{
		sc:  sc,
		s:   s,
		in:  newLineReader(in),
		w:   &errWriter{w: out},
		opt: opts,
	}
	err = p.run(ctx)
	res := p.s.Attempt()
	if p.w.err != nil {
		return res, fmt.Errorf("play %q: write: %w", sc.ID, p.w.err)
	}
	return res, err
}

type player struct {
	sc    *scenario.Scenario
	s     session.Session
	in    *lineReader
	w     *errWriter
	opt   Options
	shown int
}

func (p *player) run(ctx context.Context) error {
	p.intro()
	if n := p.s.Attempt().RetryFrom; n > 1 {
		p.w.printf("Retrying from turn %d: your first %s said again as before.\n", n, debrief.Plural(n-1, "line is", "lines are"))
	}
	for !p.s.Done() {
		p.newLines()
		p.situation()
		rewind, err := p.ask(ctx)
		if err != nil {
			p.abandoned(err)
			return err
		}
		if rewind {
			if err := p.rewind(); err != nil {
				return err
			}
			continue
		}
		p.said()
	}
	p.end()
	return nil
}

// rewind takes back the trainee's last line: the conversation is replayed
// without it, and the customer's lines before it are said again.
func (p *player) rewind() error {
	if err := p.s.TakeBack(); err != nil {
		return err
	}
	p.shown = session.Newest(p.s.State().Transcript)
	p.w.printf("\nYou took back your last line. Back to where you were:\n")
	return nil
}

// intro says what the conversation is and who the customer is.
func (p *player) intro() {
	sc := p.sc
	title := debrief.Title(sc)
	p.w.printf("Rapport: %s (%s, %s).\n", title, debrief.ChannelWord(sc.Channel), textsafe.Line(string(sc.Difficulty)))
	if s := textsafe.Line(sc.Summary); s != "" {
		p.w.printf("%s\n", s)
	}
	who := "Customer: " + p.name() + "."
	if persona := textsafe.Line(sc.Customer.Persona); persona != "" {
		who += " " + persona
	}
	p.w.printf("%s\n", who)
	if v := textsafe.Line(sc.Customer.Voice); v != "" {
		p.w.printf("How they speak: %s\n", v)
	}
	if b := sc.BriefingLines(p.s.Agent()); len(b) > 0 {
		p.w.printf("Before the call:\n")
		for _, l := range b {
			p.w.printf("  %s\n", textsafe.Line(l))
		}
	}
	p.w.printf("Answer each question with the number of what you would say, or t and your own words. Type q to leave.\n")
	if p.opt.Session.Timed > 0 {
		p.w.printf("Timed: you have %s for each answer. Silence past that is dead air, and %s will react to it.\n",
			seconds(p.opt.Session.Timed), p.name())
	} else {
		p.w.printf("This is practice: type b to take back your last line and choose again.\n")
	}
}

func (p *player) name() string {
	if n := textsafe.Line(p.sc.Customer.Name); n != "" {
		return n
	}
	return "The customer"
}

// newLines prints the customer's lines the trainee has not seen yet.
func (p *player) newLines() {
	tr := p.s.State().Transcript
	for _, e := range tr[min(p.shown, len(tr)):] {
		if e.Speaker == engine.Customer {
			p.w.printf("\n%s says: %s\n", p.name(), textsafe.Line(e.Text))
		}
	}
	p.shown = len(tr)
}

// situation prints the clock, the customer's state in words and the
// numbered choices.
func (p *player) situation() {
	st := p.s.State()
	if st.Clock < scoring.OpeningWindow {
		p.w.printf("Clock %s, inside the first 30 seconds.\n", clock(st.Clock))
	} else {
		p.w.printf("Clock %s.\n", clock(st.Clock))
	}
	p.w.printf("%s\n", moodWords(st.Mood, session.MoodBefore(p.s.State())))
	p.w.printf("What do you say?\n")
	for i, c := range p.s.Offered() {
		p.w.printf("  %d. %s\n", i+1, textsafe.Line(p.s.Fill(c.Say)))
	}
}

// ask reads lines until one is an answer, and says it. In timed play the
// session measures the pause from the question to the answer, and when
// the time allowed runs out the customer reacts to the silence at once.
// rewind reports that the trainee asked to take the last line back.
func (p *player) ask(ctx context.Context) (rewind bool, err error) {
	n := len(p.s.Offered())
	if n == 0 {
		return false, fmt.Errorf("play %q: no choice is offered at %q", p.sc.ID, p.s.State().Node)
	}
	t := p.startTimer()
	for {
		p.w.printf("Type a number from 1 to %d, or t and your own words%s:\n", n, p.reminder(t))
		if err := ctx.Err(); err != nil {
			return false, fmt.Errorf("%w: %w", ErrAbandoned, err)
		}
		text, err := p.read(ctx, &t)
		if err != nil {
			if errors.Is(err, io.EOF) {
				return false, errInputEnded
			}
			return false, err
		}
		reply := strings.TrimSpace(text)
		lower := strings.ToLower(reply)
		switch {
		case reply == "":
			p.w.printf("Nothing was typed.\n")
			continue
		case lower == "q" || lower == "quit":
			return false, errLeft
		case lower == "b" || lower == "back":
			if p.opt.Session.Timed > 0 {
				p.w.printf("Taking a line back is for untimed practice; in timed play what you say stays said.\n")
				continue
			}
			if !p.s.CanTakeBack() {
				p.w.printf("There is nothing to take back yet.\n")
				continue
			}
			return true, nil
		case lower == "t" || strings.HasPrefix(lower, "t "):
			if p.typed(reply[1:], &t) {
				return false, nil
			}
			continue
		}
		k, err := strconv.Atoi(reply)
		if err != nil || k < 1 || k > n {
			p.w.printf("%q is not one of the choices.\n", truncate(textsafe.Line(reply), 40))
			continue
		}
		p.lateReaction(&t)
		if err := p.s.Say(k - 1); err != nil {
			// Only offered choices get here, so this is a bug in the
			// scenario or engine, not the trainee's doing.
			return false, err
		}
		return false, nil
	}
}

// timer notices a timed answer running out while the trainee is still
// thinking; the session measures the pause itself.
type timer struct {
	limit time.Duration
	// out fires when the time allowed runs out; nil once it has, or in
	// untimed play.
	out <-chan time.Time
}

// startTimer starts timing an answer (untimed play gets a timer that
// never runs).
func (p *player) startTimer() timer {
	if p.opt.Session.Timed <= 0 {
		return timer{}
	}
	p.s.Ask()
	return timer{limit: p.opt.Session.Timed, out: p.opt.After(p.opt.Session.Timed)}
}

// reminder is added to the question in timed play.
func (p *player) reminder(t timer) string {
	switch {
	case t.limit <= 0:
		return ""
	case p.s.TimedOut():
		return ", now"
	}
	return fmt.Sprintf(" (%s)", seconds(t.limit))
}

// read returns the next input line. It waits for the line, ctx ending or,
// in timed play, the time running out (when the customer reacts to the
// silence and the wait goes on).
func (p *player) read(ctx context.Context, t *timer) (string, error) {
	for {
		text, err := p.in.readLine(ctx, t.out)
		switch {
		case errors.Is(err, errTimeUp):
			t.out = nil
			p.silence()
			p.w.printf("Answer now: type a number, or t and your own words:\n")
			continue
		case err == nil, errors.Is(err, io.EOF):
			return text, err
		case ctx.Err() != nil:
			return "", fmt.Errorf("%w: %w", ErrAbandoned, ctx.Err())
		}
		return "", fmt.Errorf("read answer: %w", err)
	}
}

// silence prints the customer's reaction to dead air, once per answer:
// what the session will record with the step.
func (p *player) silence() {
	st := p.s.State()
	heard, fresh := p.s.Silence()
	if !fresh {
		return
	}
	p.w.printf("\n[%s of silence: the time to answer ran out.]\n", seconds(p.opt.Session.Timed))
	for _, e := range heard.Transcript[len(st.Transcript):] {
		p.w.printf("%s says: %s\n", p.name(), textsafe.Line(e.Text))
	}
	p.w.printf("%s\n", moodWords(heard.Mood, st.Mood))
}

// lateReaction prints the reaction to dead air for an answer that came
// after the time ran out but before the timer could say so.
func (p *player) lateReaction(t *timer) {
	if t.limit > 0 && p.s.Pause() >= t.limit {
		p.silence()
	}
}

// typed says the trainee's own words along the closest offered choice,
// saying which one they were heard as. It reports whether they were said.
func (p *player) typed(text string, t *timer) bool {
	h, err := p.s.Hear(text)
	switch {
	case errors.Is(err, session.ErrNothingTyped):
		p.w.printf("Type t, a space, then what you would say.\n")
		return false
	case err != nil:
		p.w.printf("Those words could not be matched to a way forward; pick a number instead.\n")
		return false
	}
	if h.Cut {
		p.w.printf("%s\n", session.CutNote)
	}
	if len(h.Behaviors) > 0 {
		p.w.printf("%s heard %s in your words.\n", p.name(), reader.HeardWords(h.Behaviors))
	}
	p.lateReaction(t)
	pct := int(h.Score*100 + 0.5)
	if h.Unheard {
		p.w.printf("%s did not follow that: it is at best %d%% like choice %d, and %d%% is needed. The conversation stays here; answer again.\n",
			p.name(), pct, h.Index+1, int(engine.MinMatch*100))
	} else {
		p.w.printf("Your words were heard as choice %d (%s).\n", h.Index+1, debrief.MatchPhrase(pct))
	}
	if _, err := p.s.SayTyped(h.Text); err != nil {
		p.w.printf("Those words could not be matched to a way forward; pick a number instead.\n")
		return false
	}
	return true
}

// said echoes the trainee's line and how the customer's state moved.
func (p *player) said() {
	st := p.s.State()
	for _, e := range st.Transcript[p.shown:] {
		if e.Speaker == engine.Trainee {
			typed := ""
			if e.Typed {
				typed = " (your own words)"
			}
			p.w.printf("\nYou say%s: %s\n", typed, textsafe.Line(e.Text))
			p.shown++
			break
		}
		p.shown++
	}
}

func (p *player) abandoned(err error) {
	switch {
	case errors.Is(err, context.Canceled):
		p.w.printf("\nStopped before the conversation ended. The attempt was abandoned.\n")
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
	st := p.s.State()
	p.w.printf("\nThe conversation is over.\n")
	if st.WalkedOut {
		p.w.printf("%s ran out of patience and left.\n", p.name())
	}
	p.w.printf("Outcome: %s. %s.\n", textsafe.Line(string(st.Outcome)), outcomeMeaning(st.Outcome))
	p.w.printf("Time on the clock: %s.\n", clock(st.Clock))
	p.w.printf("%s\n", moodWords(st.Mood, st.Mood))
	p.practice(st)
	writeDebrief(p.w, debrief.New(p.sc, st, scoring.Evaluate(p.sc, st)))
}

// practice says how the attempt was played when that changes how to read
// the scores: practised with rewinds, or timed and how often time ran out.
func (p *player) practice(st engine.State) {
	for _, mark := range debrief.PracticeMarks(st, p.s.Rewinds(), p.opt.Session.Timed) {
		p.w.printf("%s\n", mark)
	}
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

// Next is what the trainee chose to do after a debrief (After).
type Next struct {
	Do NextAction
	// Turn is the turn to retry from (from 1), with RetryTurn.
	Turn int
}

// NextAction is one of the choices After offers.
type NextAction int

// The choices after a debrief.
const (
	Quit NextAction = iota
	TryAgain
	RetryTurn
	BackToList
)

// After offers, as numbered options, what to do once a conversation has
// ended: try again from the start, retry from a chosen turn of res (the
// earlier lines are said again), go back to the list of scenarios (when
// list is true) or quit. It is for a trainee at a terminal; a script's
// input ends after the debrief, and the CLI does not call it then. Input
// ending or q is Quit.
func After(ctx context.Context, in io.Reader, out io.Writer, res Result, list bool) (Next, error) {
	w := &errWriter{w: out}
	r := newLineReader(in)
	turns := len(res.State.Steps)
	type option struct {
		do   NextAction
		text string
	}
	options := []option{{TryAgain, "Try again from the start."}}
	if turns > 0 {
		options = append(options, option{RetryTurn, fmt.Sprintf("Retry from a turn you choose, 1 to %d: the lines before it are said again.", turns)})
	}
	if list {
		options = append(options, option{BackToList, "Back to the list of scenarios."})
	}
	options = append(options, option{Quit, "Quit."})
	ask := func(prompt string, n int) (int, error) {
		for w.err == nil {
			w.printf("%s\n", prompt)
			text, err := r.readLine(ctx, nil)
			if err != nil {
				return 0, err
			}
			answer := strings.TrimSpace(text)
			if strings.EqualFold(answer, "q") || strings.EqualFold(answer, "quit") {
				return 0, io.EOF
			}
			k, err := strconv.Atoi(answer)
			if err != nil || k < 1 || k > n {
				w.printf("%q is not one of them: type a number from 1 to %d.\n", truncate(textsafe.Line(answer), 40), n)
				continue
			}
			return k, nil
		}
		return 0, w.err
	}
	w.printf("\nWhat next?\n")
	for i, o := range options {
		w.printf("  %d. %s\n", i+1, o.text)
	}
	k, err := ask(fmt.Sprintf("Type a number from 1 to %d:", len(options)), len(options))
	if err != nil {
		return Next{}, quitOrErr(err, w)
	}
	next := Next{Do: options[k-1].do}
	if next.Do == RetryTurn {
		if next.Turn, err = ask(fmt.Sprintf("From which turn? Type a number from 1 to %d:", turns), turns); err != nil {
			return Next{}, quitOrErr(err, w)
		}
	}
	return next, nil
}

// quitOrErr makes input ending (or q) a quit, and keeps a real error.
func quitOrErr(err error, w *errWriter) error {
	if errors.Is(err, io.EOF) || errors.Is(err, context.Canceled) {
		return nil
	}
	if w.err != nil {
		return fmt.Errorf("after the debrief: write: %w", w.err)
	}
	return fmt.Errorf("after the debrief: %w", err)
}

// Pick lists scenarios by number and reads the trainee's pick from in. It
// returns ErrAbandoned when input ends, ctx ends or the trainee types q
// first.
func Pick(ctx context.Context, in io.Reader, out io.Writer, scenarios []*scenario.Scenario) (*scenario.Scenario, error) {
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
		title := debrief.Title(sc)
		w.printf("  %d. %s (%s, %s). %s\n", i+1, title, debrief.ChannelWord(sc.Channel), textsafe.Line(string(sc.Difficulty)), textsafe.Line(sc.Summary))
	}
	for w.err == nil {
		w.printf("Type the number of a scenario, or q to quit:\n")
		text, err := r.readLine(ctx, nil)
		if err != nil {
			switch {
			case errors.Is(err, io.EOF):
				w.printf("No scenario was chosen.\n")
				return nil, fmt.Errorf("pick a scenario: %w", ErrAbandoned)
			case ctx.Err() != nil:
				return nil, fmt.Errorf("pick a scenario: %w: %w", ErrAbandoned, ctx.Err())
			}
			return nil, fmt.Errorf("pick a scenario: read: %w", err)
		}
		answer := strings.TrimSpace(text)
		if strings.EqualFold(answer, "q") || strings.EqualFold(answer, "quit") {
			return nil, fmt.Errorf("pick a scenario: %w", ErrAbandoned)
		}
		k, err := strconv.Atoi(answer)
		if err != nil || k < 1 || k > len(list) {
			w.printf("%q is not a scenario number: type a number from 1 to %d.\n", truncate(textsafe.Line(answer), 40), len(list))
			continue
		}
		return list[k-1], nil
	}
	return nil, fmt.Errorf("pick a scenario: write: %w", w.err)
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func clock(d time.Duration) string { return scoring.FormatClock(d) }

// seconds says a duration in whole seconds, for screen readers: "15
// seconds".
func seconds(d time.Duration) string {
	n := int(max(d, 0) / time.Second)
	if n == 1 {
		return "1 second"
	}
	return fmt.Sprintf("%d seconds", n)
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
// turn (Pick, then Run) can share one unbuffered input. Each line is read
// in a goroutine so the caller can stop waiting (ctx, a timer) without
// stopping the read: a line still being read when the wait ends is kept
// for the next call, never lost or read twice.
type lineReader struct {
	br io.ByteReader
	// inFlight delivers the line being read, nil when no read is under
	// way. It is buffered, so the reading goroutine never blocks on it.
	inFlight chan lineRead
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

// errTimeUp is returned by readLine when its timer fires first.
var errTimeUp = errors.New("time is up")

// lineRead is one line read, or the error that ended input.
type lineRead struct {
	text string
	err  error
}

// readLine returns the next line without its newline (and without a
// trailing CR). A last line without a newline is returned as a line; io.EOF
// comes only when nothing is left. It returns ctx's error when ctx ends
// first, and errTimeUp when timeUp (which may be nil) fires first.
func (l *lineReader) readLine(ctx context.Context, timeUp <-chan time.Time) (string, error) {
	if l.inFlight == nil {
		ch := make(chan lineRead, 1)
		l.inFlight = ch
		go func() {
			text, err := l.readBytes()
			ch <- lineRead{text: text, err: err}
		}()
	}
	select {
	case r := <-l.inFlight:
		l.inFlight = nil
		return r.text, r.err
	case <-ctx.Done():
		return "", ctx.Err()
	case <-timeUp:
		return "", errTimeUp
	}
}

// readBytes reads up to and past the next newline.
func (l *lineReader) readBytes() (string, error) {
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
