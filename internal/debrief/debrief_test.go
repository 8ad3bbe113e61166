package debrief

import (
	"bytes"
	"errors"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rapport-sim/rapport/internal/engine"
	"github.com/rapport-sim/rapport/internal/reader"
	"github.com/rapport-sim/rapport/internal/scenario"
	"github.com/rapport-sim/rapport/internal/scoring"
	"github.com/rapport-sim/rapport/scenarios"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func TestBar(t *testing.T) {
	for v, want := range map[int]string{0: "[----------]   0", 72: "[#######---]  72", 100: "[##########] 100", 5: "[#---------]   5", 4: "[----------]   4", 130: "[##########] 100", -3: "[----------]   0"} {
		if got := Bar(v); got != want {
			t.Errorf("Bar(%d) = %q, want %q", v, got, want)
		}
	}
}

// step is one recorded decision: an authored choice, or a typed line that
// MatchChoice maps onto one.
type step struct {
	choice     int
	typed      string
	hesitation time.Duration
}

// play replays a recorded playthrough the way the player does, free text
// included, with the scoring clock.
func play(t *testing.T, sc *scenario.Scenario, steps []step) engine.State {
	t.Helper()
	e, err := engine.New(sc, engine.Options{Pace: scoring.Pace(sc.Channel)})
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range steps {
		h := s.hesitation
		if h == 0 {
			h = scoring.DefaultHesitation
		}
		st := engine.Step{Choice: s.choice, Hesitation: h}
		if s.typed != "" {
			text := reader.CleanTyped(s.typed)
			state := e.State()
			var customer []string
			for j := len(state.Transcript) - 1; j >= 0 && state.Transcript[j].Speaker == engine.Customer; j-- {
				customer = append([]string{state.Transcript[j].Text}, customer...)
			}
			ctx := reader.Context{Customer: strings.Join(customer, " "), Channel: sc.Channel,
				CustomerName: sc.Customer.Name, Mode: sc.Customer.Mode, Turn: i, Elapsed: state.Clock + h}
			m := reader.MatchChoice(text, e.Choices(), ctx)
			st.Choice, st.Text, st.Match = m.Choice, text, m.Score
		}
		if err := e.Choose(st); err != nil {
			t.Fatalf("step %d: %v (the scenario changed? re-record the playthrough)", i+1, err)
		}
	}
	return e.State()
}

// playthroughs of first-time-caller, recorded by choice number. They play
// testdata/first-time-caller.toml, a frozen copy of the shipped
// scenarios/first-time-caller.toml (as of commit b63a642), so the goldens
// test the debrief rather than the scenario's latest wording;
// TestShippedRender covers the live library.
var playthroughs = map[string][]step{
	"best":       {{choice: 2}, {choice: 2}, {choice: 2}, {choice: 3}, {choice: 2}, {choice: 2}, {choice: 3}},
	"unfinished": {{choice: 3}, {choice: 3}},
	"walkout":    {{choice: 4}, {choice: 2}},
	"cold":       {{choice: 1}, {choice: 1}, {choice: 1}, {choice: 1}, {choice: 1}, {choice: 1}, {choice: 1}},
	"mixed":      {{choice: 2, hesitation: 9 * time.Second}, {choice: 2}, {choice: 2}, {choice: 2}, {choice: 3}, {choice: 2}, {choice: 2}},
	"typed": {
		{typed: "Hello, you're through to Sam at Harbour Bank. Thanks for ringing, and please don't feel silly. What does the letter say?"},
		{typed: "That sounds worrying. So you're afraid you'll lose your savings, is that right?"},
		{choice: 2}, {choice: 3}, {choice: 2}, {choice: 2}, {choice: 3},
	},
}

func loadFrozen(t *testing.T) *scenario.Scenario {
	t.Helper()
	sc, diags, err := scenario.Load(os.DirFS("testdata"), "first-time-caller.toml")
	if err != nil || diags.HasErrors() {
		t.Fatalf("load: %v %v", err, diags)
	}
	return sc
}

func TestGolden(t *testing.T) {
	sc := loadFrozen(t)
	for name, steps := range playthroughs {
		t.Run(name, func(t *testing.T) {
			st := play(t, sc, steps)
			r := scoring.Evaluate(sc, st)
			var buf bytes.Buffer
			if err := Write(&buf, sc, st, r); err != nil {
				t.Fatal(err)
			}
			checkPlain(t, buf.String())
			path := filepath.Join("testdata", name+".golden")
			if *update {
				if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./internal/debrief -update to create it)", err)
			}
			if got := buf.String(); got != string(want) {
				t.Errorf("debrief differs from %s (run with -update if the change is intended):\n%s", path, firstDiff(string(want), got))
			}
		})
	}
}

