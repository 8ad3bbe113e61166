package engine

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rapport-sim/rapport/internal/scenario"
	"github.com/rapport-sim/rapport/scenarios"
)

// build makes a small scenario in memory:
//
//	start --1--> middle --1 (when greeted)--> happy
//	      --2--> middle --2--> sad
//	      --3--> start (a poor loop that costs patience)
func build(t *testing.T, start scenario.Mood) *scenario.Scenario {
	t.Helper()
	sc := &scenario.Scenario{
		ID: "test", Title: "Test", Channel: scenario.Phone, Difficulty: scenario.Easy,
		Customer: scenario.Customer{Name: "Ana", Start: start},
		Nodes: []*scenario.Node{
			{ID: "start", Say: []string{"Hello?"},
				Variants: []*scenario.Variant{{When: cond(t, "anger >= 70"), Say: []string{"WHAT."}}},
				Choices: []*scenario.Choice{
					{Number: 1, Say: "Hi Ana, how can I help?", Next: "middle", Effects: scenario.Mood{Anger: -10, Trust: 10, Apprehension: -20}, Sets: []string{"greeted"}},
					{Number: 2, Say: "Account number.", Next: "middle", Effects: scenario.Mood{Anger: 20, Trust: -10}},
					{Number: 3, Say: "Hold please.", Next: "start", Effects: scenario.Mood{Anger: 10, Patience: -30}},
				}},
			{ID: "middle", Say: []string{"Well?"},
				Variants: []*scenario.Variant{
					{When: cond(t, "trust >= 60 and greeted"), Say: []string{"Thanks, that helps.", "[smiles]"}},
				},
				Choices: []*scenario.Choice{
					{Number: 1, Say: "Here is the fix.", Next: "happy", When: cond(t, "greeted"), Effects: scenario.Mood{Trust: 10}},
					{Number: 2, Say: "Bye.", Next: "sad", Clears: []string{"greeted"}},
				}},
		},
		Endings: []*scenario.Ending{
			{ID: "happy", Outcome: scenario.Resolved, Say: []string{"Great, thanks!"}},
			{ID: "sad", Outcome: scenario.Lost, Say: []string{"Whatever."}},
		},
	}
	if ds := scenario.Validate(sc); ds.HasErrors() {
		t.Fatalf("test scenario invalid: %v", ds)
	}
	return sc
}

func cond(t *testing.T, src string) scenario.Cond {
	t.Helper()
	c, err := scenario.ParseCond(src)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

var calm = scenario.Mood{Apprehension: 60, Anger: 20, Trust: 50, Patience: 50}

func TestChoose(t *testing.T) {
	tests := map[string]struct {
		start     scenario.Mood
		steps     []int
		mood      scenario.Mood
		ending    string
		outcome   scenario.Outcome
		walkedOut bool
		lastLine  string
	}{
		"caring path": {
			start: calm, steps: []int{1, 1},
			mood:   scenario.Mood{Apprehension: 40, Anger: 10, Trust: 70, Patience: 50},
			ending: "happy", outcome: scenario.Resolved, lastLine: "Great, thanks!",
		},
		"trust softens anger": {
			// +20 anger at trust 50 lands as 20*(1-0.5*0.5) = 15.
			start: calm, steps: []int{2, 2},
			mood:   scenario.Mood{Apprehension: 60, Anger: 35, Trust: 40, Patience: 50},
			ending: "sad", outcome: scenario.Lost, lastLine: "Whatever.",
		},
		"no trust, full anger": {
			start: scenario.Mood{Anger: 20, Trust: 0, Patience: 50}, steps: []int{2, 2},
			mood:   scenario.Mood{Anger: 40, Trust: 0, Patience: 50},
			ending: "sad", outcome: scenario.Lost,
		},
		"boiling customer burns patience": {
			// Anger 80 burns (80-70+10)/10 = 2 patience on top of the move.
			start: scenario.Mood{Anger: 70, Trust: 0, Patience: 50}, steps: []int{3},
			mood: scenario.Mood{Anger: 80, Trust: 0, Patience: 18},
		},
		"walks out when patience runs out": {
			start: scenario.Mood{Anger: 20, Trust: 100, Patience: 50}, steps: []int{3, 3},
			mood:   scenario.Mood{Anger: 30, Trust: 100, Patience: 0},
			ending: WalkoutID, outcome: scenario.Lost, walkedOut: true,
			lastLine: "[the line goes dead] Ana has hung up.",
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			e, err := New(build(t, tt.start), Options{})
			if err != nil {
				t.Fatal(err)
			}
			for _, n := range tt.steps {
				if err := e.Choose(Step{Choice: n}); err != nil {
					t.Fatalf("choose %d: %v", n, err)
				}
			}
			st := e.State()
			if st.Mood != tt.mood {
				t.Errorf("mood = %+v, want %+v", st.Mood, tt.mood)
			}
			if st.Ending != tt.ending || st.Outcome != tt.outcome || st.WalkedOut != tt.walkedOut {
				t.Errorf("ending = %q/%q walkedOut=%v, want %q/%q %v", st.Ending, st.Outcome, st.WalkedOut, tt.ending, tt.outcome, tt.walkedOut)
			}
			if tt.lastLine != "" {
				last := st.Transcript[len(st.Transcript)-1]
				if last.Text != tt.lastLine || last.Speaker != Customer {
					t.Errorf("last line = %s %q, want customer %q", last.Speaker, last.Text, tt.lastLine)
				}
			}
			if e.Done() != (tt.ending != "") {
				t.Errorf("Done() = %v", e.Done())
			}
		})
	}
}

