package plain

import (
	"context"
	"errors"
	"io"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rapport-sim/rapport/internal/engine"
	"github.com/rapport-sim/rapport/internal/scoring"
	"github.com/rapport-sim/rapport/internal/session"
	"github.com/rapport-sim/rapport/internal/textsafe"
)

func TestRunRewind(t *testing.T) {
	sc := load(t, "first-time-caller.toml")
	tests := map[string]struct {
		in      string
		rewinds int
		// first is the position (1-based) of the choice that stood at
		// the first decision.
		first   int
		message string
	}{
		"b before any line": {"b\n" + ones, 0, 1, "There is nothing to take back yet."},
		"take back once":    {"1\nb\n2\n" + ones, 1, 2, "Practised with rewinds: you took back 1 line, so this run is practice, not a test."},
		"take back twice":   {"1\nb\n1\nback\n2\n" + ones, 2, 2, "Practised with rewinds: you took back 2 lines"},
		"back a turn later": {"1\n1\nB\n" + ones, 1, 1, "You took back your last line. Back to where you were:"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			var out strings.Builder
			res, err := Run(context.Background(), strings.NewReader(tc.in), &out, sc, Options{})
			if err != nil {
				t.Fatalf("Run: %v\n%s", err, out.String())
			}
			if res.Rewinds != tc.rewinds || !res.State.Done() {
				t.Errorf("rewinds %d done %v, want %d and done", res.Rewinds, res.State.Done(), tc.rewinds)
			}
			text := out.String()
			if !strings.Contains(text, tc.message) {
				t.Errorf("output lacks %q:\n%s", tc.message, text)
			}
			if (tc.rewinds > 0) != strings.Contains(text, "Practised with rewinds") {
				t.Errorf("the rewind mark is wrong for %d rewinds", tc.rewinds)
			}
			// The state is what the choices that stood give, nothing of
			// the lines taken back.
			pace := engine.Options{Pace: scoring.Pace(sc.Channel)}
			e, _ := engine.New(sc, pace)
			if got := res.State.Steps[0].Choice; got != e.Choices()[tc.first-1].Number {
				t.Errorf("first step took choice %d, want the %d. offered", got, tc.first)
			}
			again, err := engine.Replay(sc, pace, res.State.Steps)
			if err != nil || !reflect.DeepEqual(again.State(), res.State) {
				t.Errorf("the steps do not replay to the state (%v)", err)
			}
		})
	}
}

// The customer's line before a taken-back answer is said again, so a
// screen reader user hears where they are.
func TestRunRewindRepeatsTheCustomer(t *testing.T) {
	sc := load(t, "first-time-caller.toml")
	var out strings.Builder
	if _, err := Run(context.Background(), strings.NewReader("1\nb\n"+ones), &out, sc, Options{}); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	_, after, ok := strings.Cut(text, "You took back your last line.")
	if !ok {
		t.Fatalf("no rewind in:\n%s", text)
	}
	e, _ := engine.New(sc, engine.Options{Pace: scoring.Pace(sc.Channel)})
	said := e.State().Transcript[0].Text
	if !strings.Contains(after, "Grace Okafor says: "+textsafe.Line(said)) {
		t.Errorf("the customer's line is not said again after the rewind:\n%s", after)
	}
}

// fakeClock is the wall clock of a test: it moves only when told to.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// timedRun runs a timed conversation in a goroutine, with input through a
// pipe, a fake clock and timers the test fires by hand. Each answer's
// timer arrives on timers when Run starts waiting for that answer.
type timedRun struct {
	clk    *fakeClock
	timers chan chan time.Time
	in     *io.PipeWriter
	out    strings.Builder
	done   chan error
	res    Result
}

func startTimed(t *testing.T, ctx context.Context, limit time.Duration) *timedRun {
	t.Helper()
	sc := load(t, "first-time-caller.toml")
	pr, pw := io.Pipe()
	r := &timedRun{
		clk:    &fakeClock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)},
		timers: make(chan chan time.Time, 1),
		in:     pw,
		done:   make(chan error, 1),
	}
	opts := Options{
		Session: session.Options{Timed: limit, Now: r.clk.Now},
		After: func(time.Duration) <-chan time.Time {
			c := make(chan time.Time)
			r.timers <- c
			return c
		},
	}
	go func() {
		var err error
		r.res, err = Run(ctx, pr, &r.out, sc, opts)
		r.done <- err
	}()
	t.Cleanup(func() { pw.Close() })
	return r
}