// checkPlain asserts what a screen reader needs: the labels, plain
// characters only, no line over the width.
func checkPlain(t *testing.T, s string) {
	t.Helper()
	for _, want := range []string{"First 30 seconds", "Empathy", "Difficult customers", "Overall", "KEY MOMENTS", "30-second mark", "TURN BY TURN", "MOOD OVER TIME"} {
		if !strings.Contains(s, want) {
			t.Errorf("debrief lacks %q", want)
		}
	}
	for i, l := range strings.Split(s, "\n") {
		if n := len([]rune(l)); n > Width {
			t.Errorf("line %d is %d runes wide: %q", i+1, n, l)
		}
		if strings.ContainsAny(l, "\x1b\t\r") {
			t.Errorf("line %d has control characters: %q", i+1, l)
		}
	}
}

func firstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(wl), len(gl)); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return "line " + strconv.Itoa(i+1) + ":\n  want: " + w + "\n  got:  " + g
		}
	}
	return ""
}

type failWriter struct{ n int }

func (f *failWriter) Write(p []byte) (int, error) {
	if f.n--; f.n < 0 {
		return 0, errors.New("disk full")
	}
	return len(p), nil
}

func TestWriteError(t *testing.T) {
	sc := loadFrozen(t)
	st := play(t, sc, playthroughs["walkout"])
	err := Write(&failWriter{n: 3}, sc, st, scoring.Evaluate(sc, st))
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("err = %v, want the write error", err)
	}
}

func TestUntrustedText(t *testing.T) {
	sc := loadFrozen(t)
	st := play(t, sc, []step{{typed: "Hi\x1b[31m there\x07, how can I help?"}})
	var buf bytes.Buffer
	if err := Write(&buf, sc, st, scoring.Evaluate(sc, st)); err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(buf.String(), "\x1b\x07") {
		t.Errorf("escape or bell reached the debrief")
	}
}

// TestShippedRender renders a walk through every shipped scenario (first
// choice offered at each step, which mixes good and poor lines) and checks
// the plain-text rules hold.
func TestShippedRender(t *testing.T) {
	names, err := fs.Glob(scenarios.FS, "*.toml")
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		if scenario.IsDrillFile(n) {
			continue
		}
		sc, diags, err := scenario.Load(scenarios.FS, n)
		if err != nil || diags.HasErrors() {
			t.Fatalf("load %s: %v %v", n, err, diags)
		}
		e, err := engine.New(sc, engine.Options{Pace: scoring.Pace(sc.Channel)})
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; !e.Done() && i < 50; i++ {
			if err := e.Choose(engine.Step{Choice: e.Choices()[0].Number, Hesitation: scoring.DefaultHesitation}); err != nil {
				t.Fatal(err)
			}
		}
		st := e.State()
		var buf bytes.Buffer
		if err := Write(&buf, sc, st, scoring.Evaluate(sc, st)); err != nil {
			t.Fatal(err)
		}
		checkPlain(t, buf.String())
	}
}

func TestMatchPhrase(t *testing.T) {
	for pct, want := range map[int]string{83: "an 83% match", 80: "an 80% match", 75: "a 75% match", 11: "an 11% match",
		8: "an 8% match", 18: "an 18% match", 100: "a 100% match", 90: "a 90% match", 1: "a 1% match"} {
		if got := MatchPhrase(pct); got != want {
			t.Errorf("MatchPhrase(%d) = %q, want %q", pct, got, want)
		}
	}
}
