package tui

import (
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/rapport-sim/rapport/internal/engine"
	"github.com/rapport-sim/rapport/internal/scenario"
	"github.com/rapport-sim/rapport/internal/textsafe"
)

// fakeClock is the wall clock of a test: it moves only when told to, and
// is safe to read from a running program's goroutine.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{t: time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)}
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

// timedOptions are testOptions for timed play with a fake clock.
func timedOptions(sc *scenario.Scenario, limit time.Duration, clk *fakeClock) Options {
	return testOptions(Options{Start: sc, Timed: limit, Now: clk.Now})
}

// newTestProgram runs a model in a teatest program at 80x24.
func newTestProgram(t *testing.T, m Model) *teatest.TestModel {
	t.Helper()
	return teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))
}

// tickNow is the countdown's next tick, as the program would deliver it.
func tickNow(m Model) countdownTickMsg {
	return countdownTickMsg{id: m.conversation().timer.id, tag: m.conversation().timer.tag}
}

func TestRewind(t *testing.T) {
	sc := firstTimeCaller(t)
	eopts := engine.Options{Pace: testPace}
	m := sized(t, New(testOptions(Options{Start: sc})), 100, 30)
	m, _ = send(t, m, runes("1"), runes("2"))
	if m.Screen() != "play" || len(m.conversation().sess.State().Steps) != 2 {
		t.Fatalf("on %s after %d steps; the test needs two turns in", m.Screen(), len(m.conversation().sess.State().Steps))
	}
	firstTurn, err := engine.Replay(sc, eopts, m.conversation().sess.State().Steps[:1])
	if err != nil {
		t.Fatal(err)
	}

	m, _ = send(t, m, runes("b"))
	if !reflect.DeepEqual(m.conversation().sess.State(), firstTurn.State()) {
		t.Fatalf("after b the state is not the first turn's:\n got %+v\nwant %+v", m.conversation().sess.State(), firstTurn.State())
	}
	if m.conversation().sess.Rewinds() != 1 {
		t.Errorf("rewinds = %d, want 1", m.conversation().sess.Rewinds())
	}
	v := screenText(m)
	lastCustomer := m.conversation().sess.State().Transcript[len(m.conversation().sess.State().Transcript)-1]
	for _, s := range []string{"You took that line back. Choose again.", "b back", textsafe.Line(lastCustomer.Text)[:20]} {
		if !strings.Contains(v, s) {
			t.Errorf("screen after b lacks %q:\n%s", s, v)
		}
	}
	// The meters compare with the mood before the restored turn.
	if want := m.conversation().sess.State().Transcript[m.conversation().newest-2].Mood; m.conversation().before != want {
		t.Errorf("meters compare with %+v, want %+v", m.conversation().before, want)
	}

	// Back to the start: b takes back the first line too, then has
	// nothing left to take and drops out of help.
	m, _ = send(t, m, runes("b"))
	start, _ := engine.New(sc, eopts)
	if !reflect.DeepEqual(m.conversation().sess.State(), start.State()) || m.conversation().sess.Rewinds() != 2 {
		t.Fatalf("second b: state %+v rewinds %d", m.conversation().sess.State(), m.conversation().sess.Rewinds())
	}
	if strings.Contains(screenText(m), "b back") {
		t.Errorf("b is offered on the first turn:\n%s", screenText(m))
	}
	same, cmd := send(t, m, runes("b"))
	if same.conversation().sess.Rewinds() != 2 || cmd != nil || !reflect.DeepEqual(same.conversation().sess.State(), m.conversation().sess.State()) {
		t.Error("b on the first turn did something")
	}

	// Played out, the result keeps the count and the debrief says so.
	m = sized(t, playOut(t, m, runes("1")), 120, 60)
	res, ok := m.Result()
	if !ok || res.Rewinds != 2 || res.Timed != 0 {
		t.Fatalf("result rewinds %d timed %v ok %v", res.Rewinds, res.Timed, ok)
	}
	if v := screenText(m); !strings.Contains(v, "Practised with rewinds: you took back 2 lines") {
		t.Errorf("the debrief does not mark the rewinds:\n%s", v)
	}
}