// answer types a line and waits for the next question (its timer), or
// for the end of the run, which it reports.
func (r *timedRun) answer(t *testing.T, text string) (next chan time.Time, finished bool, err error) {
	t.Helper()
	if _, err := io.WriteString(r.in, text+"\n"); err != nil {
		t.Fatal(err)
	}
	select {
	case c := <-r.timers:
		return c, false, nil
	case err := <-r.done:
		return nil, true, err
	}
}

func TestRunTimed(t *testing.T) {
	r := startTimed(t, context.Background(), 10*time.Second)
	<-r.timers // the first question

	// Answered in 3s; b first is refused in timed play.
	r.clk.advance(3 * time.Second)
	c, _, _ := r.answer(t, "b\n1")

	// Run out: the reaction is printed at once, and the answer after it
	// counts the whole silence.
	r.clk.advance(12 * time.Second)
	c <- time.Time{}
	r.clk.advance(2 * time.Second)
	_, _, _ = r.answer(t, "1")

	// Over the limit without the timer having fired: dead air all the
	// same.
	r.clk.advance(11 * time.Second)
	_, finished, err := r.answer(t, "1")
	for !finished {
		_, finished, err = r.answer(t, "1")
	}
	if err != nil {
		t.Fatalf("Run: %v\n%s", err, r.out.String())
	}
	st := r.res.State
	want := []engine.Step{
		{Hesitation: 3 * time.Second},
		{Hesitation: 14 * time.Second, DeadAir: 10 * time.Second},
		{Hesitation: 11 * time.Second, DeadAir: 10 * time.Second},
	}
	for i, w := range want {
		if got := st.Steps[i]; got.Hesitation != w.Hesitation || got.DeadAir != w.DeadAir {
			t.Errorf("step %d: %+v, want hesitation %v, dead air %v", i+1, got, w.Hesitation, w.DeadAir)
		}
	}
	for _, s := range st.Steps[len(want):] {
		if s.Hesitation != 0 || s.TimedOut() {
			t.Errorf("a quick answer is timed as %+v", s)
		}
	}
	sc := load(t, "first-time-caller.toml")
	again, err := engine.Replay(sc, engine.Options{Pace: scoring.Pace(sc.Channel)}, st.Steps)
	if err != nil || !reflect.DeepEqual(again.State(), st) {
		t.Errorf("the steps do not replay to the state (%v)", err)
	}
	if r.res.Timed != 10*time.Second || r.res.Started.IsZero() || !r.res.Ended.Equal(r.res.Started.Add(28*time.Second)) {
		t.Errorf("result timed %v from %v to %v", r.res.Timed, r.res.Started, r.res.Ended)
	}
	text := r.out.String()
	for _, s := range []string{
		"Timed: you have 10 seconds for each answer. Silence past that is dead air, and Grace Okafor will react to it.",
		"or t and your own words (10 seconds):",
		"Taking a line back is for untimed practice; in timed play what you say stays said.",
		"[10 seconds of silence: the time to answer ran out.]\nGrace Okafor says: [silence on the line] Hello? Are you still there?",
		"Answer now: type a number, or t and your own words:",
		"Timed: 10 seconds per answer; time ran out 2 times (dead air).",
	} {
		if !strings.Contains(text, s) {
			t.Errorf("output lacks %q", s)
		}
	}
	if n := strings.Count(text, "Hello? Are you still there?"); n != 2 {
		t.Errorf("the reaction is said %d times, want once per time-out:\n%s", n, text)
	}
	if strings.Contains(text, "This is practice: type b") {
		t.Error("timed play offers taking back")
	}
}

func TestRunTimedStopsOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	r := startTimed(t, ctx, 10*time.Second)
	<-r.timers
	cancel()
	if err := <-r.done; !errors.Is(err, ErrAbandoned) || !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want ErrAbandoned and context.Canceled", err)
	}
}

func TestRunTimedInputEnds(t *testing.T) {
	r := startTimed(t, context.Background(), 10*time.Second)
	<-r.timers
	r.in.Close()
	if err := <-r.done; !errors.Is(err, ErrAbandoned) {
		t.Fatalf("err = %v, want ErrAbandoned", err)
	}
	if !strings.Contains(r.out.String(), "Input ended before the conversation did.") {
		t.Errorf("output:\n%s", r.out.String())
	}
}

func TestRunTimedOptions(t *testing.T) {
	sc := load(t, "first-time-caller.toml")
	for name, opts := range map[string]Options{
		"no clock":       {Session: session.Options{Timed: 5 * time.Second}},
		"negative limit": {Session: session.Options{Timed: -time.Second, Now: time.Now}},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := Run(context.Background(), strings.NewReader(ones), io.Discard, sc, opts); err == nil || errors.Is(err, ErrAbandoned) {
				t.Errorf("err = %v, want a configuration error", err)
			}
		})
	}
}