func TestConditionsDecideWhatIsOffered(t *testing.T) {
	e, _ := New(build(t, calm), Options{})
	_ = e.Choose(Step{Choice: 2}) // no greeting: the fix is not offered
	if got := numbers(e.Choices()); !reflect.DeepEqual(got, []int{2}) {
		t.Errorf("offered %v, want [2]", got)
	}
	if err := e.Choose(Step{Choice: 1}); !errors.Is(err, ErrNotOffered) {
		t.Errorf("choosing a hidden choice: err = %v, want ErrNotOffered", err)
	}

	e, _ = New(build(t, calm), Options{})
	_ = e.Choose(Step{Choice: 1})
	if got := numbers(e.Choices()); !reflect.DeepEqual(got, []int{1, 2}) {
		t.Errorf("offered %v, want [1 2]", got)
	}
}

func TestStateDependentLines(t *testing.T) {
	angry := scenario.Mood{Anger: 80, Trust: 50, Patience: 50}
	e, _ := New(build(t, angry), Options{})
	if got := e.State().Transcript[0].Text; got != "WHAT." {
		t.Errorf("angry opening = %q, want the anger variant", got)
	}
	e, _ = New(build(t, calm), Options{})
	if got := e.State().Transcript[0].Text; got != "Hello?" {
		t.Errorf("calm opening = %q, want the default line", got)
	}
	_ = e.Choose(Step{Choice: 1}) // trust 60 and greeted: the warm variant, both lines
	tr := e.State().Transcript
	if got := []string{tr[2].Text, tr[3].Text}; !reflect.DeepEqual(got, []string{"Thanks, that helps.", "[smiles]"}) {
		t.Errorf("warm middle = %q", got)
	}
}

func TestFlagsSetAndCleared(t *testing.T) {
	e, _ := New(build(t, calm), Options{})
	_ = e.Choose(Step{Choice: 1})
	if !e.State().HasFlag("greeted") {
		t.Fatal("greeted should be set")
	}
	_ = e.Choose(Step{Choice: 2})
	if e.State().HasFlag("greeted") {
		t.Fatal("greeted should be cleared")
	}
	if err := e.Choose(Step{Choice: 1}); !errors.Is(err, ErrDone) {
		t.Errorf("choosing after the end: %v, want ErrDone", err)
	}
}