// The restored customer line types out again, and b is a letter while
// typing an answer.
func TestRewindTypewriterAndTyping(t *testing.T) {
	opts := testOptions(Options{Start: fixture(t)})
	opts.NoAnimation = false
	m := sized(t, New(opts), 100, 30)
	m, _ = send(t, m, runes("x"), runes("2"), runes("x"))
	if len(m.conversation().sess.State().Steps) != 1 || !m.conversation().reveal.done() {
		t.Fatalf("steps %d, line whole %v", len(m.conversation().sess.State().Steps), m.conversation().reveal.done())
	}
	m, cmd := send(t, m, runes("b"))
	if len(m.conversation().sess.State().Steps) != 0 || m.conversation().reveal.done() || cmd == nil {
		t.Fatalf("b: steps %d, typewriter restarted %v", len(m.conversation().sess.State().Steps), cmd != nil)
	}
	if strings.Contains(screenText(m), "Nobody did.") {
		t.Error("the restored line is whole before the typewriter runs")
	}
	m, _ = send(t, m, runes("x"))
	if !strings.Contains(screenText(m), "Nobody did.") {
		t.Errorf("the restored line is not shown:\n%s", screenText(m))
	}

	m, _ = send(t, m, runes("1"), runes("x"), runes("t"), runes("bb"))
	if m.conversation().sess.Rewinds() != 1 || m.conversation().input.Value() != "bb" || len(m.conversation().sess.State().Steps) != 1 {
		t.Errorf("typing b: rewinds %d, input %q, steps %d", m.conversation().sess.Rewinds(), m.conversation().input.Value(), len(m.conversation().sess.State().Steps))
	}
}

func TestTimedCountdown(t *testing.T) {
	sc := fixture(t)
	clk := newFakeClock()
	t0 := clk.Now()
	m := sized(t, New(timedOptions(sc, 15*time.Second, clk)), 80, 24)
	if m.Init() == nil {
		t.Fatal("Init starts no countdown")
	}
	v := screenText(m)
	if !strings.Contains(v, "What do you say? · ⏱ 15s left") {
		t.Errorf("countdown not shown:\n%s", v)
	}
	clk.advance(4 * time.Second)
	tick := tickNow(m)
	m, cmd := send(t, m, tick)
	if cmd == nil || !strings.Contains(screenText(m), "⏱ 11s left") {
		t.Errorf("after 4s: next tick %v, screen:\n%s", cmd != nil, screenText(m))
	}
	// Ticks of another countdown, or of a decision already made, are
	// dropped.
	for _, stale := range []countdownTickMsg{{id: tick.id + 1, tag: tick.tag}, {id: tick.id, tag: tick.tag - 1}} {
		if next, cmd := send(t, m, stale); cmd != nil || next.conversation().timer.elapsed != m.conversation().timer.elapsed {
			t.Errorf("stale tick %+v was taken", stale)
		}
	}
	// Timed play is a test of pace: no taking back, not even after a turn.
	clk.advance(2 * time.Second)
	m, _ = send(t, m, runes("2"))
	step := m.conversation().sess.State().Steps[0]
	if step.Hesitation != 6*time.Second || step.TimedOut() {
		t.Errorf("step %+v, want 6s measured and no dead air", step)
	}
	if said := m.conversation().sess.State().Transcript[1]; said.At != m.conversation().sess.State().Transcript[0].Duration+6*time.Second {
		t.Errorf("the pause is not on the conversation clock: line at %v", said.At)
	}
	m, _ = send(t, m, runes("b"))
	if len(m.conversation().sess.State().Steps) != 1 || strings.Contains(screenText(m), "b back") {
		t.Errorf("b works or shows in timed play:\n%s", screenText(m))
	}
	if !strings.Contains(screenText(m), "⏱ 15s left") {
		t.Errorf("the next decision's countdown did not start afresh:\n%s", screenText(m))
	}
	clk.advance(time.Second)
	m, _ = send(t, m, runes("1"))
	res, ok := m.Result()
	if !ok || res.Timed != 15*time.Second || !res.Started.Equal(t0) || !res.Ended.Equal(t0.Add(7*time.Second)) || res.Rewinds != 0 {
		t.Errorf("result timed %v started %v ended %v rewinds %d", res.Timed, res.Started, res.Ended, res.Rewinds)
	}
	// No answer ran out of time, but a pause over five seconds is dead air
	// in the key moments: the mark says so, so the two agree.
	v = screenText(sized(t, m, 100, 60))
	if !strings.Contains(v, "⏱ Timed: 15 seconds per answer; every answer came in time, and 1 other pause over 5 seconds") {
		t.Errorf("the debrief does not say the attempt was timed, or disagrees with its key moments:\n%s", v)
	}
	if n := strings.Count(v, "Dead air:"); n != 1 {
		t.Errorf("%d dead-air moments, the mark says 1:\n%s", n, v)
	}
}

