package tui

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"unsafe"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/rapport-sim/rapport/internal/engine"
	"github.com/rapport-sim/rapport/internal/scenario"
	"github.com/rapport-sim/rapport/internal/scoring"
)

func TestPickerStartsTheSelectedScenario(t *testing.T) {
	fx, ftc := fixture(t), firstTimeCaller(t)
	m := sized(t, New(testOptions(Options{Scenarios: []*scenario.Scenario{fx, ftc}})), 80, 24)
	if m.Screen() != "picker" {
		t.Fatalf("opens on %s, want picker", m.Screen())
	}
	v := screenText(m)
	for _, s := range []string{"choose a conversation", fx.Title, ftc.Title, "phone · medium · tags: follow-through, annoyed", "enter start", "q quit"} {
		if !strings.Contains(v, s) {
			t.Errorf("picker lacks %q:\n%s", s, v)
		}
	}
	m, _ = send(t, m, keyDown, keyEnter)
	if m.Screen() != "play" || m.conversation().sc != ftc {
		t.Fatalf("after down+enter: screen %s, scenario %v", m.Screen(), m.conversation().sc.ID)
	}
	if !strings.Contains(screenText(m), "What do you say?") {
		t.Error("play screen not shown")
	}
}

func TestPickerQuitHasNoResult(t *testing.T) {
	for name, k := range map[string]tea.KeyMsg{"q": runes("q"), "ctrl+c": keyCtrlC} {
		t.Run(name, func(t *testing.T) {
			m := sized(t, New(testOptions(Options{Scenarios: []*scenario.Scenario{fixture(t)}})), 80, 24)
			m, cmd := send(t, m, k)
			if !isQuit(cmd) {
				t.Fatal("did not quit")
			}
			if _, ok := m.Result(); ok {
				t.Error("Result reports an attempt though none was started")
			}
		})
	}
}

func TestEmptyLibrary(t *testing.T) {
	m := sized(t, New(testOptions(Options{})), 80, 24)
	if v := screenText(m); !strings.Contains(v, "No scenarios to play.") {
		t.Errorf("empty picker says:\n%s", v)
	}
	m, cmd := send(t, m, keyEnter)
	if m.Screen() != "picker" || cmd != nil {
		t.Error("enter on an empty picker did something")
	}
	if _, cmd = send(t, m, runes("q")); !isQuit(cmd) {
		t.Error("q does not quit an empty picker")
	}
}

func TestPlayChoosing(t *testing.T) {
	tests := map[string]struct {
		keys []tea.Msg
		// want is the authored choice number taken at the opening, 0 for
		// none.
		want int
		note string
	}{
		"number 1":            {[]tea.Msg{runes("1")}, 1, ""},
		"number 2":            {[]tea.Msg{runes("2")}, 2, ""},
		"enter takes first":   {[]tea.Msg{keyEnter}, 1, ""},
		"down enter":          {[]tea.Msg{keyDown, keyEnter}, 2, ""},
		"j j enter":           {[]tea.Msg{runes("j"), runes("j"), keyEnter}, 3, ""},
		"up wraps to last":    {[]tea.Msg{keyUp, keyEnter}, 3, ""},
		"down wraps to first": {[]tea.Msg{keyDown, keyDown, keyDown, keyEnter}, 1, ""},
		"number out of range": {[]tea.Msg{runes("5")}, 0, "There is no choice 5 here: pick 1 to 3."},
		"other keys ignored":  {[]tea.Msg{runes("x"), runes("z")}, 0, ""},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			m := sized(t, New(testOptions(Options{Start: fixture(t)})), 80, 24)
			m, _ = send(t, m, tc.keys...)
			steps := m.conversation().sess.State().Steps
			switch {
			case tc.want == 0 && len(steps) != 0:
				t.Fatalf("took %v, want no step", steps)
			case tc.want != 0 && (len(steps) != 1 || steps[0].Choice != tc.want):
				t.Fatalf("took %v, want choice %d", steps, tc.want)
			}
			if tc.note != "" && !strings.Contains(screenText(m), tc.note) {
				t.Errorf("screen lacks %q:\n%s", tc.note, screenText(m))
			}
		})
	}
}