func TestTypedAnswerScalesEffects(t *testing.T) {
	e, _ := New(build(t, calm), Options{})
	_ = e.Choose(Step{Choice: 1, Text: "hey there, what's up", Match: 0.5})
	st := e.State()
	// Half of {-10 anger, +10 trust, -20 apprehension}.
	if want := (scenario.Mood{Apprehension: 50, Anger: 15, Trust: 55, Patience: 50}); st.Mood != want {
		t.Errorf("mood = %+v, want %+v", st.Mood, want)
	}
	if tr := st.Transcript[1]; tr.Text != "hey there, what's up" || !tr.Typed || tr.Choice != 1 {
		t.Errorf("typed line recorded as %+v", tr)
	}
}

func TestClock(t *testing.T) {
	pace := func(who Speaker, text string) time.Duration {
		return time.Duration(len(strings.Fields(text))) * time.Second
	}
	e, _ := New(build(t, calm), Options{Pace: pace})
	_ = e.Choose(Step{Choice: 1, Hesitation: 3 * time.Second})
	tr := e.State().Transcript
	// "Hello?" takes 1s; the trainee hesitates 3s, then speaks 6 words.
	if tr[0].At != 0 || tr[0].Duration != time.Second {
		t.Errorf("first line at %v for %v", tr[0].At, tr[0].Duration)
	}
	if tr[1].At != 4*time.Second || tr[1].Hesitation != 3*time.Second || tr[1].Duration != 6*time.Second {
		t.Errorf("trainee line at %v for %v after %v", tr[1].At, tr[1].Duration, tr[1].Hesitation)
	}
	// Then the customer's two-line reply: 3 words and 1 word.
	if got := e.State().Clock; got != 14*time.Second {
		t.Errorf("clock = %v, want 14s", got)
	}
}

func TestReplayAndRestore(t *testing.T) {
	sc, ds, err := scenario.Load(scenarios.FS, "first-time-caller.toml")
	if err != nil || ds.HasErrors() {
		t.Fatal(err, ds)
	}
	opts := Options{Pace: func(_ Speaker, s string) time.Duration { return time.Duration(len(s)) * time.Millisecond }}
	// Play the first offered choice, then the last, alternately, checking
	// at every step that a snapshot restores to an identical engine.
	e, _ := New(sc, opts)
	for i := 0; !e.Done(); i++ {
		offered := e.Choices()
		pick := offered[0]
		if i%2 == 1 {
			pick = offered[len(offered)-1]
		}
		if err := e.Choose(Step{Choice: pick.Number, Hesitation: time.Duration(i) * time.Second}); err != nil {
			t.Fatal(err)
		}
		raw, err := json.Marshal(e.State())
		if err != nil {
			t.Fatal(err)
		}
		var saved State
		if err := json.Unmarshal(raw, &saved); err != nil {
			t.Fatal(err)
		}
		r, err := Restore(sc, opts, saved)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(r.State(), e.State()) {
			t.Fatalf("step %d: restored state differs", i)
		}
	}
	again, err := Replay(sc, opts, e.State().Steps)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(again.State(), e.State()) {
		t.Fatal("replaying the recorded steps gave a different state")
	}
	if _, err := Replay(sc, opts, []Step{{Choice: 9}}); !errors.Is(err, ErrNotOffered) {
		t.Errorf("replaying a bad step: %v", err)
	}
}

func numbers(cs []*scenario.Choice) []int {
	var out []int
	for _, c := range cs {
		out = append(out, c.Number)
	}
	return out
}

func BenchmarkStep(b *testing.B) {
	sc, _, _ := scenario.Load(scenarios.FS, "first-time-caller.toml")
	opts := Options{Pace: func(_ Speaker, s string) time.Duration { return time.Duration(len(s)) * time.Millisecond }}
	b.ReportAllocs()
	for b.Loop() {
		e, _ := New(sc, opts)
		_ = e.Choose(Step{Choice: e.Choices()[0].Number})
	}
}