func TestTimedDeadAir(t *testing.T) {
	sc := fixture(t)
	clk := newFakeClock()
	m := sized(t, New(timedOptions(sc, 10*time.Second, clk)), 100, 30)
	start := m.conversation().sess.State()

	clk.advance(10 * time.Second)
	m, cmd := send(t, m, tickNow(m))
	if cmd == nil {
		t.Error("the countdown stopped ticking at the limit")
	}
	if len(m.conversation().sess.State().Steps) != 0 || !reflect.DeepEqual(m.conversation().sess.State(), start) {
		t.Fatal("running out took a step or changed the state")
	}
	e, _ := engine.Restore(sc, engine.Options{Pace: testPace}, start)
	heard := e.AfterSilence(10 * time.Second)
	v := screenText(m)
	for _, s := range []string{
		"[silence on the line] Hello? Are you still there?",
		"Time's up: Priya Nair heard only silence. Answer now.",
		"⏱ time's up · 10s of silence",
		"Apprehension [",
	} {
		if !strings.Contains(v, s) {
			t.Errorf("screen at the time-out lacks %q:\n%s", s, v)
		}
	}
	if shown := m.conversation().sess.Heard(); !m.conversation().sess.TimedOut() || shown.Mood != heard.Mood || m.conversation().before != start.Mood {
		t.Errorf("meters: shown %+v before %+v, want %+v after %+v", shown.Mood, m.conversation().before, heard.Mood, start.Mood)
	}

	// The silence goes on until the trainee speaks, and is all counted.
	clk.advance(3 * time.Second)
	m, _ = send(t, m, tickNow(m))
	if !strings.Contains(screenText(m), "13s of silence") {
		t.Errorf("the silence is not counted on:\n%s", screenText(m))
	}
	m, _ = send(t, m, runes("1"))
	st := m.conversation().sess.State()
	if got := st.Steps[0]; got.Hesitation != 13*time.Second || got.DeadAir != 10*time.Second {
		t.Fatalf("step %+v, want 13s with 10s of dead air", got)
	}
	if r := st.Transcript[1]; r.Speaker != engine.Customer || r.Text != engine.DeadAirLine(sc.Channel) {
		t.Errorf("transcript line 2 is %+v, want the reaction", r)
	}
	again, err := engine.Replay(sc, engine.Options{Pace: testPace}, st.Steps)
	if err != nil || !reflect.DeepEqual(again.State(), st) {
		t.Errorf("the steps do not replay to the state (%v)", err)
	}
	if m.conversation().sess.TimedOut() || strings.Contains(screenText(m), "time's up") {
		t.Error("the time-out outlived the decision")
	}
}