func TestPlayHesitationAndClock(t *testing.T) {
	sc := fixture(t)
	m := sized(t, New(testOptions(Options{Start: sc})), 80, 24)
	if v := screenText(m); !strings.Contains(v, "▸ first 30s") {
		t.Errorf("the opening window is not marked at the start:\n%s", v)
	}
	m, _ = send(t, m, runes("1"))
	st := m.conversation().sess.State()
	if st.Steps[0].Hesitation != testOptions(Options{}).Hesitation {
		t.Errorf("hesitation %v not passed to the engine", st.Steps[0].Hesitation)
	}
	// Replaying the same steps must give the same state: the player adds
	// nothing the engine does not know.
	e, err := engine.Replay(sc, engine.Options{Pace: testPace}, st.Steps)
	if err != nil {
		t.Fatal(err)
	}
	if got := e.State(); got.Clock != st.Clock || got.Mood != st.Mood || got.Node != st.Node {
		t.Errorf("replay differs: %+v vs %+v", got, st)
	}
	if st.Clock >= scoring.OpeningWindow {
		t.Fatalf("the fixture's first turn ends at %v, past the window; the test needs it inside", st.Clock)
	}
	// Talk past the window: the marker goes.
	for m.conversation().sess.State().Clock < scoring.OpeningWindow && !m.conversation().sess.State().Done() {
		m, _ = send(t, m, runes("1"))
	}
	if m.Screen() == "play" && strings.Contains(screenText(m), "first 30s") {
		t.Errorf("window still marked at %v", m.conversation().sess.State().Clock)
	}
}

func TestTypewriter(t *testing.T) {
	opts := testOptions(Options{Start: fixture(t)})
	opts.NoAnimation = false
	m := sized(t, New(opts), 100, 30)
	if cmd := m.Init(); cmd == nil {
		t.Fatal("Init starts no typewriter")
	}
	full := "Look, this is the second time I'm calling."
	if strings.Contains(screenText(m), full) {
		t.Fatal("the customer's line is whole before any tick")
	}
	tick := revealTickMsg{id: m.conversation().reveal.id, tag: m.conversation().reveal.tag}
	m, cmd := send(t, m, tick)
	if cmd == nil || m.conversation().reveal.shown != revealStep {
		t.Fatalf("after one tick shown=%d, next tick %v", m.conversation().reveal.shown, cmd != nil)
	}
	if !strings.Contains(screenText(m), "[si") {
		t.Errorf("first characters not shown:\n%s", screenText(m))
	}
	// A tick from another typewriter, or an old line, changes nothing.
	for _, stale := range []revealTickMsg{{id: tick.id + 1, tag: tick.tag}, {id: tick.id, tag: tick.tag - 1}} {
		if next, cmd := send(t, m, stale); next.conversation().reveal.shown != m.conversation().reveal.shown || cmd != nil {
			t.Errorf("stale tick %+v advanced the typewriter", stale)
		}
	}
	// Any key shows the whole line, and only that: no choice is made.
	m, _ = send(t, m, runes("1"))
	if !m.conversation().reveal.done() || len(m.conversation().sess.State().Steps) != 0 {
		t.Fatalf("skip: done=%v steps=%d", m.conversation().reveal.done(), len(m.conversation().sess.State().Steps))
	}
	if !strings.Contains(screenText(m), full) {
		t.Errorf("the whole line is not shown after a key:\n%s", screenText(m))
	}
	// The next key chooses, and the reply types out again.
	m, cmd = send(t, m, runes("1"))
	if len(m.conversation().sess.State().Steps) != 1 || cmd == nil || m.conversation().reveal.done() {
		t.Errorf("second key: steps=%d, typewriter restarted=%v", len(m.conversation().sess.State().Steps), cmd != nil)
	}
	if !strings.Contains(screenText(m), "Thanks for calling back, Priya") {
		t.Error("the trainee's own line is not shown at once")
	}
}