func TestDeadAir(t *testing.T) {
	// One second a word, stage directions included, so times are easy to
	// add up: "Hello?" takes 1s and the phone reaction 9s.
	pace := func(_ Speaker, text string) time.Duration {
		return time.Duration(len(strings.Fields(text))) * time.Second
	}
	reaction := DeadAirLine(scenario.Phone)
	tests := map[string]struct {
		start scenario.Mood
		step  Step
		// mood is the customer's mood once the reaction has been said (the
		// start mood when there is no dead air).
		reacted scenario.Mood
		// at is when the trainee's line starts.
		at        time.Duration
		walkedOut bool
	}{
		"answered in time": {
			start: calm, step: Step{Choice: 1, Hesitation: 3 * time.Second},
			reacted: calm, at: 4 * time.Second,
		},
		"timed out, answered during the reaction": {
			// +5 anger at trust 50 lands as 5*(1-0.5*0.5) = 3.75, rounded
			// to 4. The reaction starts after 15s of silence (at 16s) and
			// takes 9s, so the line waits for it: 25s, not 1+16s.
			start: calm, step: Step{Choice: 1, Hesitation: 16 * time.Second, DeadAir: 15 * time.Second},
			reacted: scenario.Mood{Apprehension: 70, Anger: 24, Trust: 50, Patience: 40},
			at:      25 * time.Second,
		},
		"timed out, long pause after the reaction": {
			start: calm, step: Step{Choice: 1, Hesitation: 40 * time.Second, DeadAir: 15 * time.Second},
			reacted: scenario.Mood{Apprehension: 70, Anger: 24, Trust: 50, Patience: 40},
			at:      41 * time.Second,
		},
		"silence takes the last patience: walks out after the line": {
			start: scenario.Mood{Apprehension: 10, Anger: 0, Trust: 0, Patience: 10},
			step:  Step{Choice: 1, Hesitation: 20 * time.Second, DeadAir: 10 * time.Second},
			// Anger +5 lands in full at trust 0.
			// The reaction runs from 11s to 20s; the line comes after the
			// whole 20s pause, at 21s.
			reacted:   scenario.Mood{Apprehension: 20, Anger: 5, Trust: 0, Patience: 0},
			at:        21 * time.Second,
			walkedOut: true,
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			sc := build(t, tt.start)
			e, err := New(sc, Options{Pace: pace})
			if err != nil {
				t.Fatal(err)
			}
			before := e.State()
			preview := e.AfterSilence(tt.step.DeadAir)
			if !reflect.DeepEqual(e.State(), before) {
				t.Fatal("AfterSilence changed the engine")
			}
			if err := e.Choose(tt.step); err != nil {
				t.Fatal(err)
			}
			st := e.State()
			tr := st.Transcript
			n := len(preview.Transcript)
			if !reflect.DeepEqual(tr[:n], preview.Transcript) {
				t.Errorf("the preview's transcript is not how the step begins:\npreview %+v\nstep    %+v", preview.Transcript, tr[:n])
			}
			if preview.Mood != tt.reacted {
				t.Errorf("mood after the reaction = %+v, want %+v", preview.Mood, tt.reacted)
			}
			if tt.step.TimedOut() {
				r := tr[1]
				if r.Speaker != Customer || r.Text != reaction || r.At != time.Second+tt.step.DeadAir || r.Hesitation != tt.step.DeadAir || r.Mood != tt.reacted {
					t.Errorf("reaction = %+v", r)
				}
			} else if n != 1 {
				t.Errorf("no dead air, yet the preview has %d lines", n)
			}
			said := tr[n]
			if said.Speaker != Trainee || said.At != tt.at || said.Hesitation != tt.step.Hesitation {
				t.Errorf("trainee line %s at %v after %v, want trainee at %v after %v", said.Speaker, said.At, said.Hesitation, tt.at, tt.step.Hesitation)
			}
			if st.WalkedOut != tt.walkedOut {
				t.Errorf("walked out = %v, want %v", st.WalkedOut, tt.walkedOut)
			}
			// The step alone replays it, through JSON as a record keeps it.
			raw, err := json.Marshal(st.Steps)
			if err != nil {
				t.Fatal(err)
			}
			if tt.step.TimedOut() != strings.Contains(string(raw), `"dead_air"`) {
				t.Errorf("steps as JSON: %s", raw)
			}
			var steps []Step
			if err := json.Unmarshal(raw, &steps); err != nil {
				t.Fatal(err)
			}
			again, err := Replay(sc, Options{Pace: pace}, steps)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(again.State(), st) {
				t.Error("replaying the steps gave a different state")
			}
		})
	}
}