// A pick that comes after the limit but before any tick noticed is dead
// air all the same: the reaction goes in with the answer.
func TestTimedOutWithoutTick(t *testing.T) {
	sc := fixture(t)
	clk := newFakeClock()
	m := sized(t, New(timedOptions(sc, 10*time.Second, clk)), 100, 40)
	clk.advance(12 * time.Second)
	m, _ = send(t, m, runes("2"))
	st := m.conversation().sess.State()
	if got := st.Steps[0]; got.Hesitation != 12*time.Second || got.DeadAir != 10*time.Second {
		t.Fatalf("step %+v", got)
	}
	if !strings.Contains(screenText(m), "Hello? Are you still there?") {
		t.Errorf("the reaction is not in the transcript:\n%s", screenText(m))
	}
	m = playOut(t, m, runes("1"))
	m = sized(t, m, 100, 60)
	if v := screenText(m); !strings.Contains(v, "time ran out once (dead air)") {
		t.Errorf("the debrief does not count the dead air:\n%s", v)
	}
}

// With the typewriter on, the countdown starts only once the customer's
// line is whole: reading time is not answering time.
func TestTimedCountdownWaitsForTheLine(t *testing.T) {
	clk := newFakeClock()
	opts := timedOptions(fixture(t), 15*time.Second, clk)
	opts.NoAnimation = false
	m := sized(t, New(opts), 100, 30)
	if m.conversation().timer.running {
		t.Fatal("the countdown runs while the line types out")
	}
	if !strings.Contains(screenText(m), "What do you say? · 15s to answer") {
		t.Errorf("the time allowed is not shown before the countdown:\n%s", screenText(m))
	}
	clk.advance(5 * time.Second)
	for i := 0; i < 500 && !m.conversation().reveal.done(); i++ {
		m, _ = send(t, m, revealTickMsg{id: m.conversation().reveal.id, tag: m.conversation().reveal.tag})
	}
	if !m.conversation().timer.running {
		t.Fatal("the countdown did not start when the line was whole")
	}
	clk.advance(2 * time.Second)
	m, _ = send(t, m, runes("1"))
	if got := m.conversation().sess.State().Steps[0].Hesitation; got != 2*time.Second {
		t.Errorf("hesitation %v counts the reading time; want 2s", got)
	}
	if m.conversation().timer.running {
		t.Error("the countdown runs while the reply types out")
	}
}

func TestTimedNeedsAClock(t *testing.T) {
	for name, opts := range map[string]Options{
		"no clock":       {Start: fixture(t), Timed: 10 * time.Second},
		"negative limit": {Start: fixture(t), Timed: -time.Second, Now: newFakeClock().Now},
	} {
		t.Run(name, func(t *testing.T) {
			m := sized(t, New(testOptions(opts)), 80, 24)
			if v := screenText(m); !strings.Contains(v, "Cannot play") || !strings.Contains(v, "timed play needs") {
				t.Errorf("screen:\n%s", v)
			}
		})
	}
}

// Typing is speaking: words typed inside the time allowed stop the
// countdown, however long the typing takes (a five-word answer no longer
// runs out a ten-second timer), and the pause counted is the silence
// before the first word.
func TestTimedTyping(t *testing.T) {
	clk := newFakeClock()
	opts := timedOptions(fixture(t), 10*time.Second, clk)
	opts.match = fixedMatch
	m := sized(t, New(opts), 100, 30)
	m, _ = send(t, m, runes("t"))
	clk.advance(2 * time.Second)
	m, _ = send(t, m, runes("Sorry about Monday"))
	clk.advance(11 * time.Second)
	m, _ = send(t, m, tickNow(m))
	v := screenText(m)
	if !m.conversation().typing || m.conversation().input.Value() != "Sorry about Monday" || strings.Contains(v, "Hello? Are you still there?") ||
		strings.Contains(v, "time's up") || !strings.Contains(v, "speaking") {
		t.Fatalf("the time ran out while the trainee was typing, or the words were lost:\n%s", v)
	}
	clk.advance(time.Second)
	m, _ = send(t, m, keyEnter)
	if got := m.conversation().sess.State().Steps[0]; got.Text != "Sorry about Monday" || got.Hesitation != 2*time.Second || got.DeadAir != 0 {
		t.Errorf("typed step %+v; want 2s of hesitation and no dead air", got)
	}
}