func TestConfirmAbandon(t *testing.T) {
	tests := map[string]struct {
		keys      []tea.Msg
		abandoned bool
	}{
		"q then y":           {[]tea.Msg{runes("q"), runes("y")}, true},
		"ctrl+c twice":       {[]tea.Msg{keyCtrlC, keyCtrlC}, true},
		"q then n":           {[]tea.Msg{runes("q"), runes("n")}, false},
		"q then esc":         {[]tea.Msg{runes("q"), keyEsc}, false},
		"q then other key":   {[]tea.Msg{runes("q"), runes("x")}, false},
		"ctrl+c then q (no)": {[]tea.Msg{keyCtrlC, runes("q")}, false},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			m := sized(t, New(testOptions(Options{Start: fixture(t)})), 80, 24)
			m, _ = send(t, m, runes("2"))
			m, _ = send(t, m, tc.keys[0])
			if m.Screen() != "confirm" {
				t.Fatalf("%v did not ask", tc.keys[0])
			}
			v := screenText(m)
			for _, s := range []string{"Abandon this conversation?", "Priya Nair is still on the line.", "y abandon", "n/esc keep playing"} {
				if !strings.Contains(v, s) {
					t.Errorf("dialog lacks %q:\n%s", s, v)
				}
			}
			m, cmd := send(t, m, tc.keys[1:]...)
			res, ok := m.Result()
			if isQuit(cmd) != tc.abandoned || ok != tc.abandoned {
				t.Fatalf("quit=%v result=%v, want %v", isQuit(cmd), ok, tc.abandoned)
			}
			if !tc.abandoned {
				if m.Screen() != "confirm" && m.Screen() != "play" {
					t.Errorf("on %s", m.Screen())
				}
				return
			}
			if !res.Abandoned() || res.State.Done() || len(res.State.Steps) != 1 || res.Scenario.ID != "golden-call" {
				t.Errorf("result %+v", res)
			}
		})
	}
}

func TestConfirmNoGoesBackToPlay(t *testing.T) {
	m := sized(t, New(testOptions(Options{Start: fixture(t)})), 80, 24)
	m, _ = send(t, m, runes("q"), runes("n"))
	if m.Screen() != "play" {
		t.Fatalf("on %s after n", m.Screen())
	}
	m, _ = send(t, m, runes("1"))
	if len(m.conversation().sess.State().Steps) != 1 {
		t.Error("play does not go on after keeping playing")
	}
}

func TestFinishShowsEndScreen(t *testing.T) {
	m := sized(t, New(testOptions(Options{Start: fixture(t)})), 100, 60)
	m = playOut(t, m, runes("1"))
	res, ok := m.Result()
	if !ok || res.Abandoned() || !res.State.Done() || res.State.Ending != "sorted" {
		t.Fatalf("result %+v ok=%v", res, ok)
	}
	v := screenText(m)
	for _, s := range []string{
		"Conversation over · Broken kettle, second call",
		"Outcome: ✓ resolved — the problem is fixed",
		"Replacement, please. Thank you, Alex",
		"The path you took",
		// Turns are named by what the customer said, not by node ids.
		"after “Look, this is the second ti…” → choice 1",
		"after “It heats for ten seconds, t…” → choice 1",
		"First 30 seconds",
		"Empathy",
		"Difficult customers",
		"Overall",
		"Key moments",
		"30-second mark",
		"How Priya Nair felt over time",
		"q quit",
	} {
		if !strings.Contains(v, s) {
			t.Errorf("end screen lacks %q:\n%s", s, v)
		}
	}
	if _, cmd := send(t, m, runes("q")); !isQuit(cmd) {
		t.Error("q does not quit the end screen")
	}
}

func TestWalkoutEnding(t *testing.T) {
	m := sized(t, New(testOptions(Options{Start: fixture(t)})), 80, 24)
	m, _ = send(t, m, runes("3"))
	if m.Screen() != "end" {
		t.Fatalf("on %s", m.Screen())
	}
	if v := screenText(m); !strings.Contains(v, "✗ lost") {
		t.Errorf("lost outcome not in words:\n%s", v)
	}
}

func TestHelpToggles(t *testing.T) {
	m := sized(t, New(testOptions(Options{Start: fixture(t)})), 100, 30)
	if v := screenText(m); strings.Contains(v, "scroll up") || !strings.Contains(v, "? more") {
		t.Fatalf("short help wrong:\n%s", v)
	}
	m, _ = send(t, m, runes("?"))
	// The open help says how to close it.
	if v := screenText(m); !strings.Contains(v, "scroll up") || !strings.Contains(v, "own words") || !strings.Contains(v, "? close help") {
		t.Errorf("full help not shown, or not saying how to close it:\n%s", v)
	}
	m, _ = send(t, m, runes("?"))
	if v := screenText(m); strings.Contains(v, "scroll up") {
		t.Errorf("full help not closed:\n%s", v)
	}
}