func TestDeadAirLine(t *testing.T) {
	seen := map[string]scenario.Channel{}
	for _, ch := range []scenario.Channel{scenario.Phone, scenario.Chat, scenario.InPerson} {
		l := DeadAirLine(ch)
		if !strings.HasPrefix(l, "[") || !strings.Contains(l, "]") || !strings.Contains(l, "?") {
			t.Errorf("%s: %q should open with a stage direction and ask a question", ch, l)
		}
		if other, dup := seen[l]; dup {
			t.Errorf("%s and %s share the line %q", ch, other, l)
		}
		seen[l] = ch
	}
	if DeadAirLine("") != DeadAirLine(scenario.Phone) {
		t.Error("an unknown channel should get the phone wording")
	}
}

func TestAfterSilenceAtTheEnd(t *testing.T) {
	e, _ := New(build(t, calm), Options{})
	_ = e.Choose(Step{Choice: 3})
	if got := e.AfterSilence(0); !reflect.DeepEqual(got, e.State()) {
		t.Error("no silence should change nothing")
	}
	_ = e.Choose(Step{Choice: 1})
	_ = e.Choose(Step{Choice: 1})
	if !e.Done() {
		t.Fatal("not done")
	}
	if got := e.AfterSilence(time.Minute); !reflect.DeepEqual(got, e.State()) {
		t.Error("a finished conversation reacted to silence")
	}
}

// chain is a scenario of depth decisions in a row, three choices each (one
// warm with a reply that sets a flag, one neutral, one poor that the flag
// hides), shaped like the generated files the analyses are timed on.
func chain(depth int) *scenario.Scenario {
	sc := &scenario.Scenario{
		ID: "chain", Title: "Chain", Channel: scenario.Phone, Difficulty: scenario.Hard,
		Customer: scenario.Customer{Name: "Robin", Start: scenario.Mood{Apprehension: 70, Anger: 60, Trust: 30, Patience: 90}},
		Endings:  []*scenario.Ending{{ID: "fixed", Outcome: scenario.Resolved, Say: []string{"Thanks, {agent}."}}},
	}
	hidden, _ := scenario.ParseCond("not thanked")
	for i := range depth {
		next := fmt.Sprintf("n%d", i+1)
		if i == depth-1 {
			next = "fixed"
		}
		sc.Nodes = append(sc.Nodes, &scenario.Node{
			ID:  fmt.Sprintf("n%d", i),
			Say: []string{fmt.Sprintf("This is the %dth time I've called about the parcel.", i+2)},
			Choices: []*scenario.Choice{
				{Number: 1, ID: "sorry", Say: "I'm so sorry, Robin. I'll sort it out myself and call you by 2 pm.", Reply: "Thank you.",
					Next: next, Effects: scenario.Mood{Apprehension: -10, Anger: -15, Trust: 10}, Sets: []string{"thanked"}},
				{Number: 2, ID: "look", Say: "Let me look at the notes.", Next: next, Effects: scenario.Mood{Apprehension: 5}},
				{Number: 3, ID: "blame", Say: "That's not our fault, you'll have to ring them.", Next: next, When: hidden,
					Effects: scenario.Mood{Anger: 20, Trust: -15, Patience: -10}, Clears: []string{"thanked"}},
			},
		})
	}
	sc.Index()
	return sc
}

var benchOpts = Options{Pace: func(_ Speaker, s string) time.Duration { return time.Duration(len(s)) * time.Millisecond }}

// BenchmarkPlaythrough plays 16 decisions from start to end, cycling
// through the offered choices, and keeps the final state: what the path
// analyses do per sampled path.
func BenchmarkPlaythrough(b *testing.B) {
	sc := chain(16)
	b.ReportAllocs()
	for b.Loop() {
		e, _ := New(sc, benchOpts)
		for turn := 0; !e.Done(); turn++ {
			offered := e.Choices()
			if e.Choose(Step{Choice: offered[turn%len(offered)].Number, Hesitation: time.Second}) != nil {
				b.Fatal("not offered")
			}
		}
		_ = e.State()
	}
}

