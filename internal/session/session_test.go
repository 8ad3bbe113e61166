package session

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/rapport-sim/rapport/internal/engine"
	"github.com/rapport-sim/rapport/internal/scenario"
	"github.com/rapport-sim/rapport/internal/scoring"
	"github.com/rapport-sim/rapport/scenarios"
)

func load(t testing.TB, name string) *scenario.Scenario {
	t.Helper()
	sc, diags, err := scenario.Load(scenarios.FS, name)
	if err != nil || diags.HasErrors() {
		t.Fatalf("%s: %v %v", name, err, diags)
	}
	return sc
}

// clock is a wall clock the test moves by hand.
type clock struct{ t time.Time }

func (c *clock) Now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }

func newClock() *clock { return &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)} }

// Untimed practice: the first choice every time reaches the ending the
// engine reaches on its own, with the fixed hesitation before each line,
// and the attempt is finished and stamped.
func TestSayToTheEnd(t *testing.T) {
	sc, clk := load(t, "first-time-caller.toml"), newClock()
	s, err := New(sc, Options{Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	e, _ := engine.New(sc, engine.Options{Pace: scoring.Pace(sc.Channel)})
	for !s.Done() {
		if got := s.Pause(); got != scoring.DefaultHesitation {
			t.Fatalf("pause %s, want the default hesitation", got)
		}
		clk.advance(time.Minute)
		if err := s.Say(0); err != nil {
			t.Fatal(err)
		}
		if err := e.Choose(engine.Step{Choice: e.Choices()[0].Number, Hesitation: scoring.DefaultHesitation}); err != nil {
			t.Fatal(err)
		}
	}
	a := s.Attempt()
	if !a.Finished() || a.State.Ending != e.State().Ending || a.State.Clock != e.State().Clock {
		t.Errorf("ended at %q (%s), engine at %q (%s)", a.State.Ending, a.State.Clock, e.State().Ending, e.State().Clock)
	}
	clk.advance(time.Hour)
	if got := s.Attempt().Ended; !got.Equal(a.Ended) || !a.Ended.After(a.Started) {
		t.Errorf("ended %s (then %s), started %s: the end is when the conversation ended", a.Ended, got, a.Started)
	}
	if err := s.Say(0); !errors.Is(err, ErrOver) {
		t.Errorf("say after the end: %v, want ErrOver", err)
	}
}

// Timed play measures the pause from Ask, and a decision that runs out is
// dead air whether the timer (Silence) or the answer notices first.
func TestTimedPausesAndDeadAir(t *testing.T) {
	sc, clk := load(t, "first-time-caller.toml"), newClock()
	s, err := New(sc, Options{Timed: 10 * time.Second, Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	s.Ask()
	clk.advance(3 * time.Second)
	if err := s.Say(0); err != nil {
		t.Fatal(err)
	}
	if st := s.State().Steps[0]; st.Hesitation != 3*time.Second || st.DeadAir != 0 {
		t.Errorf("step 1: %+v, want a 3s pause and no dead air", st)
	}

	// The timer notices: the customer reacts at once, once.
	s.Ask()
	clk.advance(12 * time.Second)
	before := len(s.State().Transcript)
	heard, fresh := s.Silence()
	if !fresh || len(heard.Transcript) <= before || len(s.State().Transcript) != before {
		t.Fatalf("silence: fresh %v, heard %d lines, played %d; want the reaction heard, not played", fresh, len(heard.Transcript), len(s.State().Transcript))
	}
	if _, again := s.Silence(); again {
		t.Error("the silence was new twice")
	}
	if err := s.Say(0); err != nil {
		t.Fatal(err)
	}
	if st := s.State().Steps[1]; st.DeadAir != 10*time.Second || st.Hesitation != 12*time.Second {
		t.Errorf("step 2: %+v, want 10s of dead air after a 12s pause", st)
	}

	// The answer comes late before any timer fired: still dead air.
	if s.Done() {
		t.Skip("the scenario ended early")
	}
	s.Ask()
	clk.advance(11 * time.Second)
	if err := s.Say(0); err != nil {
		t.Fatal(err)
	}
	if st := s.State().Steps[2]; st.DeadAir != 10*time.Second {
		t.Errorf("step 3: %+v, want dead air", st)
	}
	if s.CanTakeBack() || !errors.Is(s.TakeBack(), ErrNoTakeBack) {
		t.Error("timed play took a line back")
	}
}

// Taking back replays the conversation without the last line and counts
// the rewind; a copy of a session keeps its own version.
func TestTakeBackAndCopies(t *testing.T) {
	sc := load(t, "first-time-caller.toml")
	s, err := New(sc, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if s.CanTakeBack() {
		t.Error("a line could be taken back before any was said")
	}
	if err := s.Say(1); err != nil {
		t.Fatal(err)
	}
	saved := s
	if err := s.Say(0); err != nil {
		t.Fatal(err)
	}
	if len(saved.State().Steps) != 1 {
		t.Fatalf("the copy changed: %d steps", len(saved.State().Steps))
	}
	if err := s.TakeBack(); err != nil {
		t.Fatal(err)
	}
	if got := s.State(); len(got.Steps) != 1 || got.Clock != saved.State().Clock || s.Rewinds() != 1 {
		t.Errorf("after taking back: %d steps at %s, %d rewinds; want the copy's 1 step at %s, 1 rewind",
			len(got.Steps), got.Clock, s.Rewinds(), saved.State().Clock)
	}
}

// Own words are cleaned, cut to MaxTypedLength, matched to an offered
// choice and said along it.
func TestSayTyped(t *testing.T) {
	sc := load(t, "first-time-caller.toml")
	s, err := New(sc, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SayTyped("  \t "); !errors.Is(err, ErrNothingTyped) {
		t.Errorf("blank words: %v, want ErrNothingTyped", err)
	}
	long := "Good morning, you're through to Sam, I can hear this letter has worried you " + strings.Repeat("and I will help ", 40)
	h, err := s.SayTyped(long)
	if err != nil {
		t.Fatal(err)
	}
	if n := len([]rune(h.Text)); n != MaxTypedLength {
		t.Errorf("kept %d characters, want %d", n, MaxTypedLength)
	}
	st := s.State().Steps[0]
	if st.Text != h.Text || st.Match != h.Score || st.Choice != h.Choice.Number || h.Index < 0 {
		t.Errorf("step %+v, heard %+v", st, h)
	}
	if got := s.Attempt(); got.Finished() {
		t.Error("one line in, the attempt is finished")
	}
}

func TestNewRejectsBadOptions(t *testing.T) {
	sc := load(t, "first-time-caller.toml")
	for name, opts := range map[string]Options{
		"timed without a clock": {Timed: time.Second},
		"negative limit":        {Timed: -time.Second, Now: time.Now},
	} {
		if _, err := New(sc, opts); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := New(nil, Options{}); err == nil {
		t.Error("no scenario: no error")
	}
}

// Newest and MoodBefore are the one rule of "who spoke last" the front
// ends draw the newest lines and the meters' arrows by.
func TestNewestAndMoodBefore(t *testing.T) {
	sc := load(t, "first-time-caller.toml")
	s, err := New(sc, Options{})
	if err != nil {
		t.Fatal(err)
	}
	st := s.State()
	if Newest(st.Transcript) != 0 || MoodBefore(st) != st.Mood {
		t.Fatalf("before any line: newest %d, mood before %+v", Newest(st.Transcript), MoodBefore(st))
	}
	if err := s.Say(0); err != nil {
		t.Fatal(err)
	}
	st = s.State()
	n := Newest(st.Transcript)
	if n < 1 || st.Transcript[n-1].Speaker != engine.Trainee {
		t.Fatalf("newest %d does not follow the trainee's line", n)
	}
	if got, want := MoodBefore(st), st.Transcript[n-2].Mood; got != want {
		t.Errorf("mood before %+v, want the mood before the trainee spoke %+v", got, want)
	}
}

// A retry from turn 3 says the first two lines of the earlier attempt
// again, offers turn 3's choices, branches from there and says where it
// started; a turn the earlier attempt never reached is refused.
func TestRetryFrom(t *testing.T) {
	sc, clk := load(t, "first-time-caller.toml"), newClock()
	first, err := New(sc, Options{Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	var offered [][]*scenario.Choice
	for !first.Done() {
		offered = append(offered, first.Offered())
		if err := first.Say(0); err != nil {
			t.Fatal(err)
		}
	}
	prev := first.State()
	if len(prev.Steps) < 3 {
		t.Fatalf("the scenario ended after %d turns; the test needs 3", len(prev.Steps))
	}
	s, err := RetryFrom(sc, Options{Now: clk.Now}, prev, 3)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(s.State().Steps); got != 2 {
		t.Fatalf("replayed %d lines, want the 2 before turn 3", got)
	}
	for i := range 2 {
		if s.State().Steps[i].Choice != prev.Steps[i].Choice {
			t.Errorf("turn %d replayed choice %d, said %d", i+1, s.State().Steps[i].Choice, prev.Steps[i].Choice)
		}
	}
	if len(s.Offered()) != len(offered[2]) || s.Offered()[0] != offered[2][0] {
		t.Errorf("turn 3 offers %d choices, the earlier attempt was offered %d there", len(s.Offered()), len(offered[2]))
	}
	if err := s.Say(len(s.Offered()) - 1); err != nil {
		t.Fatal(err)
	}
	if a := s.Attempt(); a.RetryFrom != 3 || a.Finished() && a.State.Ending == "" {
		t.Errorf("attempt says it started at turn %d, want 3", a.RetryFrom)
	}
	if first.Attempt().RetryFrom != 0 {
		t.Error("the earlier attempt is marked as a retry")
	}
	for _, bad := range []int{0, len(prev.Steps) + 1} {
		if _, err := RetryFrom(sc, Options{}, prev, bad); !errors.Is(err, ErrNoSuchTurn) {
			t.Errorf("retry from turn %d: %v, want ErrNoSuchTurn", bad, err)
		}
	}
}

// Typing is speaking: once the trainee starts typing inside the time
// allowed, the limit cannot run out on that answer, and the pause is the
// silence before they started.
func TestTypingIsSpeaking(t *testing.T) {
	sc, clk := load(t, "first-time-caller.toml"), newClock()
	s, err := New(sc, Options{Timed: 10 * time.Second, Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	s.Ask()
	clk.advance(3 * time.Second)
	s.Typing()
	clk.advance(20 * time.Second) // a slow typist
	if _, fresh := s.Silence(); fresh || s.TimedOut() {
		t.Fatal("the time ran out while the trainee was typing")
	}
	if _, err := s.SayTyped("Good morning, I'm so sorry about that letter, let me help"); err != nil {
		t.Fatal(err)
	}
	step := s.State().Steps[0]
	if step.DeadAir != 0 || step.Hesitation != 3*time.Second {
		t.Errorf("step hesitation %s, dead air %s; want 3s and none", step.Hesitation, step.DeadAir)
	}
	// Starting to type after the limit is too late: that was dead air.
	s.Ask()
	clk.advance(11 * time.Second)
	s.Typing()
	if _, fresh := s.Silence(); !fresh {
		t.Error("typing after the limit kept the silence from counting")
	}
}

// TestCutNoteNamesTheLimit holds the constant note to the limit it spells
// out, so the two cannot drift apart.
func TestCutNoteNamesTheLimit(t *testing.T) {
	want := fmt.Sprintf("A line can be at most %d characters: the rest was left out.", MaxTypedLength)
	if CutNote != want {
		t.Errorf("CutNote = %q, want %q", CutNote, want)
	}
}