func TestTranscriptScrolls(t *testing.T) {
	m := sized(t, New(testOptions(Options{Start: firstTimeCaller(t)})), 60, 16)
	for i := 0; i < 3; i++ {
		m, _ = send(t, m, runes("2"))
	}
	if m.Screen() != "play" {
		t.Skip("first-time-caller ended within three turns; nothing to scroll")
	}
	if !m.conversation().vp.AtBottom() {
		t.Fatal("the transcript does not follow the newest line")
	}
	m, _ = send(t, m, keyPgUp)
	if m.conversation().vp.AtBottom() {
		t.Error("pgup did not scroll back")
	}
}

func TestResizeNeverBreaksTheLayout(t *testing.T) {
	sizes := [][2]int{{80, 24}, {120, 40}, {200, 60}, {40, 12}, {39, 11}, {20, 5}, {1, 1}, {0, 0}, {100, 12}, {40, 60}}
	screens := map[string]func(t *testing.T) Model{
		"picker": func(t *testing.T) Model {
			return New(testOptions(Options{Scenarios: []*scenario.Scenario{fixture(t), firstTimeCaller(t)}}))
		},
		"play": func(t *testing.T) Model {
			m, _ := send(t, New(testOptions(Options{Start: firstTimeCaller(t)})), runes("1"))
			return m
		},
		"confirm": func(t *testing.T) Model {
			m, _ := send(t, New(testOptions(Options{Start: fixture(t)})), runes("q"))
			return m
		},
		"end": func(t *testing.T) Model {
			return playOut(t, New(testOptions(Options{Start: fixture(t)})), runes("1"))
		},
	}
	for name, build := range screens {
		t.Run(name, func(t *testing.T) {
			m := build(t)
			for _, sz := range sizes {
				m = sized(t, m, sz[0], sz[1])
				v := screenText(m)
				fits(t, v, sz[0], sz[1])
				small := sz[0] < minWidth || sz[1] < minHeight
				if small != strings.HasPrefix(v, "Terminal too small") && sz[0] >= 18 {
					t.Errorf("%dx%d: too-small notice shown=%v:\n%s", sz[0], sz[1], !small, v)
				}
			}
		})
	}
}

func TestScenarioTextIsSanitised(t *testing.T) {
	sc := fixture(t)
	bad := *sc
	bad.Title = "\x1b]0;pwned\x07Kettle"
	bad.Customer.Name = "Priya\x1b[31mred\x1b[0m"
	start, _ := sc.Node(sc.Start)
	n := *start
	n.Say = []string{"Hello \x1b[31mred\x1b[0m alert\x07\x08"}
	ch := *n.Choices[0]
	ch.Say = "Fine \x1b[2Jthanks"
	n.Choices = append([]*scenario.Choice{&ch}, n.Choices[1:]...)
	bad.Nodes = append([]*scenario.Node{&n}, sc.Nodes[1:]...)
	bad.Index()

	m := sized(t, New(testOptions(Options{Scenarios: []*scenario.Scenario{&bad}})), 80, 24)
	check := func(where string) {
		t.Helper()
		raw := m.View()
		if strings.ContainsAny(raw, "\x1b\x07\x08") {
			t.Errorf("%s: a control character reached the screen: %q", where, raw)
		}
	}
	check("picker")
	m, _ = send(t, m, keyEnter)
	check("play")
	v := screenText(m)
	for _, s := range []string{"Hello red alert", "Fine thanks", "Kettle · phone", "Priyared"} {
		if !strings.Contains(v, s) {
			t.Errorf("play screen lacks %q:\n%s", s, v)
		}
	}
	m, _ = send(t, m, runes("1"))
	check("after a turn")
	m, _ = send(t, m, runes("q"))
	check("confirm")
}

func TestStartErrorIsShown(t *testing.T) {
	sc := *fixture(t)
	sc.Start = "nowhere"
	m := sized(t, New(testOptions(Options{Start: &sc})), 80, 24)
	v := screenText(m)
	if !strings.Contains(v, "Cannot play") || !strings.Contains(v, "nowhere") {
		t.Fatalf("error screen:\n%s", v)
	}
	if _, cmd := send(t, m, runes("x")); !isQuit(cmd) {
		t.Error("a key does not quit the error screen")
	}
	if _, ok := m.Result(); ok {
		t.Error("a scenario that never started has a result")
	}
}