// BenchmarkRestoreChoose restores a conversation eight decisions in and
// takes each offered choice from it: what check's walk over first
// arrivals does per node.
func BenchmarkRestoreChoose(b *testing.B) {
	sc := chain(16)
	e, _ := New(sc, benchOpts)
	for turn := range 8 {
		offered := e.Choices()
		_ = e.Choose(Step{Choice: offered[turn%len(offered)].Number, Hesitation: time.Second})
	}
	st := e.State()
	b.ReportAllocs()
	for b.Loop() {
		cur, _ := Restore(sc, benchOpts, st)
		for _, c := range cur.Choices() {
			next, _ := Restore(sc, benchOpts, st)
			if next.Choose(Step{Choice: c.Number, Hesitation: time.Second}) != nil {
				b.Fatal("not offered")
			}
			_ = next.State()
		}
	}
}

// TestNextPlaysAsOneEngine plays every shipped scenario's conversations
// step by step with Next, as the path analysis does, beside one engine
// playing the same choices: each step must add exactly the lines and steps
// the engine adds, leave the same mood, flags, clock and ending, and
// Offered must give the choices the engine offers; a choice not offered is
// refused by both.
func TestNextPlaysAsOneEngine(t *testing.T) {
	files, err := fs.Glob(scenarios.FS, "*.toml")
	if err != nil || len(files) == 0 {
		t.Fatal(err, files)
	}
	opts := Options{Pace: func(_ Speaker, s string) time.Duration { return time.Duration(len(s)) * time.Millisecond }}
	for _, f := range files {
		if scenario.IsDrillFile(f) {
			continue
		}
		sc, ds, err := scenario.Load(scenarios.FS, f)
		if err != nil || ds.HasErrors() {
			t.Fatal(f, err, ds)
		}
		for _, pickLast := range []bool{false, true} {
			e, _ := New(sc, opts)
			head := e.State()
			for i := 0; !e.Done(); i++ {
				offered := e.Choices()
				pick := offered[0]
				if pickLast {
					pick = offered[len(offered)-1]
				}
				if _, err := Next(sc, opts, head, Step{Choice: 999}); !errors.Is(err, ErrNotOffered) {
					t.Fatalf("%s step %d: choice 999 gave %v, want ErrNotOffered", f, i, err)
				}
				s := Step{Choice: pick.Number, Hesitation: time.Duration(i) * time.Second}
				before := e.State()
				if err := e.Choose(s); err != nil {
					t.Fatal(err)
				}
				next, err := Next(sc, opts, head, s)
				if err != nil {
					t.Fatalf("%s step %d: %v", f, i, err)
				}
				want := e.State()
				both, choices, err := NextOffered(sc, opts, head, s)
				if err != nil || !reflect.DeepEqual(both, next) || !reflect.DeepEqual(choices, e.Choices()) {
					t.Fatalf("%s step %d: NextOffered gives %+v and %d choices (%v), Next %+v and the engine %d choices", f, i, both, len(choices), err, next, len(e.Choices()))
				}
				if !reflect.DeepEqual(next.Transcript, want.Transcript[len(before.Transcript):]) || !reflect.DeepEqual(next.Steps, want.Steps[len(before.Steps):]) {
					t.Fatalf("%s step %d: Next added %+v / %+v, the engine %+v / %+v", f, i, next.Steps, next.Transcript, want.Steps[len(before.Steps):], want.Transcript[len(before.Transcript):])
				}
				next.Transcript, next.Steps = want.Transcript, want.Steps
				if !reflect.DeepEqual(next, want) {
					t.Fatalf("%s step %d: Next left %+v, the engine %+v", f, i, next, want)
				}
				if choices := Offered(sc, next); !reflect.DeepEqual(choices, e.Choices()) {
					t.Fatalf("%s step %d: Offered gives %d choices, the engine %d", f, i, len(choices), len(e.Choices()))
				}
				head = next
			}
		}
	}
}