// Starting to type after the time ran out does not take the silence back.
func TestTimedTypingTooLate(t *testing.T) {
	clk := newFakeClock()
	opts := timedOptions(fixture(t), 10*time.Second, clk)
	opts.match = fixedMatch
	m := sized(t, New(opts), 100, 30)
	clk.advance(11 * time.Second)
	m, _ = send(t, m, tickNow(m))
	m, _ = send(t, m, runes("t"), runes("Sorry about Monday"))
	clk.advance(time.Second)
	m, _ = send(t, m, keyEnter)
	if got := m.conversation().sess.State().Steps[0]; got.DeadAir != 10*time.Second {
		t.Errorf("typed step %+v; want the dead air kept", got)
	}
}

// An abandoned attempt reports how it was played too.
func TestAbandonedResultCarriesTheAttempt(t *testing.T) {
	clk := newFakeClock()
	t0 := clk.Now()
	m := sized(t, New(testOptions(Options{Start: firstTimeCaller(t), Now: clk.Now})), 80, 24)
	m, _ = send(t, m, runes("1"), runes("b"), runes("1"))
	clk.advance(time.Minute)
	m, cmd := send(t, m, runes("q"), runes("y"))
	res, ok := m.Result()
	if !isQuit(cmd) || !ok || !res.Abandoned() || res.Rewinds != 1 || !res.Started.Equal(t0) || !res.Ended.Equal(t0.Add(time.Minute)) {
		t.Errorf("result %+v", res)
	}
}

func TestCountdownLabel(t *testing.T) {
	tests := map[string]struct {
		c    countdown
		want string
	}{
		"before it starts": {countdown{limit: 15 * time.Second}, "15s to answer"},
		"at the start":     {countdown{limit: 15 * time.Second, running: true}, "⏱ 15s left"},
		"part way":         {countdown{limit: 15 * time.Second, running: true, elapsed: 4200 * time.Millisecond}, "⏱ 11s left"},
		"last moment":      {countdown{limit: 15 * time.Second, running: true, elapsed: 14900 * time.Millisecond}, "⏱ 1s left"},
		"run out":          {countdown{limit: 15 * time.Second, running: true, expired: true, elapsed: 21 * time.Second}, "⏱ time's up · 21s of silence"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if got := tc.c.label(); got != tc.want {
				t.Errorf("label = %q, want %q", got, tc.want)
			}
		})
	}
}

// In a running program: the countdown shows, b is not offered, and a tick
// after the limit (sent by the test, the clock moved by hand) brings the
// customer's reaction.
func TestE2ETimed(t *testing.T) {
	clk := newFakeClock()
	m := New(timedOptions(fixture(t), 8*time.Second, clk))
	tick := tickNow(m)
	tm := newTestProgram(t, m)
	waitFor(t, tm, "⏱ 8s left", "1-3 say")
	tm.Type("2")
	waitFor(t, tm, "Can I have the order number?")
	clk.advance(9 * time.Second)
	tick.tag++ // the second decision's countdown
	tm.Send(tick)
	waitFor(t, tm, "Hello? Are you still there?", "time's up")
	tm.Type("1")
	waitFor(t, tm, "Conversation over", "time ran out once (dead air)")
	tm.Type("q")
	res, ok := finalModel(t, tm).Result()
	if !ok || len(res.State.Steps) != 2 || !res.State.Steps[1].TimedOut() || res.State.Steps[0].TimedOut() {
		t.Fatalf("result %+v", res)
	}
}

// In a running program, b takes the last line back and the trainee plays
// on to the end.
func TestE2ERewind(t *testing.T) {
	tm := newTestProgram(t, New(testOptions(Options{Start: fixture(t)})))
	waitFor(t, tm, "What do you say?")
	tm.Type("2")
	waitFor(t, tm, "b back", "Have you tried descaling it?")
	tm.Type("b")
	waitFor(t, tm, "You took that line back.")
	tm.Type("1")
	tm.Type("1")
	waitFor(t, tm, "Conversation over", "Practised with rewinds")
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})
	res, ok := finalModel(t, tm).Result()
	if !ok || res.Rewinds != 1 || res.State.Ending != "sorted" {
		t.Fatalf("result %+v", res)
	}
}