// Bubble Tea boxes the root model on every message, so its size is paid on
// every key by every trainee: the screens live behind pointers and the
// root stays small. It was 44.7 KB by value.
// Every page is changed in place behind a pointer: none has a method on
// its value, which would copy the page (a list, a viewport, a text input)
// on every message or frame.
func TestPagesAreNeverCopied(t *testing.T) {
	pages := []page{&loadingPage{}, &pickerPage{}, &briefingPage{}, &playPage{}, &confirmPage{}, &endPage{}}
	for _, p := range pages {
		v := reflect.TypeOf(p).Elem()
		for i := range reflect.PointerTo(v).NumMethod() {
			name := reflect.PointerTo(v).Method(i).Name
			if _, onValue := v.MethodByName(name); onValue {
				t.Errorf("%s.%s has a value receiver: it copies the page", v.Name(), name)
			}
		}
	}
}

func TestRootModelIsSmall(t *testing.T) {
	var m Model
	if size := unsafe.Sizeof(m); size > 4096 {
		t.Errorf("tui.Model is %d bytes by value, want at most 4096", size)
	}
	t.Logf("tui.Model: %d bytes by value", unsafe.Sizeof(m))
}

func TestDebriefTurns(t *testing.T) {
	m := sized(t, New(testOptions(Options{Start: fixture(t)})), 80, 24)
	m, _ = send(t, m, runes("2"), runes("1"))
	if m.Screen() != "end" {
		t.Fatalf("on %s", m.Screen())
	}
	r := m.ended().doc
	if len(r.Turns) != 2 {
		t.Fatalf("%d turns in the report", len(r.Turns))
	}
	if m.ended().vp.YOffset != 0 {
		t.Error("the end screen does not open at the top, on the scores")
	}
	// Down selects the second turn and scrolls it into view; enter opens
	// it with the author's feedback and the better alternative.
	m, _ = send(t, m, keyDown)
	if m.ended().cursor != 1 {
		t.Fatalf("cursor %d after down", m.ended().cursor)
	}
	m, _ = send(t, m, keyDown)
	if m.ended().cursor != 1 {
		t.Error("cursor ran past the last turn")
	}
	m, _ = send(t, m, keyUp, keySpace)
	v := screenText(m)
	first := r.Turns[0]
	for _, s := range []string{"▾  1.", "They said:", "You said:", "Feedback:", "Better here:", "Why:"} {
		if !strings.Contains(v, s) {
			t.Errorf("opened turn lacks %q:\n%s", s, v)
		}
	}
	if first.Best == nil || first.Best.Shown != 1 {
		t.Errorf("turn 1 (the order number first) should name choice 1 as better, got %+v", first.Best)
	}
	if !strings.Contains(v, "✗") {
		t.Errorf("a cost is not marked with ✗:\n%s", v)
	}
	// Space again closes it.
	closed, _ := send(t, m, keySpace)
	if strings.Contains(screenText(closed), "They said:") {
		t.Error("space did not close the turn")
	}
}

func TestDebriefNotAssessed(t *testing.T) {
	// The first-time caller is never angry: Difficult customers must say
	// "not assessed" rather than invent a number.
	m := sized(t, New(testOptions(Options{Start: firstTimeCaller(t)})), 120, 60)
	m = playOut(t, m, runes("1"))
	if m.ended().doc.Scores[2].Assessed {
		t.Skip("the shipped first-time caller is assessed for difficult customers now")
	}
	if v := screenText(m); !strings.Contains(v, "Difficult customers not assessed") {
		t.Errorf("not-assessed score not said in words:\n%s", v)
	}
}

func TestFreeText(t *testing.T) {
	tests := map[string]struct {
		keys    []tea.Msg
		typed   string
		steps   int
		note    string
		unheard bool
	}{
		"typed and sent": {
			keys:  []tea.Msg{runes("t"), runes("Thank you for calling back Priya, I'm sorry nobody rang you, I'm Alex and I'll sort this out today."), keyEnter},
			typed: "Thank you for calling back Priya, I'm sorry nobody rang you, I'm Alex and I'll sort this out today.",
			steps: 1,
		},
		"q is a letter while typing": {
			keys:  []tea.Msg{runes("t"), runes("quick question"), keyEnter},
			typed: "quick question",
			steps: 1, unheard: true,
		},
		"escape goes back": {
			keys: []tea.Msg{runes("t"), runes("hello"), keyEsc},
		},
		"empty is refused": {
			keys: []tea.Msg{runes("t"), keyEnter},
			note: "Type what you would say",
		},
		"control characters removed": {
			keys:  []tea.Msg{runes("t"), runes("Hello\x07 there\x08\x00"), keyEnter},
			typed: "Hello there",
			steps: 1, unheard: true,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			m := sized(t, New(testOptions(Options{Start: fixture(t)})), 80, 24)
			m, _ = send(t, m, tc.keys...)
			st := m.conversation().sess.State()
			if len(st.Steps) != tc.steps {
				t.Fatalf("%d steps, want %d", len(st.Steps), tc.steps)
			}
			if tc.steps > 0 {
				s := st.Steps[0]
				if s.Text != tc.typed || s.Match < 0 || s.Match > 1 || (s.Choice < 1) != tc.unheard || s.Unheard != tc.unheard {
					t.Errorf("step %+v", s)
				}
				last := st.Transcript[1]
				if last.Speaker != engine.Trainee || !last.Typed || last.Text != tc.typed {
					t.Errorf("transcript line %+v", last)
				}
				v := screenText(m)
				want := "Heard as choice"
				if tc.unheard {
					want = "did not follow that"
				}
				if !strings.Contains(v, "(typed)") || !strings.Contains(flat(v), want) {
					t.Errorf("typed turn not shown:\n%s", v)
				}
				if m.conversation().typing {
					t.Error("still typing after sending")
				}
			}
			if tc.note != "" && !strings.Contains(screenText(m), tc.note) {
				t.Errorf("screen lacks %q:\n%s", tc.note, screenText(m))
			}
		})
	}
}

func TestFreeTextCtrlCAsks(t *testing.T) {
	m := sized(t, New(testOptions(Options{Start: fixture(t)})), 80, 24)
	m, _ = send(t, m, runes("t"), runes("half a thought"), keyCtrlC)
	if m.Screen() != "confirm" {
		t.Fatalf("ctrl+c while typing: on %s", m.Screen())
	}
	m, _ = send(t, m, runes("n"))
	if !m.conversation().typing || m.conversation().input.Value() != "half a thought" {
		t.Error("keeping playing lost the typed words")
	}
}

func TestFreeTextLengthLimit(t *testing.T) {
	m := sized(t, New(testOptions(Options{Start: fixture(t)})), 80, 24)
	m, _ = send(t, m, runes("t"), runes(strings.Repeat("a", MaxTypedLength+50)))
	if got := len([]rune(m.conversation().input.Value())); got != MaxTypedLength {
		t.Errorf("input holds %d characters, want the limit %d", got, MaxTypedLength)
	}
}

// Random keys and sizes, from a fixed seed, never panic and never draw
// outside the window, whatever screen they land on.
func TestRandomKeysNeverBreak(t *testing.T) {
	keys := []tea.Msg{
		runes("1"), runes("2"), runes("3"), runes("4"), runes("6"), runes("t"), runes("q"), runes("n"),
		runes("y"), runes("?"), runes("/"), runes("a"), runes("b"), runes(" "), keyEnter, keyUp, keyDown, keyEsc, keyPgUp,
		tea.KeyMsg{Type: tea.KeyPgDown}, tea.KeyMsg{Type: tea.KeyBackspace},
		tea.MouseMsg{Action: tea.MouseActionPress, Button: tea.MouseButtonWheelDown},
	}
	sizes := [][2]int{{80, 24}, {120, 40}, {40, 12}, {20, 5}, {61, 17}}
	seen := map[string]bool{}
	for seed := uint64(1); seed <= 5; seed++ {
		rng := rand.New(rand.NewPCG(seed, 42))
		m := New(testOptions(Options{Scenarios: []*scenario.Scenario{fixture(t), firstTimeCaller(t)}}))
		size := sizes[0]
		for i := 0; i < 400; i++ {
			var msg tea.Msg = keys[rng.IntN(len(keys))]
			if rng.IntN(20) == 0 {
				size = sizes[rng.IntN(len(sizes))]
				msg = tea.WindowSizeMsg{Width: size[0], Height: size[1]}
			}
			// Commands are not run: a quit only ends the program, and the
			// model must stay sound if more messages arrive anyway.
			next, _ := m.Update(msg)
			m = next.(Model)
			seen[string(m.Screen())] = true
			fits(t, screenText(m), size[0], size[1])
		}
	}
	for _, s := range []string{"picker", "play", "confirm", "end"} {
		if !seen[s] {
			t.Errorf("the random keys never reached the %s screen; change the seeds", s)
		}
	}
}
